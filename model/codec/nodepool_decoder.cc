#include "model/codec/nodepool_decoder.h"

#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "model/codec/core_decoders.h"
#include "model/cron_schedule.h"
#include "model/labels.h"

namespace adze::codec {
namespace {

constexpr size_t kMaxRequirements = 100;
constexpr size_t kMaxBudgets = 50;

// A non-negative duration, or "Never" (nullopt). Absent gives `def`.
std::optional<model::Duration> DurationOrNever(const YamlField& f, std::optional<model::Duration> def) {
  if (!f.present()) return def;
  if (f.String() == "Never") return std::nullopt;
  model::Duration d = f.Duration();
  if (d < 0) f.FailExpected("a non-negative duration or Never");
  return d;
}

// Budget durations are hours and/or minutes only ("1h", "30m", "1h30m"),
// optionally followed by "0s" as Go prints them ("1h30m0s").
bool IsHourMinuteDuration(std::string_view s) {
  if (s.ends_with("0s")) s.remove_suffix(2);
  if (s.empty()) return false;
  std::string_view units = "hm";  // allowed units, in order
  while (!s.empty()) {
    size_t digits = 0;
    while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits]))) ++digits;
    if (digits == 0 || digits == s.size()) return false;
    size_t unit = units.find(s[digits]);
    if (unit == std::string_view::npos) return false;
    units.remove_prefix(unit + 1);
    s.remove_prefix(digits + 1);
  }
  return true;
}

model::Budget DecodeBudget(const YamlField& budget) {
  budget.CheckFields({"nodes", "schedule", "duration", "reasons"});
  model::Budget out;
  std::optional<IntOrPercent> nodes = DecodeIntOrPercent(budget["nodes"]);
  IntOrPercent n = nodes.value_or(IntOrPercent{10, true});
  out.nodes = n.value;
  out.percent = n.percent;

  YamlField schedule = budget["schedule"];
  YamlField duration = budget["duration"];
  if (schedule.present()) {
    out.schedule = schedule.String();
    // Parsed in full here (field ranges, names, steps), not only counted:
    // a schedule that fails later would make the budget allow 0 silently.
    Result<model::CronSchedule> cron = model::CronSchedule::Parse(out.schedule);
    if (!cron.ok()) schedule.Fail(cron.error().message);
    if (!duration.present()) duration.Fail("required when schedule is set");
  }
  if (duration.present()) {
    if (!schedule.present()) schedule.Fail("required when duration is set");
    std::string text = duration.String();
    if (!IsHourMinuteDuration(text)) duration.FailExpected("a duration in hours and minutes such as 1h, 30m or 1h30m");
    out.duration = duration.Duration();
  }
  for (const YamlField& reason : budget["reasons"].Items()) {
    std::string r = reason.Keyword({"Underutilized", "Empty", "Drifted"});
    out.reasons.push_back(r == "Underutilized" ? model::DisruptionReason::kUnderutilized
                          : r == "Empty"       ? model::DisruptionReason::kEmpty
                                               : model::DisruptionReason::kDrifted);
  }
  return out;
}

void DecodeDisruption(const YamlField& disruption, model::NodePool& pool) {
  disruption.CheckFields({"consolidationPolicy", "consolidateAfter", "budgets"});
  YamlField policy = disruption["consolidationPolicy"];
  if (policy.present()) {
    if (policy.String() == "Balanced") {
      policy.Fail("consolidationPolicy Balanced is not supported yet (use WhenEmptyOrUnderutilized or WhenEmpty)");
    }
    pool.consolidation_policy = policy.Keyword({"WhenEmptyOrUnderutilized", "WhenEmpty"}) == "WhenEmpty"
                                    ? model::ConsolidationPolicy::kWhenEmpty
                                    : model::ConsolidationPolicy::kWhenEmptyOrUnderutilized;
  }
  pool.consolidate_after = DurationOrNever(disruption["consolidateAfter"], model::Duration{0});
  YamlField budgets = disruption["budgets"];
  if (!budgets.present()) return;
  std::vector<YamlField> items = budgets.Items();
  if (items.size() > kMaxBudgets) {
    budgets.Fail("at most " + std::to_string(kMaxBudgets) + " budgets are allowed, found " +
                 std::to_string(items.size()));
  }
  pool.budgets.clear();
  for (const YamlField& b : items) pool.budgets.push_back(DecodeBudget(b));
}

