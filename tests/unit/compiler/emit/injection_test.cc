// Injection safety: a value holding whitespace, a newline, quotes, 0x01 or other hostile
// bytes must never make a target emit a different or an extra rule. Each target either
// refuses the value (emit-unsafe-value) or carries it so that its consumer reads it back
// exactly; the consumers' readers are modelled here (auditctl by our own front end, which the
// kernel tests hold to auditctl; go-audit by strings.Fields; Auditbeat by YAML, $$ and a
// POSIX-shell word splitter).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "compiler/emit/emit.h"
#include "compiler/emit/rule_text.h"
#include "compiler/sema/loaded_rules.h"
#include "tests/unit/compiler/test_support.h"

namespace af::emit {
namespace {

const std::vector<std::string>& hostile_values() {
  static const std::vector<std::string> values = {
      "plain",
      "with space",
      "tab\there",
      "new\nline",
      "cr\rhere",
      "quote'single",
      "quote\"double",
      "back\\slash",
      "back\\ slash",
      "key\x01split",
      std::string("nul\0byte", 8),
      "dollar$HOME",
      "${HOME}",
      "$$",
      "comma,key",
      "#hash",
      "-k",
      "-e 2",
      "x -e 2",
      "trail ",
      " lead",
      "\xc2\x85nel",
      "nb\xc2\xa0sp",
      "\xe2\x80\xa8ls",
      "bad\xff\xfeutf8",
      "\x7f"
      "del",
      "semi;colon",
      "star*glob",
      "é-accent",
      "a: b",
      "- dash",
      "[bracket]",
      "{brace}",
      "pipe|gt>lt<",
  };
  return values;
}

// A watch rule and a syscall rule carrying `value` as path and as key.
std::vector<ir::Rule> rules_with(const std::string& value) {
  ir::Rule watch;
  watch.form = ir::RuleForm::Watch;
  watch.mask.set_all();
  watch.fields.push_back({AUDIT_WATCH, ir::Op::Equal, 0, "/tmp/" + value, {}});
  watch.fields.back().value = static_cast<uint32_t>(watch.fields.back().text.size());
  watch.fields.push_back({AUDIT_PERM, ir::Op::Equal, AUDIT_PERM_WRITE, "", {}});
  watch.keys = {value};
  ir::Rule sys;
  sys.fields.push_back({AUDIT_ARCH, ir::Op::Equal, 0xC000003E, "", {}});
  sys.mask.set(59);
  sys.syscalls_given = true;
  sys.fields.push_back({AUDIT_EXE, ir::Op::Equal, 0, "/usr/bin/" + value, {}});
  sys.fields.back().value = static_cast<uint32_t>(sys.fields.back().text.size());
  sys.keys = {value, "second"};
  return {watch, sys};
}

struct Outcome {
  std::optional<std::string> text;
  bool refused_unsafe = false;
};

Outcome emit_with(EmitFunction f, const std::vector<ir::Rule>& rules) {
  ir::RuleSet none;
  diag::SourceSet sources;
  diag::DiagnosticSink diags;
  Outcome o;
  o.text = f({none, rules, sources}, EmitOptions{}, diags);
  for (const auto& d : diags.diagnostics())
    if (d.kind == diag::Kind::EmitUnsafeValue) o.refused_unsafe = true;
  return o;
}

// Go's strings.Fields over ASCII and the Unicode spaces our values use.
std::vector<std::string> go_fields(const std::string& s) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < s.size(); ++i) {
    bool space = std::string_view(" \t\n\v\f\r").find(s[i]) != std::string_view::npos;
    if (!space && s.compare(i, 2, "\xc2\x85") == 0) space = true;
    if (!space && s.compare(i, 2, "\xc2\xa0") == 0) space = true;
    if (space) {
      if (s[i] == '\xc2') ++i;
      if (!out.back().empty()) out.emplace_back();
    } else {
      out.back() += s[i];
    }
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

// go-shellquote: blanks separate words; '...' is literal; "..." and \ escape.
std::vector<std::string> shell_split(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) out.push_back(cur);
      cur.clear();
      in_word = false;
    } else if (c == '\'') {
      in_word = true;
      size_t end = s.find('\'', i + 1);
      cur += s.substr(i + 1, end - i - 1);
      i = end;
    } else if (c == '\\' && i + 1 < s.size()) {
      in_word = true;
      cur += s[++i];
    } else {
      in_word = true;
      cur += c;
    }
  }
  if (in_word) out.push_back(cur);
  return out;
}

