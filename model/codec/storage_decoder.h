// Decoders for the storage objects volume topology reads: core/v1
// PersistentVolumeClaim and PersistentVolume, storage.k8s.io/v1
// StorageClass. Only the fields in model/storage.h are modelled; the rest of
// each schema is accepted without warnings.
// Thread-safety: pure functions over the fields they are given.
#pragma once

#include "model/codec/yaml_field.h"
#include "model/storage.h"

namespace adze::codec {

// spec.storageClassName and spec.volumeName; the namespace defaults to "default".
model::PersistentVolumeClaim DecodePersistentVolumeClaim(const YamlField& object);

// spec.nodeAffinity.required.nodeSelectorTerms (at least one term when
// `required` is given), and whether spec.local or spec.hostPath is set.
model::PersistentVolume DecodePersistentVolume(const YamlField& object);

// provisioner (required), volumeBindingMode (Immediate, the default, or
// WaitForFirstConsumer) and allowedTopologies[].matchLabelExpressions[]
// {key, values} (each key In a non-empty list of values).
model::StorageClass DecodeStorageClass(const YamlField& object);

}  // namespace adze::codec