model::NodeClassRef DecodeNodeClassRef(const YamlField& ref) {
  ref.RequireMap();
  ref.CheckFields({"group", "kind", "name"});
  model::NodeClassRef out;
  // adze launches through EC2 only; Karpenter's AWS provider admits no other
  // class, so any other group or kind is a mistake, not an extension point.
  out.group = ref["group"].Keyword({"karpenter.k8s.aws"});
  out.kind = ref["kind"].Keyword({"EC2NodeClass"});
  out.name = ref["name"].String();
  if (out.name.empty()) ref["name"].Fail("name must not be empty");
  return out;
}

void DecodeTemplate(const YamlField& tmpl, model::NodePool& pool) {
  tmpl.RequireMap();
  tmpl.CheckFields({"metadata", "spec"});
  YamlField metadata = tmpl["metadata"];
  metadata.CheckFields({"labels", "annotations"});
  for (const auto& [key, value] : metadata["labels"].Entries()) {
    if (key.empty()) value.Fail("label key must not be empty");
    if (std::optional<std::string> reason = model::RestrictedLabelReason(key)) value.Fail(*reason);
    pool.template_labels[key] = value.StringOr("");
  }
  // Annotations are not restricted: e.g. karpenter.sh/do-not-disrupt on the
  // template is the documented way to protect a pool's nodes.
  pool.template_annotations = metadata["annotations"].StringMap();

  YamlField spec = tmpl["spec"].RequireMap();
  spec.CheckFields({"taints", "startupTaints", "requirements", "nodeClassRef", "expireAfter",
                    "terminationGracePeriod"});
  for (const YamlField& t : spec["taints"].Items()) pool.taints.push_back(DecodeTaint(t));
  for (const YamlField& t : spec["startupTaints"].Items()) pool.startup_taints.push_back(DecodeTaint(t));
  std::vector<YamlField> reqs = spec["requirements"].Items();
  if (reqs.size() > kMaxRequirements) {
    spec["requirements"].Fail("at most " + std::to_string(kMaxRequirements) + " requirements are allowed, found " +
                              std::to_string(reqs.size()));
  }
  for (const YamlField& r : reqs) pool.requirements.push_back(DecodeRequirement(r, RequirementSchema::kNodePool));
  pool.node_class_ref = DecodeNodeClassRef(spec["nodeClassRef"]);
  pool.expire_after = DurationOrNever(spec["expireAfter"], 720 * model::kHour);
  if (spec["terminationGracePeriod"].present()) {
    model::Duration d = spec["terminationGracePeriod"].Duration();
    if (d < 0) spec["terminationGracePeriod"].FailExpected("a non-negative duration");
    pool.termination_grace_period = d;
  }
}

}  // namespace

model::NodePool DecodeNodePool(const YamlField& object) {
  object.CheckFields({"apiVersion", "kind", "metadata", "spec"}, {"status"});
  model::NodePool pool;
  pool.meta = DecodeObjectMeta(object["metadata"], MetaScope::kCluster);
  YamlField spec = object["spec"].RequireMap();
  // replicas: static-capacity NodePools (newer Karpenter), not modelled.
  spec.CheckFields({"template", "disruption", "limits", "weight"}, {"replicas"});
  DecodeTemplate(spec["template"], pool);
  DecodeDisruption(spec["disruption"], pool);
  pool.limits = spec["limits"].ResourceAmounts();
  pool.weight = spec["weight"].OptInt32(1, 100).value_or(0);
  return pool;
}

}  // namespace adze::codec
