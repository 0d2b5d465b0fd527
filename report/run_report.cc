#include "report/run_report.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace adze::report {

namespace {

nlohmann::ordered_json PercentilesJson(const sim::Percentiles& p) {
  return {{"count", p.count}, {"mean", p.mean}, {"p50", p.p50}, {"p95", p.p95}, {"p99", p.p99}, {"max", p.max}};
}

Status WriteText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) return Error::Internal("cannot write " + path.string());
  return OkStatus();
}

}  // namespace

nlohmann::ordered_json SummaryToJson(const sim::RunSummary& s, bool include_wall_clock) {
  nlohmann::ordered_json j;
  j["scenario"] = s.scenario;
  j["seed"] = s.seed;
  j["duration_hours"] = static_cast<double>(s.duration) / model::kHour;
  j["cost"] = {{"total_usd", s.cost_usd},
               {"usd_by_capacity_type", s.cost_usd_by_capacity_type},
               {"instance_hours", s.instance_hours},
               {"lower_bound_usd", s.lower_bound_usd},
               {"cost_over_lower_bound", s.lower_bound_usd > 0 ? s.cost_usd / s.lower_bound_usd : 0}};
  j["gpu_hours"] = {{"provisioned", s.gpu_hours_provisioned},
                    {"requested", s.gpu_hours_requested},
                    {"utilisation", s.gpu_hours_provisioned > 0 ? s.gpu_hours_requested / s.gpu_hours_provisioned : 0},
                    {"redone_after_eviction", s.gpu_hours_redone}};
  nlohmann::ordered_json phases;
  for (const auto& [phase, p] : s.time_to_running_by_phase) phases[phase] = PercentilesJson(p);
  j["pods"] = {{"created", s.pods_created},
               {"completed", s.pods_completed},
               {"running_at_end", s.pods_running_at_end},
               {"pending_at_end", s.pods_pending_at_end},
               {"pending_at_end_by_reason", s.pending_at_end_by_reason},
               {"pending_at_end_pods", [&] {
                  nlohmann::ordered_json pods = nlohmann::ordered_json::array();
                  for (const auto& [pod, why] : s.pending_at_end_pods) pods.push_back({{"pod", pod}, {"reason", why}});
                  return pods;
                }()},
               {"evicted", s.pods_evicted},
               {"lost_with_node", s.pods_lost_with_node},
               {"time_to_running_seconds", PercentilesJson(s.time_to_running)},
               {"time_to_running_of_arrivals_seconds", PercentilesJson(s.time_to_running_of_arrivals)},
               {"time_to_running_by_phase_seconds", phases}};
  j["nodes"] = {{"launched", s.nodes_launched},
                {"launched_by_capacity_type", s.nodes_launched_by_capacity_type},
                {"terminated_by_reason", s.nodes_terminated_by_reason},
                {"at_end", s.nodes_at_end},
                {"spot_interruption_warnings", s.spot_interruption_warnings},
                {"rebalance_recommendations", s.rebalance_recommendations},
                {"insufficient_capacity_errors", s.insufficient_capacity_errors}};
  j["disruption"] = {{"nodes_by_reason", s.disruptions_by_reason},
                     {"commands", s.disruption_commands},
                     {"commands_abandoned", s.disruption_commands_abandoned},
                     {"savings_per_hour", s.disruption_savings_per_hour},
                     {"savings_usd", s.disruption_savings_usd},
                     {"nodes_expired", s.nodes_expired}};
  j["training"] = {{"jobs_completed", s.training_jobs_completed},
                   {"jobs_unfinished", s.training_jobs_unfinished},
                   {"restarts", s.training_restarts},
                   {"gpu_hours_lost", s.training_gpu_hours_lost}};
  j["controllers"] = {{"provisioning_passes", s.provisioning_passes},
                      {"node_claims_created", s.node_claims_created},
                      {"events_processed", s.events_processed}};
  if (include_wall_clock) {
    j["controllers"]["decision_wall_ms"] = PercentilesJson(s.decision_wall_ms);
    j["controllers"]["disruption_decision_wall_ms"] = PercentilesJson(s.disruption_decision_wall_ms);
    j["wall_seconds"] = s.wall_seconds;
  }
  return j;
}

std::string TimeseriesCsv(const std::vector<sim::TimeseriesRow>& rows) {
  std::string out = "minute,nodes,nodes_ready,pods_pending,pods_running,cost_per_hour,gpus_provisioned,gpus_requested\n";
  for (const auto& r : rows) {
    out += fmt::format("{},{},{},{},{},{:.4f},{},{}\n", r.minute, r.nodes, r.nodes_ready, r.pods_pending,
                       r.pods_running, r.cost_per_hour, r.gpus_provisioned, r.gpus_requested);
  }
  return out;
}

Status WriteRunFiles(const sim::RunResult& result, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error::Internal("cannot create directory " + dir + ": " + ec.message());
  const std::filesystem::path base(dir);
  if (auto s = WriteText(base / "summary.json", SummaryToJson(result.summary).dump(2) + "\n"); !s.ok()) return s;
  if (auto s = WriteText(base / "timeseries.csv", TimeseriesCsv(result.timeseries)); !s.ok()) return s;
  std::string events;
  for (const auto& line : result.events) {
    events += line;
    events += '\n';
  }
  return WriteText(base / "events.jsonl", events);
}

}  // namespace adze::report
