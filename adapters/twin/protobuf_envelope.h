// The Kubernetes protobuf envelope ("k8s\0" + runtime.Unknown), read only as
// far as the twin needs: kubectl's typed commands (create namespace, drain's
// evictions) send protobuf bodies, and client-go has no fallback to JSON for
// them. The twin reads the envelope's apiVersion and kind and the object's
// ObjectMeta (name, generateName, namespace, labels, annotations); nothing
// else of a protobuf body is understood.
// Thread-safety: pure function.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace adze::twin {

inline constexpr std::string_view kProtobufContentType = "application/vnd.kubernetes.protobuf";

// {apiVersion, kind, metadata{...}}; nullopt when body is not an envelope.
std::optional<nlohmann::json> DecodeProtobufEnvelope(std::string_view body);

}  // namespace adze::twin