TEST(Injection, AuditRulesReloadsToTheSameRulesOrRefuses) {
  size_t attempts = 0, refused = 0;
  for (const std::string& v : hostile_values()) {
    auto rules = rules_with(v);
    Outcome o = emit_with(emit_audit_rules, rules);
    ++attempts;
    if (!o.text) {
      EXPECT_TRUE(o.refused_unsafe) << v;
      ++refused;
      continue;
    }
    // Read it back the way auditctl does; it must give exactly the same kernel rules.
    Compilation c = test::compile(*o.text);
    auto back = sema::loaded_rules(c.rules, c.diags);
    ASSERT_EQ(back.size(), rules.size()) << "value " << ::testing::PrintToString(v) << "\n"
                                         << *o.text;
    for (size_t i = 0; i < rules.size(); ++i)
      EXPECT_EQ(encode_rule(back[i]), encode_rule(rules[i]))
          << "value " << ::testing::PrintToString(v) << "\n"
          << *o.text;
  }
  std::printf("audit.rules: %zu attempts, %zu refused, %zu carried exactly\n", attempts, refused,
              attempts - refused);
}

TEST(Injection, GoAuditCarriesExactWordsOrRefuses) {
  size_t attempts = 0, refused = 0;
  for (const std::string& v : hostile_values()) {
    auto rules = rules_with(v);
    Outcome o = emit_with(emit_go_audit, rules);
    ++attempts;
    if (!o.text) {
      EXPECT_TRUE(o.refused_unsafe) << v;
      ++refused;
      continue;
    }
    YAML::Node root = YAML::Load(*o.text);
    ASSERT_EQ(root["rules"].size(), rules.size()) << *o.text;
    for (size_t i = 0; i < rules.size(); ++i) {
      // go-audit runs auditctl with strings.Fields of the rule: the argv must be our words.
      EXPECT_EQ(go_fields(root["rules"][i].as<std::string>()), rule_words(rules[i]))
          << "value " << ::testing::PrintToString(v);
    }
  }
  std::printf("go-audit: %zu attempts, %zu refused, %zu carried exactly\n", attempts, refused,
              attempts - refused);
}

TEST(Injection, AuditbeatCarriesExactWordsOrRefuses) {
  size_t attempts = 0, refused = 0;
  for (const std::string& v : hostile_values()) {
    auto rules = rules_with(v);
    Outcome o = emit_with(emit_auditbeat, rules);
    ++attempts;
    if (!o.text) {
      EXPECT_TRUE(o.refused_unsafe) << v;
      ++refused;
      continue;
    }
    YAML::Node root = YAML::Load(*o.text);
    std::string block = root["auditbeat.modules"][0]["audit_rules"].as<std::string>();
    // go-ucfg: "$$" stands for "$".
    std::string expanded;
    for (size_t i = 0; i < block.size(); ++i) {
      ASSERT_FALSE(block[i] == '$' && (i + 1 >= block.size() || block[i + 1] != '$'))
          << "unescaped $ would be expanded: " << block;
      expanded += block[i];
      if (block[i] == '$') ++i;
    }
    std::vector<std::string> lines;
    size_t pos = 0;
    while (pos <= expanded.size()) {
      size_t nl = expanded.find('\n', pos);
      if (nl == std::string::npos) nl = expanded.size();
      if (nl > pos) lines.push_back(expanded.substr(pos, nl - pos));
      pos = nl + 1;
    }
    ASSERT_EQ(lines.size(), rules.size()) << block;
    for (size_t i = 0; i < rules.size(); ++i) {
      // Our words, with "-F key=K" written as "-k K" for Auditbeat.
      std::vector<std::string> want;
      for (const std::string& w : rule_words(rules[i])) {
        if (!want.empty() && want.back() == "-F" && w.starts_with("key=")) {
          want.back() = "-k";
          want.push_back(w.substr(4));
        } else {
          want.push_back(w);
        }
      }
      EXPECT_EQ(shell_split(lines[i]), want) << "value " << ::testing::PrintToString(v);
    }
  }
  std::printf("auditbeat: %zu attempts, %zu refused, %zu carried exactly\n", attempts, refused,
              attempts - refused);
}

}  // namespace
}  // namespace af::emit
