#include "scheduling/predicates/registry.h"

#include "scheduling/predicates/host_ports.h"
#include "scheduling/predicates/limits.h"
#include "scheduling/predicates/offerings.h"
#include "scheduling/predicates/pod_affinity.h"
#include "scheduling/predicates/pod_anti_affinity.h"
#include "scheduling/predicates/requirements.h"
#include "scheduling/predicates/resources.h"
#include "scheduling/predicates/taints.h"
#include "scheduling/predicates/topology_spread.h"

namespace adze::scheduling {

const std::vector<const Predicate*>& Predicates() {
  static const TaintsPredicate kTaints;
  static const RequirementsPredicate kRequirements;
  static const ResourcesPredicate kResources;
  static const OfferingsPredicate kOfferings;
  static const LimitsPredicate kLimits;
  static const HostPortsPredicate kHostPorts;
  static const TopologySpreadPredicate kSpread;
  static const PodAffinityPredicate kAffinity;
  static const PodAntiAffinityPredicate kAntiAffinity;
  static const std::vector<const Predicate*> kAll = {&kTaints,   &kRequirements, &kResources,
                                                     &kOfferings, &kLimits,       &kHostPorts,
                                                     &kSpread,   &kAffinity,     &kAntiAffinity};
  return kAll;
}

const Predicate* FindPredicate(std::string_view name) {
  for (const Predicate* p : Predicates()) {
    if (p->Name() == name) return p;
  }
  return nullptr;
}

}  // namespace adze::scheduling
