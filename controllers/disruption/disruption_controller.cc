#include "controllers/disruption/disruption_controller.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>

#include "controllers/disruption/budget.h"
#include "controllers/provisioner.h"

namespace adze::controllers::disruption {

std::string_view MethodName(Method m) {
  switch (m) {
    case Method::kEmptiness: return "emptiness";
    case Method::kDrift: return "drift";
    case Method::kMultiNodeConsolidation: return "multi-node-consolidation";
    case Method::kSingleNodeConsolidation: return "single-node-consolidation";
  }
  return "?";
}

namespace {

model::Taint Disrupted() {
  model::Taint t;
  t.key = std::string(kDisruptedTaintKey);
  t.effect = model::TaintEffect::kNoSchedule;
  return t;
}

bool UsesConsolidation(const Candidate& c) {
  return c.consolidatable && !c.held &&
         c.pool->consolidation_policy == model::ConsolidationPolicy::kWhenEmptyOrUnderutilized;
}

}  // namespace

DisruptionController::DisruptionController(ports::Cluster& cluster, ports::CloudProvider& cloud,
                                           const ports::Clock& clock, const ports::Stopwatch& stopwatch,
                                           DisruptionOptions options)
    : cluster_(cluster),
      cloud_(cloud),
      clock_(clock),
      stopwatch_(stopwatch),
      options_(options),
      headroom_([&] {
        HeadroomOptions h = options.headroom_options;
        h.by_default = options.headroom;
        return h;
      }()) {}

bool DisruptionController::KeepsHeadroom() {
  if (options_.mode != Mode::kAdze) return false;
  const auto& pools = Fresh().NodePools();
  return std::any_of(pools.begin(), pools.end(),
                     [&](const model::NodePool& pool) { return disruption::KeepsHeadroom(pool, options_.headroom); });
}

DisruptionController::PoolCounts DisruptionController::CountPools() {
  PoolCounts counts;
  const ports::ClusterSnapshot& cluster = Fresh();
  for (const ports::NodeClaimInfo* claim : cluster.NodeClaims()) {
    if (!claim->initialized_at) continue;
    const ports::NodeInfo* node = cluster.GetNode(claim->claim.node_name);
    const bool deleting = claim->deletion_requested_at.has_value();
    if (!deleting) ++counts.total[claim->node_pool];
    if (deleting || marked_.contains(claim->claim.meta.name) || deletion_unseen_.contains(claim->claim.meta.name) ||
        node == nullptr || !node->node.ready) {
      ++counts.disrupting[claim->node_pool];
    }
  }
  return counts;
}

std::map<std::string, int32_t> DisruptionController::Budgets(model::DisruptionReason reason, const PoolCounts& counts) {
  auto of = [](const std::map<std::string, int32_t>& by_pool, const std::string& pool) {
    auto it = by_pool.find(pool);
    return it == by_pool.end() ? 0 : it->second;
  };
  std::map<std::string, int32_t> allowed;
  for (const model::NodePool& pool : Fresh().NodePools()) {
    allowed[pool.meta.name] = AllowedDisruptions(pool, reason, clock_.Now(), of(counts.total, pool.meta.name),
                                                 of(counts.disrupting, pool.meta.name));
  }
  return allowed;
}

std::optional<Command> DisruptionController::Emptiness(const std::vector<Candidate>& candidates, const PoolCounts& counts) {
  auto budgets = Budgets(model::DisruptionReason::kEmpty, counts);
  Command command;
  command.method = Method::kEmptiness;
  command.reason = model::DisruptionReason::kEmpty;
  for (const Candidate& c : candidates) {
    if (!c.empty() || !c.consolidatable || c.held) continue;
    int32_t& left = budgets[c.pool->meta.name];
    if (left <= 0) continue;
    --left;
    command.candidates.push_back(c.claim->claim.meta.name);
    command.savings_per_hour += c.price;
  }
  if (command.candidates.empty()) return std::nullopt;
  return command;
}

std::optional<Command> DisruptionController::Drift(std::vector<Candidate>& candidates, const PoolCounts& counts) {
  std::vector<size_t> drifted;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i].drifted) drifted.push_back(i);
  }
  if (drifted.empty()) return std::nullopt;
  // Empty before non-empty, then the oldest first (spec §6.4).
  std::stable_sort(drifted.begin(), drifted.end(), [&](size_t a, size_t b) {
    if (candidates[a].empty() != candidates[b].empty()) return candidates[a].empty();
    return candidates[a].claim->created_at < candidates[b].claim->created_at;
  });
  auto budgets = Budgets(model::DisruptionReason::kDrifted, counts);
  SimulatorOptions sim_options;
  sim_options.require_cheaper = false;
  ConsolidationSimulator simulator(Fresh(), cloud_, candidates, sim_options, &bound_, &solve_cache_);
  for (size_t i : drifted) {
    if (budgets[candidates[i].pool->meta.name] <= 0) continue;
    const size_t one[] = {i};
    Move move = simulator.Simulate(one);
    if (!move.feasible) continue;
    Command command;
    command.method = Method::kDrift;
    command.reason = model::DisruptionReason::kDrifted;
    command.candidates = {candidates[i].claim->claim.meta.name};
    command.replacements = std::move(move.replacements);
    command.savings_per_hour = move.Savings();
    return command;
  }
  return std::nullopt;
}

