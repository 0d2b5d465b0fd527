// Decoder for karpenter.k8s.aws/v1 EC2NodeClass objects, validating as the
// CRD schema does (spec §1.3): selector terms (1-30, alias alone, id
// exclusive), role xor instanceProfile, restricted tags, kubelet reserved
// resources and eviction thresholds, block device mappings (at most one root
// volume; EBS needs volumeSize or snapshotID), instanceStorePolicy RAID0.
// Thread-safety: pure function over the field it is given.
#pragma once

#include "model/codec/yaml_field.h"
#include "model/ec2nodeclass.h"

namespace adze::codec {

// The whole object (apiVersion, kind, metadata, spec; status is ignored).
model::EC2NodeClass DecodeEC2NodeClass(const YamlField& object);

}  // namespace adze::codec
