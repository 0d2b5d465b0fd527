// EC2NodeClass (karpenter.k8s.aws/v1): how to launch nodes on EC2 (spec §1.3).
// Only the fields that change capacity, launches or drift are modelled; the
// decoder accepts (and keeps quiet about) the rest of the schema.
// Thread-safety: value type.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/object_meta.h"
#include "model/quantity.h"
#include "model/resource_list.h"

namespace adze::model {

enum class AmiFamily { kAL2, kAL2023, kBottlerocket, kCustom, kWindows2019, kWindows2022, kWindows2025 };
std::string_view AmiFamilyName(AmiFamily f);
std::optional<AmiFamily> ParseAmiFamily(std::string_view s);

// A selector term: tags (values may use *), or an id, or a name/owner.
struct SelectorTerm {
  std::map<std::string, std::string> tags;
  std::string id;
  std::string name;
  std::string owner;
  std::string alias;  // amiSelectorTerms only: family@version
  std::string ssm_parameter;
  friend bool operator==(const SelectorTerm&, const SelectorTerm&) = default;
};

struct EbsVolume {
  std::optional<Quantity> volume_size;
  std::string volume_type;  // gp3, io2, ...
  std::optional<int64_t> iops;
  std::optional<int64_t> throughput;  // MiB/s
  std::optional<bool> encrypted;
  std::string kms_key_id;
  std::optional<bool> delete_on_termination;
  std::string snapshot_id;
  std::optional<int64_t> volume_initialization_rate;  // MiB/s
  friend bool operator==(const EbsVolume&, const EbsVolume&) = default;
};

struct BlockDeviceMapping {
  std::string device_name;
  bool root_volume = false;
  EbsVolume ebs;
  friend bool operator==(const BlockDeviceMapping&, const BlockDeviceMapping&) = default;
};

// Eviction thresholds are a quantity or a percentage of capacity.
struct EvictionThreshold {
  std::optional<Quantity> quantity;
  std::optional<double> percent;  // 0..100
  friend bool operator==(const EvictionThreshold&, const EvictionThreshold&) = default;
};

struct KubeletConfiguration {
  std::optional<int32_t> max_pods;
  std::optional<int32_t> pods_per_core;
  ResourceList kube_reserved;    // keys present replace the defaults
  ResourceList system_reserved;
  std::map<std::string, EvictionThreshold> eviction_hard;  // memory.available, nodefs.available, ...
  friend bool operator==(const KubeletConfiguration&, const KubeletConfiguration&) = default;
};

struct EC2NodeClass {
  ObjectMeta meta;
  std::optional<AmiFamily> ami_family;  // inferred from an alias when unset
  std::vector<SelectorTerm> ami_selector_terms;
  std::vector<SelectorTerm> subnet_selector_terms;
  std::vector<SelectorTerm> security_group_selector_terms;
  std::vector<SelectorTerm> capacity_reservation_selector_terms;
  std::string role;
  std::string instance_profile;
  std::map<std::string, std::string> tags;
  KubeletConfiguration kubelet;
  std::vector<BlockDeviceMapping> block_device_mappings;
  bool instance_store_raid0 = false;  // instanceStorePolicy: RAID0
  std::string user_data;

  // The AMI family in effect: ami_family, else the alias's family, else AL2023.
  AmiFamily EffectiveAmiFamily() const;
  friend bool operator==(const EC2NodeClass&, const EC2NodeClass&) = default;
};

}  // namespace adze::model
