// How the kernel classifies a syscall for `perm=` (audit_classify_syscall and the
// include/asm-generic/audit_*.h class tables), per architecture. Classes are kept by syscall
// name and resolved to each arch's numbers through libaudit's tables.
#pragma once

#include <cstdint>
#include <string_view>

namespace af::sim {

enum class PermClass : uint8_t {
  Other,       // NATIVE/COMPAT: decided by the read/write/attr class tables
  Open,        // open: access mode in a1
  OpenAt,      // openat: access mode in a2
  OpenAt2,     // openat2: access mode in the OPENAT2 record's oflag
  Execve,      // execve, execveat
  SocketCall,  // socketcall (32-bit ABIs): write when a0 == SYS_BIND
};

struct SyscallInfo {
  PermClass perm_class = PermClass::Other;
  bool write = false, read = false, attr = false;  // class table membership
  // The syscall takes a directory fd whose path the log does not show: arg index of the
  // dirfd for the first (and second) path, or -1.
  int8_t dirfd_arg = -1, dirfd_arg2 = -1;
  bool known = false;     // libaudit knows the number on this arch
  std::string_view name;  // "" when unknown
};

/// Classification of syscall `number` of the ABI `arch` (an AUDIT_ARCH_* value). Cached.
const SyscallInfo& syscall_info(uint32_t arch, uint32_t number);

/// The syscall's name on `arch`, or "" when unknown.
std::string_view syscall_name_on(uint32_t arch, uint32_t number);

}  // namespace af::sim
