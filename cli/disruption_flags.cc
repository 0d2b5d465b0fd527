#include "cli/disruption_flags.h"

#include "controllers/disruption/lost_work.h"

namespace adze::cli {

std::string DefaultLostWorkPayback() {
  return model::FormatDuration(controllers::disruption::kDefaultLostWorkPayback);
}

Result<model::Duration> ParseLostWorkPayback(const std::string& text) {
  Result<model::Duration> d = model::ParseDuration(text);
  if (!d.ok() || *d < 0) {
    return Error::InvalidArgument("found \"" + text + "\", expected a duration such as 30m, or 0 to ignore lost work");
  }
  return *d;
}

}  // namespace adze::cli
