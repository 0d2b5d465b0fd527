#include "model/codec/ec2nodeclass_decoder.h"

#include <optional>
#include <string>
#include <vector>

#include "model/codec/core_decoders.h"

namespace adze::codec {
namespace {

constexpr size_t kMaxSelectorTerms = 30;

enum class TermKind { kAmi, kSubnet, kSecurityGroup, kCapacityReservation };

// Selector-term tags: keys and values must be non-empty ("*" matches any value).
std::map<std::string, std::string> DecodeTermTags(const YamlField& tags) {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : tags.Entries()) {
    std::string v = value.StringOr("");
    if (key.empty() || v.empty()) value.Fail("empty tag keys or values are not supported");
    out[key] = v;
  }
  return out;
}

// alias is family@version; Windows families only have "latest".
void CheckAlias(const YamlField& f, const std::string& alias) {
  size_t at = alias.find('@');
  std::string family = alias.substr(0, at);
  std::string version = at == std::string::npos ? "" : alias.substr(at + 1);
  bool known = family == "al2" || family == "al2023" || family == "bottlerocket" || family == "windows2019" ||
               family == "windows2022" || family == "windows2025";
  if (!known || version.empty()) {
    f.FailExpected("family@version with family one of al2, al2023, bottlerocket, windows2019, windows2022, "
                   "windows2025 (e.g. al2023@latest)");
  }
  if (family.starts_with("windows") && version != "latest") f.FailExpected(family + "@latest (Windows supports only latest)");
}

model::SelectorTerm DecodeSelectorTerm(const YamlField& term, TermKind kind) {
  std::string expected_one;
  switch (kind) {
    case TermKind::kAmi:
      term.CheckFields({"alias", "id", "name", "owner", "tags", "ssmParameter"});
      expected_one = "alias, id, name, tags or ssmParameter";
      break;
    case TermKind::kSubnet:
      term.CheckFields({"tags", "id"});
      expected_one = "tags or id";
      break;
    case TermKind::kSecurityGroup:
      term.CheckFields({"tags", "id", "name"});
      expected_one = "tags, id or name";
      break;
    case TermKind::kCapacityReservation:
      term.CheckFields({"id", "tags", "ownerID"}, {"instanceMatchCriteria"});
      expected_one = "tags or id";
      break;
  }
  model::SelectorTerm out;
  out.tags = DecodeTermTags(term["tags"]);
  out.id = term["id"].StringOr("");
  out.name = term["name"].StringOr("");
  out.owner = kind == TermKind::kCapacityReservation ? term["ownerID"].StringOr("") : term["owner"].StringOr("");
  out.alias = term["alias"].StringOr("");
  out.ssm_parameter = term["ssmParameter"].StringOr("");

  bool selects = !out.tags.empty() || !out.id.empty() || !out.name.empty() || !out.alias.empty() ||
                 !out.ssm_parameter.empty();
  if (!selects) term.Fail("a selector term needs at least one of " + expected_one);
  bool others_than_id = !out.tags.empty() || !out.name.empty() || !out.owner.empty() || !out.alias.empty() ||
                        !out.ssm_parameter.empty();
  if (!out.id.empty() && others_than_id) term["id"].Fail("id cannot be combined with other fields in a selector term");
  if (!out.alias.empty()) {
    if (!out.tags.empty() || !out.name.empty() || !out.owner.empty() || !out.ssm_parameter.empty()) {
      term["alias"].Fail("alias cannot be combined with other fields in a selector term");
    }
    CheckAlias(term["alias"], out.alias);
  }
  return out;
}

std::vector<model::SelectorTerm> DecodeSelectorTerms(const YamlField& terms, TermKind kind, bool required) {
  if (required && !terms.present()) terms.Fail("required field is missing (expected a list of selector terms)");
  std::vector<YamlField> items = terms.Items();
  if (required && items.empty()) terms.Fail("at least one selector term is required");
  if (items.size() > kMaxSelectorTerms) {
    terms.Fail("at most " + std::to_string(kMaxSelectorTerms) + " selector terms are allowed, found " +
               std::to_string(items.size()));
  }
  std::vector<model::SelectorTerm> out;
  for (const YamlField& t : items) out.push_back(DecodeSelectorTerm(t, kind));
  if (kind == TermKind::kAmi) {
    for (size_t i = 0; i < out.size(); ++i) {
      if (!out[i].alias.empty() && out.size() > 1) {
        items[i]["alias"].Fail("a term with alias must be the only amiSelectorTerm");
      }
    }
  }
  return out;
}

// Tag keys Karpenter sets itself and forbids users to set.
std::map<std::string, std::string> DecodeTags(const YamlField& tags) {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : tags.Entries()) {
    if (key.empty()) value.Fail("empty tag keys are not supported");
    bool restricted = key == "karpenter.sh/nodepool" || key == "karpenter.sh/nodeclaim" ||
                      key == "karpenter.k8s.aws/ec2nodeclass" || key == "eks:eks-cluster-name" ||
                      key.starts_with("kubernetes.io/cluster/");
    if (restricted) value.Fail("tag key \"" + key + "\" is set by Karpenter and may not be set by users");
    out[key] = value.StringOr("");
  }
  return out;
}

