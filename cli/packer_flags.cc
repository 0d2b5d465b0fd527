#include "cli/packer_flags.h"

#include <charconv>

namespace adze::cli {

Result<double> ParseFewerNodesPremium(const std::string& text) {
  if (text == "0") return 0.0;
  auto bad = [&] {
    return Error::InvalidArgument("found \"" + text +
                                  "\", expected a percentage from 0% to 1000% such as 50%, or 0 for the cheapest packing");
  };
  if (text.size() < 2 || text.back() != '%') return bad();
  double percent = 0;
  const char* end = text.data() + text.size() - 1;
  auto [ptr, ec] = std::from_chars(text.data(), end, percent, std::chars_format::fixed);
  if (ec != std::errc() || ptr != end || !(percent >= 0 && percent <= 1000)) return bad();
  return percent / 100;
}

}  // namespace adze::cli
