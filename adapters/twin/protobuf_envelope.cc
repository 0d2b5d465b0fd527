#include "adapters/twin/protobuf_envelope.h"

#include <cstdint>
#include <functional>
#include <string>

namespace adze::twin {
namespace {

// Calls visit(field, wire_type, bytes_or_empty, varint) for each field of a
// message; false on malformed input.
bool Fields(std::string_view msg, const std::function<void(uint32_t field, std::string_view bytes)>& visit) {
  size_t i = 0;
  auto varint = [&](uint64_t& out) {
    out = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (i >= msg.size()) return false;
      uint8_t b = static_cast<uint8_t>(msg[i++]);
      out |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;
  };
  while (i < msg.size()) {
    uint64_t key = 0;
    if (!varint(key)) return false;
    uint32_t field = static_cast<uint32_t>(key >> 3);
    switch (key & 7) {
      case 0: {
        uint64_t v = 0;
        if (!varint(v)) return false;
        break;
      }
      case 1:
        i += 8;
        break;
      case 5:
        i += 4;
        break;
      case 2: {
        uint64_t len = 0;
        if (!varint(len) || len > msg.size() - i) return false;
        visit(field, msg.substr(i, len));
        i += len;
        break;
      }
      default:
        return false;
    }
    if (i > msg.size()) return false;
  }
  return true;
}

}  // namespace

std::optional<nlohmann::json> DecodeProtobufEnvelope(std::string_view body) {
  static constexpr std::string_view kMagic("k8s\0", 4);
  if (body.substr(0, 4) != kMagic) return std::nullopt;
  nlohmann::json out{{"metadata", nlohmann::json::object()}};
  std::string_view raw;
  bool ok = Fields(body.substr(4), [&](uint32_t f, std::string_view b) {
    if (f == 1) {  // TypeMeta
      Fields(b, [&](uint32_t tf, std::string_view tb) {
        if (tf == 1) out["apiVersion"] = std::string(tb);
        if (tf == 2) out["kind"] = std::string(tb);
      });
    } else if (f == 2) {
      raw = b;
    }
  });
  if (!ok) return std::nullopt;
  nlohmann::json& meta = out["metadata"];
  Fields(raw, [&](uint32_t f, std::string_view b) {
    if (f != 1) return;  // field 1 of every top-level kind is ObjectMeta
    Fields(b, [&](uint32_t mf, std::string_view mb) {
      if (mf == 1) meta["name"] = std::string(mb);
      if (mf == 2) meta["generateName"] = std::string(mb);
      if (mf == 3) meta["namespace"] = std::string(mb);
      if (mf == 11 || mf == 12) {  // labels, annotations: map<string,string> entries
        std::string k, v;
        Fields(mb, [&](uint32_t ef, std::string_view eb) {
          if (ef == 1) k = std::string(eb);
          if (ef == 2) v = std::string(eb);
        });
        meta[mf == 11 ? "labels" : "annotations"][k] = v;
      }
    });
  });
  return out;
}

}  // namespace adze::twin