model::ResourceList DecodeReserved(const YamlField& reserved) {
  model::ResourceList out;
  for (const auto& [name, value] : reserved.Entries()) {
    if (name != "cpu" && name != "memory" && name != "ephemeral-storage" && name != "pid") {
      value.Fail("found key \"" + name + "\", expected one of cpu, memory, ephemeral-storage, pid");
    }
    model::Quantity q = value.Quantity();
    if (q.milli() < 0) value.FailExpected("a non-negative quantity");
    out.Set(name, q);
  }
  return out;
}

model::EvictionThreshold DecodeEvictionThreshold(const YamlField& value) {
  std::string text = value.String();
  model::EvictionThreshold out;
  if (text.ends_with('%')) {
    std::string number = text.substr(0, text.size() - 1);
    size_t used = 0;
    double pct = -1;
    try {
      pct = std::stod(number, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    // stod also reads "nan", "inf", hex floats and leading blanks; the
    // kubelet takes a plain decimal. !(0 <= pct <= 100) also catches NaN.
    bool decimal = number.find_first_not_of("0123456789.") == std::string::npos;
    if (number.empty() || !decimal || used != number.size() || !(pct >= 0 && pct <= 100)) {
      value.FailExpected("a percentage from 0% to 100% or a quantity such as 100Mi");
    }
    out.percent = pct;
  } else {
    out.quantity = value.Quantity();
  }
  return out;
}

model::KubeletConfiguration DecodeKubelet(const YamlField& kubelet) {
  // The kubelet block is an open KubeletConfiguration: keys adze does not
  // model (clusterDNS, evictionSoft, imageGC*, cpuCFSQuota, ...) are passed
  // to user data by Karpenter, so they are accepted without warnings.
  model::KubeletConfiguration out;
  if (!kubelet.present()) return out;
  kubelet.RequireMap();
  out.max_pods = kubelet["maxPods"].OptInt32(0);
  out.pods_per_core = kubelet["podsPerCore"].OptInt32(0);
  out.kube_reserved = DecodeReserved(kubelet["kubeReserved"]);
  out.system_reserved = DecodeReserved(kubelet["systemReserved"]);
  for (const auto& [signal, value] : kubelet["evictionHard"].Entries()) {
    bool known = signal == "memory.available" || signal == "nodefs.available" || signal == "nodefs.inodesFree" ||
                 signal == "imagefs.available" || signal == "imagefs.inodesFree" || signal == "pid.available";
    if (!known) {
      value.Fail("found signal \"" + signal + "\", expected one of memory.available, nodefs.available, "
                 "nodefs.inodesFree, imagefs.available, imagefs.inodesFree, pid.available");
    }
    out.eviction_hard[signal] = DecodeEvictionThreshold(value);
  }
  return out;
}

model::EbsVolume DecodeEbs(const YamlField& ebs) {
  ebs.RequireMap();
  ebs.CheckFields({"volumeSize", "volumeType", "iops", "throughput", "encrypted", "kmsKeyID", "deleteOnTermination",
                   "snapshotID", "volumeInitializationRate"});
  model::EbsVolume out;
  out.volume_size = ebs["volumeSize"].OptQuantity();
  if (out.volume_size && out.volume_size->milli() <= 0) ebs["volumeSize"].FailExpected("a positive size such as 20Gi");
  out.volume_type = ebs["volumeType"].OptKeyword({"standard", "io1", "io2", "gp2", "sc1", "st1", "gp3"}).value_or("");
  out.iops = ebs["iops"].OptInt(0);
  out.throughput = ebs["throughput"].OptInt(0);
  out.encrypted = ebs["encrypted"].OptBool();
  out.kms_key_id = ebs["kmsKeyID"].StringOr("");
  out.delete_on_termination = ebs["deleteOnTermination"].OptBool();
  out.snapshot_id = ebs["snapshotID"].StringOr("");
  out.volume_initialization_rate = ebs["volumeInitializationRate"].OptInt(100, 300);
  if (!out.volume_size && out.snapshot_id.empty()) ebs.Fail("ebs needs volumeSize or snapshotID");
  return out;
}

std::vector<model::BlockDeviceMapping> DecodeBlockDeviceMappings(const YamlField& mappings) {
  std::vector<model::BlockDeviceMapping> out;
  bool have_root = false;
  for (const YamlField& m : mappings.Items()) {
    m.CheckFields({"deviceName", "rootVolume", "ebs"});
    model::BlockDeviceMapping bdm;
    bdm.device_name = m["deviceName"].StringOr("");
    bdm.root_volume = m["rootVolume"].BoolOr(false);
    if (bdm.root_volume && have_root) m["rootVolume"].Fail("at most one block device mapping may be the root volume");
    have_root = have_root || bdm.root_volume;
    bdm.ebs = DecodeEbs(m["ebs"]);
    out.push_back(std::move(bdm));
  }
  return out;
}

}  // namespace

model::EC2NodeClass DecodeEC2NodeClass(const YamlField& object) {
  object.CheckFields({"apiVersion", "kind", "metadata", "spec"}, {"status"});
  model::EC2NodeClass out;
  out.meta = DecodeObjectMeta(object["metadata"], MetaScope::kCluster);
  YamlField spec = object["spec"].RequireMap();
  spec.CheckFields({"amiFamily", "amiSelectorTerms", "subnetSelectorTerms", "securityGroupSelectorTerms",
                    "capacityReservationSelectorTerms", "role", "instanceProfile", "tags", "kubelet",
                    "blockDeviceMappings", "instanceStorePolicy", "userData"},
                   {"metadataOptions", "associatePublicIPAddress", "detailedMonitoring", "context",
                    "networkInterfaces", "placementGroupSelector", "cpuOptions", "ipPrefixCount"});

  if (std::optional<std::string> family = spec["amiFamily"].OptKeyword(
          {"AL2", "AL2023", "Bottlerocket", "Custom", "Windows2019", "Windows2022", "Windows2025"})) {
    out.ami_family = model::ParseAmiFamily(*family);
  }
  out.ami_selector_terms = DecodeSelectorTerms(spec["amiSelectorTerms"], TermKind::kAmi, true);
  bool has_alias = !out.ami_selector_terms.empty() && !out.ami_selector_terms[0].alias.empty();
  if (!has_alias && !out.ami_family) {
    spec["amiFamily"].Fail("required when amiSelectorTerms has no alias");
  }
  out.subnet_selector_terms = DecodeSelectorTerms(spec["subnetSelectorTerms"], TermKind::kSubnet, true);
  out.security_group_selector_terms =
      DecodeSelectorTerms(spec["securityGroupSelectorTerms"], TermKind::kSecurityGroup, true);
  out.capacity_reservation_selector_terms =
      DecodeSelectorTerms(spec["capacityReservationSelectorTerms"], TermKind::kCapacityReservation, false);

  out.role = spec["role"].StringOr("");
  out.instance_profile = spec["instanceProfile"].StringOr("");
  if (!out.role.empty() && !out.instance_profile.empty()) {
    spec["instanceProfile"].Fail("role and instanceProfile are mutually exclusive; set exactly one");
  }
  if (out.role.empty() && out.instance_profile.empty()) spec.Fail("one of role or instanceProfile is required");

  out.tags = DecodeTags(spec["tags"]);

  out.kubelet = DecodeKubelet(spec["kubelet"]);
  out.block_device_mappings = DecodeBlockDeviceMappings(spec["blockDeviceMappings"]);
  out.instance_store_raid0 = spec["instanceStorePolicy"].OptKeyword({"RAID0"}).has_value();
  out.user_data = spec["userData"].StringOr("");
  return out;
}

}  // namespace adze::codec
