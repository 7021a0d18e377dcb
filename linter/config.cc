// `.auditforge.yml`, section `lint:` (yaml-cpp; its exceptions stay in this file):
//
//   lint:
//     disable: [hygiene-missing-key]
//     enable: [hygiene-missing-key]          # undoes a disable
//     severity: {noise-hot-syscall: error}
//     options:
//       min-kernel: "4.18"
//       target-machines: [x86_64, aarch64]
//       rate-threshold: 100
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "linter/linter.h"

namespace af::lint {
namespace {

bool known_id(const std::string& id) {
  return find_check(id) != nullptr || diag::kind_from_id(id).has_value();
}

std::optional<diag::Severity> severity_from(const std::string& s) {
  if (s == "error") return diag::Severity::Error;
  if (s == "warning") return diag::Severity::Warning;
  if (s == "note") return diag::Severity::Note;
  return std::nullopt;
}

bool parse_section(const YAML::Node& lint, Config& config, std::string& error) {
  for (const auto& entry : lint) {
    std::string name = entry.first.as<std::string>();
    const YAML::Node& value = entry.second;
    if (name == "disable" || name == "enable") {
      if (!value.IsSequence()) {
        error = fmt::format("lint.{} must be a list of check ids", name);
        return false;
      }
      for (const auto& id_node : value) {
        std::string id = id_node.as<std::string>();
        if (!known_id(id)) {
          error = fmt::format("lint.{}: unknown check '{}'", name, id);
          return false;
        }
        if (name == "disable") {
          config.overrides[id] = std::nullopt;
        } else {
          config.overrides.erase(id);
        }
      }
    } else if (name == "severity") {
      if (!value.IsMap()) {
        error = "lint.severity must map check ids to error, warning or note";
        return false;
      }
      for (const auto& s : value) {
        std::string id = s.first.as<std::string>();
        auto level = severity_from(s.second.as<std::string>());
        if (!known_id(id) || !level) {
          error = fmt::format(
              "lint.severity: '{}: {}' needs a known check and error, warning or "
              "note",
              id, s.second.as<std::string>());
          return false;
        }
        config.overrides[id] = level;
      }
    } else if (name == "options") {
      for (const auto& o : value) {
        std::string key = o.first.as<std::string>();
        if (key == "min-kernel") {
          config.options.min_kernel = o.second.as<std::string>();
        } else if (key == "target-machines") {
          config.options.target_machines = o.second.as<std::vector<std::string>>();
        } else if (key == "rate-threshold") {
          config.options.rate_threshold = o.second.as<double>();
        } else {
          error = fmt::format("lint.options: unknown option '{}'", key);
          return false;
        }
      }
    } else {
      error =
          fmt::format("lint: unknown key '{}' (expected disable, enable, severity, options)", name);
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<Config> parse_config(std::string_view yaml_text, std::string& error) {
  Config config;
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    if (!root || root.IsNull()) return config;
    if (!root.IsMap()) {
      error = "the configuration must be a mapping with a 'lint:' section";
      return std::nullopt;
    }
    YAML::Node lint = root["lint"];
    if (!lint || lint.IsNull()) return config;
    if (!lint.IsMap()) {
      error = "'lint:' must be a mapping";
      return std::nullopt;
    }
    if (!parse_section(lint, config, error)) return std::nullopt;
  } catch (const YAML::Exception& e) {
    error = e.what();
    return std::nullopt;
  }
  return config;
}

}  // namespace af::lint
