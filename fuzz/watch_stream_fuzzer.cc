// A Kubernetes watch body as the informer reads it (adapters/kube/
// watch_stream.h): the input is cut into chunks (sizes taken from its first
// bytes, as a network would cut it), joined into lines, decoded into events
// and applied to a cache; every cached object must keep a metadata object.
// The same bytes read as one LIST answer go through DecodeObjectList.
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "adapters/kube/watch_stream.h"
#include "fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using adze::kube::WatchEvent;
  if (size < 2) return 0;
  const size_t cut = 1 + data[0] % 64;
  const auto text = adze::fuzz::AsText(data + 1, size - 1);
  adze::kube::LineFramer framer(/*max_line=*/4096);
  std::map<std::string, nlohmann::json> cache;
  std::string resource_version;
  auto apply = [&](std::string_view line) {
    WatchEvent event = adze::kube::DecodeWatchEvent(line);
    switch (event.type) {
      case WatchEvent::Type::kAdded:
      case WatchEvent::Type::kModified:
        if (!adze::kube::IsObjectWithMetadata(event.object)) __builtin_trap();
      {
        std::string key = adze::kube::ObjectKey(event.object);
        cache[key] = std::move(event.object);
        break;
      }
      case WatchEvent::Type::kDeleted:
        cache.erase(adze::kube::ObjectKey(event.object));
        break;
      case WatchEvent::Type::kExpired:
      case WatchEvent::Type::kError:
        return false;
      default:
        break;
    }
    if (!event.resource_version.empty()) resource_version = event.resource_version;
    return true;
  };
  for (size_t at = 0; at < text.size(); at += cut) {
    if (framer.Feed(text.substr(at, cut), apply) != adze::kube::LineFramer::Outcome::kMore) break;
  }
  if (framer.pending() > 4096) __builtin_trap();
  nlohmann::json list = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (auto page = adze::kube::DecodeObjectList(std::move(list))) {
    for (const auto& item : page->items) (void)adze::kube::ObjectKey(item);
  }
  return 0;
}