SimulatorOptions DisruptionController::ConsolidationOptions() const {
  SimulatorOptions sim_options;
  sim_options.spot_to_spot = options_.spot_to_spot;
  sim_options.kept_room = &kept_room_;
  sim_options.max_replacements = options_.mode == Mode::kKarpenter ? 1 : options_.max_replacements;
  return sim_options;
}

bool DisruptionController::RepaysLostWork(double lost_work_usd, double savings_per_hour) const {
  if (options_.mode != Mode::kAdze || options_.lost_work_payback <= 0) return true;
  return lost_work_usd <= savings_per_hour * static_cast<double>(options_.lost_work_payback) / model::kHour;
}

bool DisruptionController::Repayable(const Candidate& c) const { return RepaysLostWork(c.lost_work_usd, c.price); }

std::optional<Command> DisruptionController::MultiNode(const std::vector<Candidate>& candidates,
                                                       ConsolidationSimulator& simulator, const PoolCounts& counts) {
  auto budgets = Budgets(model::DisruptionReason::kUnderutilized, counts);
  std::vector<size_t> eligible;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (!UsesConsolidation(candidates[i]) || !Repayable(candidates[i])) continue;
    int32_t& left = budgets[candidates[i].pool->meta.name];
    if (left <= 0) continue;
    --left;
    eligible.push_back(i);
    if (options_.mode == Mode::kKarpenter && eligible.size() == options_.multi_node_cap) break;
  }
  if (eligible.size() < 2) return std::nullopt;
  // Binary search on the prefix length in [2, n]; keep the longest valid.
  size_t lo = 2, hi = eligible.size();
  std::optional<std::pair<size_t, Move>> best;
  double modelled_seconds = 0;
  std::vector<double> lost_work(eligible.size() + 1, 0.0);  // of each prefix
  for (size_t k = 0; k < eligible.size(); ++k) lost_work[k + 1] = lost_work[k] + candidates[eligible[k]].lost_work_usd;
  while (lo <= hi) {
    const size_t mid = (lo + hi) / 2;
    Move move = simulator.Simulate(std::span<const size_t>(eligible.data(), mid));
    modelled_seconds += 0.01 + static_cast<double>(move.pods) / options_.modelled_pods_per_second;
    if (move.feasible && (move.replacements.empty() || move.Savings() > 0) &&
        RepaysLostWork(lost_work[mid], move.Savings())) {
      best.emplace(mid, std::move(move));
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
    if (options_.mode == Mode::kKarpenter &&
        modelled_seconds * model::kSecond > static_cast<double>(options_.multi_node_timeout)) {
      break;
    }
  }
  if (!best) return std::nullopt;
  Command command;
  command.method = Method::kMultiNodeConsolidation;
  command.reason = best->second.replacements.empty() && std::all_of(eligible.begin(), eligible.begin() + best->first,
                                                                     [&](size_t i) { return candidates[i].empty(); })
                       ? model::DisruptionReason::kEmpty
                       : model::DisruptionReason::kUnderutilized;
  for (size_t k = 0; k < best->first; ++k) command.candidates.push_back(candidates[eligible[k]].claim->claim.meta.name);
  command.savings_per_hour = best->second.Savings();
  command.lost_work_usd = lost_work[best->first];
  command.replacements = std::move(best->second.replacements);
  return command;
}

std::optional<Command> DisruptionController::SingleNode(const std::vector<Candidate>& candidates,
                                                        ConsolidationSimulator& simulator, const PoolCounts& counts) {
  auto budgets = Budgets(model::DisruptionReason::kUnderutilized, counts);
  double modelled_seconds = 0;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (!UsesConsolidation(candidates[i]) || !Repayable(candidates[i]) || budgets[candidates[i].pool->meta.name] <= 0) {
      continue;
    }
    const size_t one[] = {i};
    Move move = simulator.Simulate(one);
    modelled_seconds += 0.01 + static_cast<double>(move.pods) / options_.modelled_pods_per_second;
    if (move.feasible && (move.replacements.empty() || move.Savings() > 0) &&
        RepaysLostWork(candidates[i].lost_work_usd, move.Savings())) {
      Command command;
      command.method = Method::kSingleNodeConsolidation;
      command.reason = candidates[i].empty() ? model::DisruptionReason::kEmpty : model::DisruptionReason::kUnderutilized;
      command.candidates = {candidates[i].claim->claim.meta.name};
      command.savings_per_hour = move.Savings();
      command.lost_work_usd = candidates[i].lost_work_usd;
      command.replacements = std::move(move.replacements);
      return command;
    }
    if (options_.mode == Mode::kKarpenter &&
        modelled_seconds * model::kSecond > static_cast<double>(options_.single_node_timeout)) {
      break;
    }
  }
  return std::nullopt;
}

