#include "adapters/kube/leader_elector.h"

#include <cstdio>
#include <thread>

namespace adze::kube {
namespace {

using nlohmann::json;

// metav1.MicroTime: RFC 3339 with microseconds.
std::string MicroTime() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(us));
  return buf;
}

}  // namespace

LeaderElector::LeaderElector(RestClient& client, LeaderElectionOptions options)
    : client_(client), options_(std::move(options)) {}

std::string LeaderElector::Path() const {
  return "/apis/coordination.k8s.io/v1/namespaces/" + options_.namespace_ + "/leases/" + options_.name;
}

bool LeaderElector::TryAcquireOrRenew(Clock::time_point now) {
  auto fail = [&] {
    // Keep leading only within the renew deadline of the last renewal.
    if (leading_ && now - last_renew_ > options_.renew_deadline) leading_ = false;
    return leading_.load();
  };
  std::string now_text = MicroTime();
  auto current = client_.Call("GET", Path());
  if (!current.ok() && current.error().code == ErrorCode::kNotFound) {
    json lease{{"apiVersion", "coordination.k8s.io/v1"},
               {"kind", "Lease"},
               {"metadata", {{"name", options_.name}, {"namespace", options_.namespace_}}},
               {"spec",
                {{"holderIdentity", options_.identity},
                 {"leaseDurationSeconds", options_.lease_duration.count()},
                 {"acquireTime", now_text},
                 {"renewTime", now_text},
                 {"leaseTransitions", 0}}}};
    auto made =
        client_.Call("POST", "/apis/coordination.k8s.io/v1/namespaces/" + options_.namespace_ + "/leases", &lease);
    if (!made.ok()) return fail();
    leading_ = true;
    last_renew_ = now;
    return true;
  }
  if (!current.ok()) return fail();
  json lease = *current;
  json& spec = lease["spec"];
  if (!spec.is_object()) spec = json::object();
  std::string holder = spec.value("holderIdentity", "");
  if (holder != options_.identity && !holder.empty()) {
    // Someone else's: take it only when it has not changed for a lease duration.
    std::string record = spec.dump();
    if (record != observed_record_) {
      observed_record_ = record;
      observed_at_ = now;
    }
    int64_t duration = spec.value("leaseDurationSeconds", options_.lease_duration.count());
    if (now - observed_at_ < std::chrono::seconds(duration)) {
      leading_ = false;
      return false;
    }
  }
  if (holder != options_.identity) {
    spec["holderIdentity"] = options_.identity;
    spec["acquireTime"] = now_text;
    spec["leaseTransitions"] = spec.value("leaseTransitions", 0) + 1;
  }
  spec["leaseDurationSeconds"] = options_.lease_duration.count();
  spec["renewTime"] = now_text;
  auto written = client_.Call("PUT", Path(), &lease);  // carries the resourceVersion: a race is a conflict
  if (!written.ok()) return fail();
  leading_ = true;
  last_renew_ = now;
  return true;
}

void LeaderElector::Run(const std::atomic<bool>& stop) {
  while (!stop.load()) {
    const Clock::time_point started = Clock::now();
    TryAcquireOrRenew(started);
    // Sleep in slices so that stop is seen within 50 ms.
    while (!stop.load() && Clock::now() - started < options_.retry_period) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

void LeaderElector::Release() {
  if (!leading_) return;
  leading_ = false;
  auto current = client_.Call("GET", Path());
  if (!current.ok()) return;
  json lease = *current;
  if (!lease.is_object() || !lease["spec"].is_object() || lease["spec"].value("holderIdentity", "") != options_.identity) {
    return;
  }
  lease["spec"]["holderIdentity"] = "";
  lease["spec"]["leaseDurationSeconds"] = 1;
  lease["spec"]["renewTime"] = MicroTime();
  (void)client_.Call("PUT", Path(), &lease);
}

}  // namespace adze::kube
