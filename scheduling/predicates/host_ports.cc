#include "scheduling/predicates/host_ports.h"

namespace adze::scheduling {
namespace {

bool AnyIp(const std::string& ip) { return ip.empty() || ip == "0.0.0.0" || ip == "::"; }

bool Clash(const model::ContainerPort& u, const model::ContainerPort& w) {
  if (u.host_port != w.host_port || u.protocol != w.protocol) return false;
  return AnyIp(u.host_ip) || AnyIp(w.host_ip) || u.host_ip == w.host_ip;
}

}  // namespace

const model::ContainerPort* PortClash(const std::vector<model::ContainerPort>& used,
                                      const std::vector<model::ContainerPort>& want) {
  for (const auto& w : want) {
    for (const auto& u : used) {
      if (Clash(u, w)) return &w;
    }
  }
  return nullptr;
}

Verdict HostPortsPredicate::Check(const PodView& pod, const Candidate& c) const {
  if (!c.host_ports || pod.pod->host_ports.empty()) return Verdict::Pass();
  const model::ContainerPort* p = PortClash(*c.host_ports, pod.pod->host_ports);
  if (!p) return Verdict::Pass();
  if (!c.explain) return Verdict::Fail("");
  std::string reason = "host port " + std::to_string(p->host_port) + "/" + p->protocol + " already in use";
  if (c.host_port_owners) {
    for (size_t i = 0; i < c.host_ports->size() && i < c.host_port_owners->size(); ++i) {
      if (Clash((*c.host_ports)[i], *p)) return Verdict::Fail(reason + " by " + (*c.host_port_owners)[i]);
    }
  }
  return Verdict::Fail(reason);
}

}  // namespace adze::scheduling