std::optional<Command> DisruptionController::Decide(std::vector<Candidate>& candidates, DisruptionResult& result) {
  (void)result;
  // Nothing changes the cluster between the methods of one decision.
  const PoolCounts counts = CountPools();
  if (auto c = Emptiness(candidates, counts)) return c;
  if (auto c = Drift(candidates, counts)) return c;
  if (!options_.consolidation) return std::nullopt;
  // Pods still waiting for capacity: the cluster is not settled; moving pods
  // now would compete with provisioning for the same room.
  for (const ports::PodInfo* pod : Fresh().PendingPods()) {
    if (IsProvisionable(*pod) && pod->nominated_node_claim.empty()) return std::nullopt;
  }
  SortForConsolidation(candidates);
  ConsolidationSimulator simulator(Fresh(), cloud_, candidates, ConsolidationOptions(), &bound_, &solve_cache_);
  if (auto c = MultiNode(candidates, simulator, counts)) return c;
  return SingleNode(candidates, simulator, counts);
}

bool DisruptionController::Validate(Command& command, std::string& why) {
  const std::set<std::string> named(command.candidates.begin(), command.candidates.end());
  std::vector<Candidate> fresh = BuildCandidates(Fresh(), cloud_, clock_.Now(), &named);
  std::vector<size_t> indexes;
  for (const std::string& name : command.candidates) {
    auto it = std::find_if(fresh.begin(), fresh.end(),
                           [&](const Candidate& c) { return c.claim->claim.meta.name == name; });
    if (it == fresh.end()) {
      why = name + " is no longer a candidate";
      return false;
    }
    if (command.method == Method::kEmptiness && !it->empty()) {
      why = name + " is no longer empty";
      return false;
    }
    indexes.push_back(static_cast<size_t>(it - fresh.begin()));
  }
  // Budgets may have been spent since the decision (spec §6.6).
  const PoolCounts counts = CountPools();
  std::map<std::string, int32_t> budgets = Budgets(command.reason, counts);
  for (size_t i : indexes) {
    if (--budgets[fresh[i].pool->meta.name] < 0) {
      why = "NodePool " + fresh[i].pool->meta.name + "'s disruption budget no longer allows it";
      return false;
    }
  }
  if (command.method == Method::kEmptiness) return true;
  SimulatorOptions sim_options;
  sim_options.spot_to_spot = options_.spot_to_spot;
  sim_options.kept_room = &kept_room_;
  sim_options.max_replacements = command.replacements.size();
  ConsolidationSimulator simulator(Fresh(), cloud_, fresh, sim_options, &bound_, &solve_cache_);
  Move move = simulator.Simulate(indexes);
  if (!move.feasible) {
    why = "no longer valid: " + move.reason;
    return false;
  }
  double lost_work = 0;
  for (size_t i : indexes) lost_work += fresh[i].lost_work_usd;
  if (!RepaysLostWork(lost_work, move.Savings())) {
    why = "its savings no longer repay the work its pods would redo";
    return false;
  }
  command.replacements = std::move(move.replacements);
  command.savings_per_hour = move.Savings();
  command.lost_work_usd = lost_work;
  return true;
}

void DisruptionController::Start(Command command, DisruptionResult& result) {
  command.started_at = clock_.Now();
  marked_.insert(command.candidates.begin(), command.candidates.end());
  // A taint that could not be written is written again by termination.
  for (const std::string& node : NodesOf(command)) (void)cluster_.TaintNode(node, Disrupted());
  // Replacements first; the candidates go only once they are initialised.
  for (Replacement& r : command.replacements) {
    char name[96];
    std::snprintf(name, sizeof name, "%s-r%05llu", r.node_pool.c_str(),
                  static_cast<unsigned long long>(++replacements_created_));
    r.claim.meta.name = name;
    Result<std::string> created = cluster_.CreateNodeClaim(r.claim, r.node_pool);
    if (!created.ok()) {
      // Without its replacements the command would strand pods: give it up.
      for (const std::string& made : command.replacement_claims) (void)cluster_.RequestNodeClaimDeletion(made, "abandoned");
      Release(command);
      result.abandoned.emplace_back(std::move(command), "creating a replacement failed: " + created.error().message);
      return;
    }
    command.replacement_claims.push_back(*created);
  }
  if (command.replacement_claims.empty()) {
    RequestDeletion(command);
    result.executed.push_back(std::move(command));
    return;
  }
  orchestrating_.push_back(std::move(command));
}

