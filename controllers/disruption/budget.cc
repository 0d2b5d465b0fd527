#include "controllers/disruption/budget.h"

#include <algorithm>

namespace adze::controllers::disruption {
namespace {

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string Describe(const model::Budget& b) {
  std::string s = std::to_string(b.nodes) + (b.percent ? "%" : "");
  if (!b.schedule.empty()) s += " schedule " + Quote(b.schedule);
  if (b.duration) s += " for " + model::FormatDuration(*b.duration);
  if (!b.reasons.empty()) {
    s += " reasons ";
    for (size_t i = 0; i < b.reasons.size(); ++i) {
      if (i > 0) s += ",";
      s += model::DisruptionReasonName(b.reasons[i]);
    }
  }
  return s;
}

}  // namespace

// ---- budgets ---------------------------------------------------------------------

Result<bool> BudgetIsActive(const model::Budget& b, model::Duration now) {
  if (b.schedule.empty() && !b.duration) return true;
  Result<CronSchedule> s = CronSchedule::Parse(b.schedule);
  if (!s.ok()) return s.error();
  if (!s->CanEverMatch()) return true;  // robfig returns the zero time, which is not After(now)
  const model::Duration duration = b.duration.value_or(0);
  if (duration <= 0) return false;
  std::optional<model::Duration> hit = s->LastHitAtOrBefore(now, duration);
  return hit.has_value() && *hit > now - duration;
}

int64_t BudgetNodeLimit(const model::Budget& b, int32_t total_nodes) {
  if (!b.percent) return b.nodes;
  const int64_t scaled = int64_t{b.nodes} * total_nodes;
  return model::CeilDiv(scaled, 100);
}

bool BudgetAppliesTo(const model::Budget& b, model::DisruptionReason reason) {
  return b.reasons.empty() || std::find(b.reasons.begin(), b.reasons.end(), reason) != b.reasons.end();
}

BudgetEvaluation EvaluateBudgets(const model::NodePool& pool, model::DisruptionReason reason, model::Duration now,
                                 int32_t total_nodes, int32_t disrupting_nodes) {
  ADZE_DCHECK(total_nodes >= 0 && disrupting_nodes >= 0);
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  BudgetEvaluation e;
  e.limit = kMax;
  std::string why = "no active budget applies to " + std::string(model::DisruptionReasonName(reason));
  for (size_t i = 0; i < pool.budgets.size(); ++i) {
    const model::Budget& b = pool.budgets[i];
    if (!BudgetAppliesTo(b, reason)) continue;
    Result<bool> active = BudgetIsActive(b, now);
    int64_t value = 0;
    std::string reason_text;
    if (!active.ok()) {
      value = 0;  // fail closed
      reason_text = "malformed, allows 0: " + active.error().message;
    } else if (!*active) {
      continue;
    } else {
      value = BudgetNodeLimit(b, total_nodes);
      reason_text = "allows " + std::to_string(value) + " of " + std::to_string(total_nodes) + " nodes";
    }
    if (!e.binding || value < e.limit) {
      e.limit = std::min(value, kMax);
      e.binding = i;
      why = "budget[" + std::to_string(i) + "] (" + Describe(b) + ") " + reason_text;
    }
  }
  e.allowed = static_cast<int32_t>(std::clamp<int64_t>(e.limit - disrupting_nodes, 0, kMax));
  e.detail = why + "; " + std::to_string(disrupting_nodes) + " disrupting -> " + std::to_string(e.allowed) +
             " allowed";
  return e;
}

int32_t AllowedDisruptions(const model::NodePool& pool, model::DisruptionReason reason, model::Duration now,
                           int32_t total_nodes, int32_t disrupting_nodes) {
  return EvaluateBudgets(pool, reason, now, total_nodes, disrupting_nodes).allowed;
}

}  // namespace adze::controllers::disruption
