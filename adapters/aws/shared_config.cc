#include "adapters/aws/shared_config.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace adze::adapters::aws {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// The file's text; nullopt when it does not exist.
Result<std::optional<std::string>> ReadIfExists(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::optional<std::string>();
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Error::InvalidArgument(path + ": cannot read");
  return std::optional<std::string>(ss.str());
}

}  // namespace

EnvFn ProcessEnv() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

EnvFn MapEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::map<std::string, Profile> ParseIni(std::string_view text, bool config_style) {
  std::map<std::string, Profile> out;
  Profile* current = nullptr;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = Trim(text.substr(pos, eol - pos));
    pos = eol + 1;
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      std::string_view name = Trim(line.substr(1, line.find(']') == std::string_view::npos ? line.size() - 1
                                                                                             : line.find(']') - 1));
      if (config_style && name != "default") {
        if (!name.starts_with("profile ")) {
          current = nullptr;  // [sso-session x], [services x]: not profiles
          continue;
        }
        name = Trim(name.substr(8));
      }
      current = &out[std::string(name)];
      continue;
    }
    const auto eq = line.find('=');
    if (current == nullptr || eq == std::string_view::npos) continue;
    std::string key(Trim(line.substr(0, eq)));
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    (*current)[key] = std::string(Trim(line.substr(eq + 1)));
  }
  return out;
}

Result<SharedProfile> LoadSharedProfile(const EnvFn& env) {
  SharedProfile p;
  p.name = env("AWS_PROFILE").value_or(env("AWS_DEFAULT_PROFILE").value_or("default"));
  const std::string home = env("HOME").value_or("");
  const std::string config = env("AWS_CONFIG_FILE").value_or(home + "/.aws/config");
  const std::string creds = env("AWS_SHARED_CREDENTIALS_FILE").value_or(home + "/.aws/credentials");
  for (const auto& [path, config_style] : {std::pair{config, true}, std::pair{creds, false}}) {
    auto text = ReadIfExists(path);
    if (!text.ok()) return text.error();
    if (!text->has_value()) continue;
    auto sections = ParseIni(**text, config_style);
    if (auto it = sections.find(p.name); it != sections.end()) {
      for (auto& [k, v] : it->second) p.values[k] = v;  // credentials file read last: it wins
    }
  }
  return p;
}

}  // namespace adze::adapters::aws