void DisruptionController::Release(const Command& command) {
  for (const std::string& name : command.candidates) marked_.erase(name);
  for (const std::string& node : NodesOf(command)) (void)cluster_.RemoveTaint(node, std::string(kDisruptedTaintKey));
}

std::vector<std::string> DisruptionController::NodesOf(const Command& command) {
  // Read from one view before any write: each write changes the cluster,
  // and a fresh view per candidate would copy the node table each time.
  const ports::ClusterSnapshot& view = Fresh();
  std::vector<std::string> nodes;
  for (const std::string& name : command.candidates) {
    if (const ports::NodeClaimInfo* claim = view.GetNodeClaim(name)) nodes.push_back(claim->claim.node_name);
  }
  return nodes;
}

void DisruptionController::Progress(DisruptionResult& result) {
  std::vector<Command> still;
  for (Command& command : orchestrating_) {
    bool ready = true, gone = false;
    for (const std::string& name : command.replacement_claims) {
      const ports::NodeClaimInfo* claim = Fresh().GetNodeClaim(name);
      if (claim == nullptr || claim->deletion_requested_at) {
        gone = true;
      } else if (!claim->initialized_at) {
        ready = false;
      }
    }
    if (gone || clock_.Now() - command.started_at > options_.orchestration_timeout) {
      Release(command);
      result.abandoned.emplace_back(std::move(command), gone ? "a replacement vanished" : "replacements timed out");
      continue;
    }
    if (!ready) {
      still.push_back(std::move(command));
      continue;
    }
    RequestDeletion(command);
    result.executed.push_back(std::move(command));
  }
  orchestrating_ = std::move(still);
}

void DisruptionController::RequestDeletion(const Command& command) {
  for (const std::string& name : command.candidates) {
    // kNotFound: the claim is already gone, which is what was wanted.
    if (cluster_.RequestNodeClaimDeletion(name, std::string(model::DisruptionReasonName(command.reason))).ok()) {
      deletion_unseen_.insert(name);
    }
    marked_.erase(name);
  }
}

const ports::ClusterSnapshot& DisruptionController::Fresh() {
  if (pass_snapshots_.empty() || pass_snapshots_.back() != cluster_.Snapshot()) {
    pass_snapshots_.push_back(cluster_.Snapshot());
  }
  return *pass_snapshots_.back();
}

DisruptionResult DisruptionController::Reconcile() {
  const double started = stopwatch_.Seconds();
  DisruptionResult result;
  solve_cache_.Begin(clock_.Now(), PoolsFingerprint(Fresh().NodePools()));
  std::erase_if(deletion_unseen_, [&](const std::string& name) {
    const ports::NodeClaimInfo* claim = Fresh().GetNodeClaim(name);
    return claim == nullptr || claim->deletion_requested_at.has_value();
  });
  Progress(result);
  if (KeepsHeadroom()) headroom_.Observe(Fresh(), clock_.Now());
  std::vector<Command> waiting;
  for (Command& command : validating_) {
    if (clock_.Now() - command.decided_at < options_.validation_delay) {
      waiting.push_back(std::move(command));
      continue;
    }
    std::string why;
    Release(command);  // validation sees the candidates as they are
    if (Validate(command, why)) {
      Start(std::move(command), result);
    } else {
      result.abandoned.emplace_back(std::move(command), why);
    }
  }
  validating_ = std::move(waiting);
  if (validating_.empty()) {
    std::vector<Candidate> candidates = BuildCandidates(Fresh(), cloud_, clock_.Now());
    std::erase_if(candidates, [&](const Candidate& c) {
      return marked_.contains(c.claim->claim.meta.name) || deletion_unseen_.contains(c.claim->claim.meta.name);
    });
    result.candidates = candidates.size();
    if (KeepsHeadroom()) {
      kept_room_ = headroom_.Keep(Fresh(), candidates, clock_.Now());
      for (Candidate& c : candidates) c.held = kept_room_.contains(c.node->node.meta.name);
    }
    if (std::optional<Command> command = Decide(candidates, result)) {
      command->decided_at = clock_.Now();
      result.decided.push_back(*command);
      if (command->method == Method::kDrift) {
        Start(std::move(*command), result);  // drift is not validated (spec §6.5)
      } else {
        for (const std::string& name : command->candidates) marked_.insert(name);
        validating_.push_back(std::move(*command));
      }
    }
  }
  result.decision_wall_seconds = stopwatch_.Seconds() - started;
  pass_snapshots_.clear();
  return result;
}

}  // namespace adze::controllers::disruption
