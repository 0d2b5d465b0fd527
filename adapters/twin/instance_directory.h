// InstanceDirectory: what the twin's kubelets need to know about the cloud's
// instances — is this instance running, when did it launch — without knowing
// which EC2 answers (TwinEc2 implements it; tests fake it).
// Thread-safety: implementations are thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace adze::twin {

struct InstanceState {
  bool running = false;      // pending or running (not shutting-down or terminated)
  int64_t launched_at = 0;   // wall clock, microseconds since the Unix epoch
  std::string instance_type;
  int32_t gpus = 0;          // the type's GPU count (0 for CPU types)
};

class InstanceDirectory {
 public:
  virtual ~InstanceDirectory() = default;
  // nullopt: no such instance.
  virtual std::optional<InstanceState> Find(const std::string& instance_id) const = 0;
};

}  // namespace adze::twin
