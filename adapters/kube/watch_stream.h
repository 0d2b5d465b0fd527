// The wire format of a Kubernetes watch, apart from the connection that
// carries it: the body is newline-delimited JSON, one event per line,
// {"type": ADDED|MODIFIED|DELETED|BOOKMARK|ERROR, "object": {...}} (API
// concepts, "Efficient detection of changes"). The bytes come in chunks cut
// anywhere, and from a server adze does not control, so:
//   - LineFramer joins chunks into lines and refuses a line longer than its
//     bound (an object is at most etcd's 1.5 MiB request limit; a server that
//     never sends a newline must not grow memory without end);
//   - DecodeWatchEvent and DecodeObjectList never throw: a line that is not an event of the
//     expected shape is kMalformed, and an object without metadata never
//     reaches a cache (decoders and snapshots read metadata from every item).
// Thread-safety: none; one stream per object.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace adze::kube {

// Splits a byte stream into lines ('\n'-terminated; a trailing '\r' is kept
// as part of the line, which JSON treats as white space).
class LineFramer {
 public:
  // 16 MiB: ten times the largest object etcd stores by default.
  static constexpr size_t kDefaultMaxLine = 16u << 20;
  enum class Outcome { kMore, kStopped, kLineTooLong };

  explicit LineFramer(size_t max_line = kDefaultMaxLine) : max_line_(max_line) {}

  // Calls on_line for every complete line in pending bytes + chunk, in order;
  // on_line returning false stops at once (kStopped). A line longer than
  // max_line ends the stream (kLineTooLong); after that, Feed keeps
  // answering kLineTooLong.
  Outcome Feed(std::string_view chunk, const std::function<bool(std::string_view line)>& on_line);

  // Bytes held for an unfinished line.
  size_t pending() const { return pending_.size(); }

 private:
  size_t max_line_;
  std::string pending_;
  bool failed_ = false;
};

struct WatchEvent {
  enum class Type { kAdded, kModified, kDeleted, kBookmark, kExpired, kError, kMalformed };
  Type type = Type::kMalformed;
  // ADDED/MODIFIED/DELETED/BOOKMARK: the object, an object with a metadata
  // object. ERROR: the Status. Otherwise null.
  nlohmann::json object;
  // metadata.resourceVersion when it is a string; empty otherwise.
  std::string resource_version;
};

// One line of a watch. Never throws. An ERROR whose Status has code 410 is
// kExpired (the revision was compacted: relist).
WatchEvent DecodeWatchEvent(std::string_view line);

// A LIST answer: {"metadata": {"resourceVersion": ...}, "items": [...]}.
struct ObjectList {
  std::vector<nlohmann::json> items;  // only objects with a metadata object
  std::string resource_version;       // empty when absent or not a string
};
// nullopt when the answer has no "items" array. Never throws.
std::optional<ObjectList> DecodeObjectList(nlohmann::json list);

// True when o is an object whose "metadata" is an object.
bool IsObjectWithMetadata(const nlohmann::json& o);

// The cache key of an object: "namespace/name", or "name" for cluster-scoped
// objects. Non-string fields read as empty. REQUIRES: IsObjectWithMetadata(o).
std::string ObjectKey(const nlohmann::json& o);

}  // namespace adze::kube
