// KwokCloudProvider: a cloud for `adze controller --cloud-provider kwok`, as
// Karpenter's KWOK provider: no machine is started; Create picks the cheapest
// available offering of the catalog that the claim's requirements allow
// (instance type, zone, capacity type), and answers with a providerID
// kwok://<claim> and the type's capacity — and the twin's kubelets then
// register the Node. Instance types are the catalog's, resolved under the
// pool's EC2NodeClass (as the AWS provider does), so the controller plans with
// the same types, capacities and prices it would on AWS.
// Instances are the claims that carry a kwok:// providerID (read through
// `claims`), so a restarted controller finds the instances it launched, as it
// would find them on EC2.
// Thread-safety: call from the controller thread.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/instance_type.h"
#include "model/ec2nodeclass.h"
#include "ports/clock.h"
#include "ports/cloud_provider.h"
#include "ports/cluster_objects.h"

namespace adze::twin {

class KwokCloudProvider final : public ports::CloudProvider {
 public:
  using NodeClassLookup = std::function<std::optional<model::EC2NodeClass>(const std::string& name)>;
  using ClaimList = std::function<std::vector<ports::NodeClaimInfo>()>;

  KwokCloudProvider(const catalog::Catalog& catalog, ports::Clock& clock, NodeClassLookup node_classes,
                    ClaimList claims);

  void Create(const model::NodeClaim& claim, model::Duration deadline, ports::LaunchDone done) override;
  Status Delete(const std::string& provider_id) override;
  std::optional<ports::Instance> Get(const std::string& provider_id) const override;
  std::vector<ports::Instance> List() const override;
  Result<catalog::InstanceTypes> GetInstanceTypes(const model::NodePool& pool) override;
  void MarkUnavailable(const ports::OfferingKey& key) override;
  std::optional<std::string> IsDrifted(const model::NodeClaim& claim) const override;

 private:
  const std::vector<catalog::InstanceType>& Types(const std::string& node_class);

  const catalog::Catalog& catalog_;
  ports::Clock& clock_;
  NodeClassLookup node_classes_;
  ClaimList claims_;
  std::map<std::string, std::vector<catalog::InstanceType>> types_;  // by node class
  std::map<std::string, ports::Instance> launched_;                  // by providerID, until the claim records it
  std::set<std::string> terminated_;
  std::map<ports::OfferingKey, model::Duration> unavailable_until_;
};

}  // namespace adze::twin
