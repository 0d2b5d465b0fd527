#include "model/codec/workload_decoder.h"

#include <optional>
#include <string>

#include "model/codec/core_decoders.h"
#include "model/codec/pod_decoder.h"

namespace adze::codec {
namespace {

model::LabelSelector RequiredSelector(const YamlField& spec) {
  spec["selector"].RequireMap();
  return DecodeLabelSelector(spec["selector"]);
}

}  // namespace

model::Deployment DecodeDeployment(const YamlField& object) {
  object.CheckFields({"apiVersion", "kind", "metadata", "spec"}, {"status"});
  model::Deployment out;
  out.meta = DecodeObjectMeta(object["metadata"], MetaScope::kNamespaced);
  YamlField spec = object["spec"].RequireMap();
  spec.CheckFields({"replicas", "selector", "template"},
                   {"strategy", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds", "paused"});
  out.replicas = spec["replicas"].OptInt32(0, model::kMaxWorkloadPods).value_or(1);
  out.selector = RequiredSelector(spec);
  out.pod_template = DecodePodTemplate(spec["template"], out.meta, "Deployment");
  return out;
}

model::Job DecodeJob(const YamlField& object) {
  object.CheckFields({"apiVersion", "kind", "metadata", "spec"}, {"status"});
  model::Job out;
  out.meta = DecodeObjectMeta(object["metadata"], MetaScope::kNamespaced);
  YamlField spec = object["spec"].RequireMap();
  spec.CheckFields({"parallelism", "completions", "template"},
                   {"backoffLimit", "backoffLimitPerIndex", "maxFailedIndexes", "activeDeadlineSeconds",
                    "ttlSecondsAfterFinished", "completionMode", "suspend", "selector", "manualSelector",
                    "podFailurePolicy", "podReplacementPolicy", "successPolicy", "managedBy"});
  std::optional<int32_t> parallelism = spec["parallelism"].OptInt32(0, model::kMaxWorkloadPods);
  out.completions = spec["completions"].OptInt32(0, model::kMaxWorkloadPods);
  if (!parallelism && !out.completions) out.completions = 1;
  out.parallelism = parallelism.value_or(1);
  out.pod_template = DecodePodTemplate(spec["template"], out.meta, "Job");
  return out;
}

model::DaemonSet DecodeDaemonSet(const YamlField& object) {
  object.CheckFields({"apiVersion", "kind", "metadata", "spec"}, {"status"});
  model::DaemonSet out;
  out.meta = DecodeObjectMeta(object["metadata"], MetaScope::kNamespaced);
  YamlField spec = object["spec"].RequireMap();
  spec.CheckFields({"selector", "template"}, {"updateStrategy", "minReadySeconds", "revisionHistoryLimit"});
  out.selector = RequiredSelector(spec);
  out.pod_template = DecodePodTemplate(spec["template"], out.meta, "DaemonSet");
  return out;
}

model::PodDisruptionBudget DecodePodDisruptionBudget(const YamlField& object) {
  object.CheckFields({"apiVersion", "kind", "metadata", "spec"}, {"status"});
  model::PodDisruptionBudget out;
  out.meta = DecodeObjectMeta(object["metadata"], MetaScope::kNamespaced);
  YamlField spec = object["spec"].RequireMap();
  spec.CheckFields({"selector", "minAvailable", "maxUnavailable"}, {"unhealthyPodEvictionPolicy"});
  // A PDB without a selector matches no pods; keep that as an empty selector
  // would match everything.
  if (spec["selector"].present()) {
    out.selector = DecodeLabelSelector(spec["selector"]);
  } else {
    spec["selector"].Fail("required field is missing (a PodDisruptionBudget without a selector guards no pods)");
  }
  if (spec["minAvailable"].present() && spec["maxUnavailable"].present()) {
    spec["maxUnavailable"].Fail("minAvailable and maxUnavailable cannot both be set");
  }
  if (auto v = DecodeIntOrPercent(spec["minAvailable"])) {
    out.min_available = v->value;
    out.min_available_percent = v->percent;
  }
  if (auto v = DecodeIntOrPercent(spec["maxUnavailable"])) {
    out.max_unavailable = v->value;
    out.max_unavailable_percent = v->percent;
  }
  return out;
}

}  // namespace adze::codec
