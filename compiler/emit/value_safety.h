// Character checks shared by the YAML targets: which bytes a value may hold before an
// emitter quotes it for its consumer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace af::emit {

/// Why `value` cannot appear in a YAML-carried rule at all, or nullopt if it can: control
/// bytes (below 0x20 and 0x7F), invalid UTF-8, and the Unicode line separators U+0085,
/// U+2028, U+2029 (YAML line breaks).
std::optional<std::string> yaml_unsafe(std::string_view value);

/// Why `value` would be split by Go's strings.Fields (any Unicode White_Space), or nullopt.
std::optional<std::string> has_unicode_space(std::string_view value);

/// Single-quotes a word for a POSIX-shell splitter (go-shellquote) when it holds anything
/// beyond [A-Za-z0-9_./:@%+=,-]; a quote inside becomes '\''.
std::string shell_word(std::string_view word);

}  // namespace af::emit
