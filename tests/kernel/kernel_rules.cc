// Test helper for tests/kernel: prints audit rules as hex, one rule per line, so that the
// rules the kernel holds can be compared byte for byte with what auditforge encodes.
//
//   af_kernel_rules list            the kernel's rules (AUDIT_LIST_RULES), in kernel order
//   af_kernel_rules encode FILE     auditforge's encoding of FILE after loading, same order
//
// Each line is the struct audit_rule_data followed by its `buflen` string bytes (no netlink
// padding). Exit 77 when the kernel refuses the request (no audit capability).
#include <libaudit.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "compiler/compiler.h"
#include "compiler/emit/binary.h"
#include "compiler/sema/loaded_rules.h"

namespace {

void print_hex(const uint8_t* data, size_t size) {
  for (size_t i = 0; i < size; ++i) std::printf("%02x", data[i]);
  std::printf("\n");
}

int list_kernel_rules() {
  int fd = audit_open();
  if (fd < 0) {
    std::fprintf(stderr, "af_kernel_rules: cannot open the audit netlink socket: %s\n",
                 std::strerror(errno));
    return 77;
  }
  if (audit_request_rules_list_data(fd) <= 0) {
    std::fprintf(stderr, "af_kernel_rules: AUDIT_LIST_RULES refused: %s\n", std::strerror(errno));
    audit_close(fd);
    return 77;
  }
  for (;;) {
    audit_reply rep;
    int rc = audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0);
    if (rc <= 0) break;
    if (rep.type == NLMSG_DONE) break;
    if (rep.type == NLMSG_ERROR) {
      if (rep.error->error == 0) continue;
      std::fprintf(stderr, "af_kernel_rules: %s\n", std::strerror(-rep.error->error));
      audit_close(fd);
      return 1;
    }
    if (rep.type != AUDIT_LIST_RULES) continue;
    const auto* data = reinterpret_cast<const uint8_t*>(rep.ruledata);
    print_hex(data, sizeof(audit_rule_data) + rep.ruledata->buflen);
  }
  audit_close(fd);
  return 0;
}

int encode_file(const char* path) {
  af::Compilation c;
  auto loaded = af::load_classic({path}, c);
  if (!loaded) {
    std::fprintf(stderr, "af_kernel_rules: %s\n", loaded.error().message().c_str());
    return 2;
  }
  for (const af::ir::Rule& r : af::sema::loaded_rules(c.rules, c.diags)) {
    std::vector<uint8_t> bytes = af::emit::encode_rule(r);
    audit_rule_data head;
    std::memcpy(&head, bytes.data(), sizeof head);
    print_hex(bytes.data(), sizeof head + head.buflen);
  }
  return c.diags.has_errors() ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::string(argv[1]) == "list") return list_kernel_rules();
  if (argc == 3 && std::string(argv[1]) == "encode") return encode_file(argv[2]);
  std::fprintf(stderr, "usage: af_kernel_rules list | encode FILE\n");
  return 2;
}
