#include "compiler/ir/rule.h"

namespace af::ir {

std::string Rule::joined_key() const {
  std::string out;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i) out += '\x01';
    out += keys[i];
  }
  return out;
}

std::string_view op_symbol(Op op) {
  switch (op) {
    case Op::Equal:
      return "=";
    case Op::NotEqual:
      return "!=";
    case Op::Less:
      return "<";
    case Op::Greater:
      return ">";
    case Op::LessEqual:
      return "<=";
    case Op::GreaterEqual:
      return ">=";
    case Op::BitMask:
      return "&";
    case Op::BitTest:
      return "&=";
  }
  return "";
}

std::string perm_letters(uint32_t bits) {
  std::string s;
  if (bits & AUDIT_PERM_READ) s += 'r';
  if (bits & AUDIT_PERM_WRITE) s += 'w';
  if (bits & AUDIT_PERM_EXEC) s += 'x';
  if (bits & AUDIT_PERM_ATTR) s += 'a';
  return s;
}

}  // namespace af::ir
