#include "adapters/kube/watch_stream.h"

namespace adze::kube {
namespace {

std::string StringField(const nlohmann::json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

LineFramer::Outcome LineFramer::Feed(std::string_view chunk,
                                     const std::function<bool(std::string_view line)>& on_line) {
  if (failed_) return Outcome::kLineTooLong;
  pending_.append(chunk);
  size_t start = 0;
  for (size_t nl; (nl = pending_.find('\n', start)) != std::string::npos; start = nl + 1) {
    if (nl - start > max_line_) {
      failed_ = true;
      pending_.clear();
      return Outcome::kLineTooLong;
    }
    if (!on_line(std::string_view(pending_).substr(start, nl - start))) {
      pending_.erase(0, nl + 1);
      return Outcome::kStopped;
    }
  }
  pending_.erase(0, start);
  if (pending_.size() > max_line_) {
    failed_ = true;
    pending_.clear();
    return Outcome::kLineTooLong;
  }
  return Outcome::kMore;
}

bool IsObjectWithMetadata(const nlohmann::json& o) {
  if (!o.is_object()) return false;
  auto m = o.find("metadata");
  return m != o.end() && m->is_object();
}

std::string ObjectKey(const nlohmann::json& o) {
  const nlohmann::json& m = o.at("metadata");
  std::string ns = StringField(m, "namespace");
  std::string name = StringField(m, "name");
  return ns.empty() ? name : ns + "/" + name;
}

std::optional<ObjectList> DecodeObjectList(nlohmann::json list) {
  if (!list.is_object()) return std::nullopt;
  auto items = list.find("items");
  if (items == list.end() || !items->is_array()) return std::nullopt;
  ObjectList out;
  for (nlohmann::json& item : *items) {
    if (IsObjectWithMetadata(item)) out.items.push_back(std::move(item));  // a server's garbage is never cached
  }
  auto meta = list.find("metadata");
  if (meta != list.end() && meta->is_object()) out.resource_version = StringField(*meta, "resourceVersion");
  return out;
}

WatchEvent DecodeWatchEvent(std::string_view line) {
  WatchEvent out;
  nlohmann::json event = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!event.is_object()) return out;
  std::string type = StringField(event, "type");
  auto object = event.find("object");
  if (object == event.end()) return out;
  if (type == "ERROR") {
    auto code = object->is_object() ? object->find("code") : object->end();
    bool gone = code != object->end() && code->is_number_integer() && code->get<int64_t>() == 410;
    out.type = gone ? WatchEvent::Type::kExpired : WatchEvent::Type::kError;
    out.object = std::move(*object);
    return out;
  }
  if (type == "ADDED") {
    out.type = WatchEvent::Type::kAdded;
  } else if (type == "MODIFIED") {
    out.type = WatchEvent::Type::kModified;
  } else if (type == "DELETED") {
    out.type = WatchEvent::Type::kDeleted;
  } else if (type == "BOOKMARK") {
    out.type = WatchEvent::Type::kBookmark;
  } else {
    return out;
  }
  if (!IsObjectWithMetadata(*object)) {
    out.type = WatchEvent::Type::kMalformed;
    return out;
  }
  out.resource_version = StringField(object->at("metadata"), "resourceVersion");
  out.object = std::move(*object);
  return out;
}

}  // namespace adze::kube
