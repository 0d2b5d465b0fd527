// SharedConfig: the shared AWS files, ~/.aws/credentials and ~/.aws/config
// (AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE override the paths), read
// as the SDKs read them: INI sections, "[name]" in the credentials file and
// "[profile name]" (or "[default]") in the config file, keys lower-cased,
// the credentials file winning for a key both define. Also the process
// environment as a function, so tests can supply their own.
// Thread-safety: value types and pure functions.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "model/result.h"

namespace adze::adapters::aws {

// getenv as a function (tests pass a map).
using EnvFn = std::function<std::optional<std::string>(std::string_view name)>;
EnvFn ProcessEnv();
EnvFn MapEnv(std::map<std::string, std::string> vars);

using Profile = std::map<std::string, std::string>;  // key → value

// Parses INI text: section → key → value. `config_style`: sections are
// "profile NAME" except "default".
std::map<std::string, Profile> ParseIni(std::string_view text, bool config_style);

// The profile named by AWS_PROFILE (or "default"), merged from both files.
// Missing files are fine (an empty profile); unreadable ones are errors.
struct SharedProfile {
  std::string name;
  Profile values;  // empty if no file defines it
};
Result<SharedProfile> LoadSharedProfile(const EnvFn& env);

}  // namespace adze::adapters::aws
