#include "scheduling/predicates/host_ports.h"

namespace adze::scheduling {
namespace {

bool AnyIp(const std::string& ip) { return ip.empty() || ip == "0.0.0.0" || ip == "::"; }

}  // namespace

const model::ContainerPort* PortClash(const std::vector<model::ContainerPort>& used,
                                      const std::vector<model::ContainerPort>& want) {
  for (const auto& w : want) {
    for (const auto& u : used) {
      if (u.host_port != w.host_port || u.protocol != w.protocol) continue;
      if (AnyIp(u.host_ip) || AnyIp(w.host_ip) || u.host_ip == w.host_ip) return &w;
    }
  }
  return nullptr;
}

Verdict HostPortsPredicate::Check(const PodView& pod, const Candidate& c) const {
  if (!c.host_ports || pod.pod->host_ports.empty()) return Verdict::Pass();
  const model::ContainerPort* p = PortClash(*c.host_ports, pod.pod->host_ports);
  if (!p) return Verdict::Pass();
  return Verdict::Fail(c.explain ? "host port " + std::to_string(p->host_port) + "/" + p->protocol + " already in use"
                                 : "");
}

}  // namespace adze::scheduling
