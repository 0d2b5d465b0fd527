// Decoders for the objects that own or guard pods: apps/v1 Deployment and
// DaemonSet, batch/v1 Job, policy/v1 PodDisruptionBudget (model/workloads.h).
// Each takes the whole object (apiVersion, kind, metadata, spec; status is
// ignored). Thread-safety: pure functions over the fields they are given.
#pragma once

#include "model/codec/yaml_field.h"
#include "model/workloads.h"

namespace adze::codec {

// replicas defaults to 1; selector and template are required.
model::Deployment DecodeDeployment(const YamlField& object);
// As Kubernetes defaults: parallelism 1; completions 1 when neither is set,
// otherwise unset (a work queue) unless given.
model::Job DecodeJob(const YamlField& object);
model::DaemonSet DecodeDaemonSet(const YamlField& object);
// minAvailable xor maxUnavailable, each an integer or "NN%".
model::PodDisruptionBudget DecodePodDisruptionBudget(const YamlField& object);

}  // namespace adze::codec
