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

}  // namespace af::ir
