#include "sim/workload_driver.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "model/labels.h"
#include "sim/kubelet.h"

namespace adze::sim {

namespace {

int64_t GpusOf(const model::Pod& pod) {
  return pod.EffectiveRequests().Get(model::resource::kNvidiaGpu).Value();
}

// Saturating: a tiny rate or compression factor must not wrap into the past.
model::Duration Seconds(double s) { return model::SaturatingSeconds(s); }

}  // namespace

WorkloadDriver::WorkloadDriver(EventQueue& events, SimulatedCluster& cluster, const Scenario& scenario,
                               std::vector<std::vector<AlibabaTask>> traces)
    : events_(events), cluster_(cluster), scenario_(scenario), traces_(std::move(traces)) {
  for (const auto& job : scenario_.training_jobs) {
    training_.emplace_back();
    training_.back().spec = &job;
  }
  for (const auto& svc : scenario_.inference_services) {
    inference_.emplace_back();
    inference_.back().spec = &svc;
  }
  for (const auto& batch : scenario_.batch_jobs) batch_random_.emplace_back(scenario_.seed, "workload/batch/" + batch.name);
}

std::string WorkloadDriver::AddPod(const model::Pod& pod_template, const std::string& workload, Kind kind,
                                   size_t index, model::Duration lifetime, int64_t weights_bytes,
                                   bool do_not_disrupt, const std::string& name) {
  model::Pod pod = pod_template;
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, "-%06lld", static_cast<long long>(++name_counters_[workload]));
  // A requested name is used when free (trace tasks keep their names).
  const bool name_free = !name.empty() && cluster_.GetPod(name) == nullptr && !owned_.contains(name);
  pod.meta.name = name_free ? name : workload + suffix;
  if (pod.meta.namespace_.empty()) pod.meta.namespace_ = "default";
  pod.meta.uid = pod.meta.name;
  pod.meta.labels.emplace("adze.dev/workload", workload);
  if (weights_bytes > 0) pod.meta.annotations[std::string(kModelWeightsAnnotation)] = std::to_string(weights_bytes);
  if (do_not_disrupt) pod.meta.annotations[std::string(model::label::kDoNotDisrupt)] = "true";
  owned_[pod.meta.name] = Owned{kind, index, lifetime, -1, GpusOf(pod), {}, 0, recreating_};
  ++stats_.pods_created;
  std::string added = pod.meta.name;
  cluster_.AddPod(std::move(pod));
  return added;
}

void WorkloadDriver::Start() {
  for (size_t i = 0; i < training_.size(); ++i) {
    events_.At(training_[i].spec->start, [this, i] { SubmitGang(i); });
  }
  for (size_t i = 0; i < inference_.size(); ++i) {
    events_.At(0, [this, i] { ReconcileInference(i); });
  }
  for (size_t i = 0; i < scenario_.batch_jobs.size(); ++i) {
    events_.At(scenario_.batch_jobs[i].start, [this, i] { NextBatchArrival(i); });
  }
  for (size_t t = 0; t < traces_.size(); ++t) {
    const TraceReplay& replay = scenario_.traces[t];
    int64_t first = INT64_MAX;
    for (const auto& task : traces_[t]) first = std::min(first, task.creation_time.value_or(0));
    for (const auto& task : traces_[t]) {
      const double compression = replay.time_compression > 0 ? replay.time_compression : 1.0;
      const model::Duration arrival = Seconds(static_cast<double>(task.creation_time.value_or(first) - first) / compression);
      model::Duration lifetime = replay.default_duration;
      if (task.deletion_time) {
        const int64_t from = task.scheduled_time.value_or(task.creation_time.value_or(*task.deletion_time));
        lifetime = Seconds(static_cast<double>(std::max<int64_t>(1, *task.deletion_time - from)) / compression);
      }
      if (arrival > scenario_.duration) continue;
      model::Pod pod = ToPod(task, replay.gpu_models);
      for (const auto& toleration : replay.tolerations) pod.tolerations.push_back(toleration);
      pod.meta.annotations[std::string(kTraceTaskAnnotation)] = task.name;
      events_.At(arrival, [this, t, pod = std::move(pod), lifetime, task = task.name] {
        const std::string name = AddPod(pod, scenario_.traces[t].name, Kind::kTrace, t, lifetime, 0, false, task);
        owned_.at(name).task = task;
      });
    }
  }
}

void WorkloadDriver::SubmitGang(size_t job) {
  Training& tr = training_[job];
  tr.submitted = true;
  tr.pods.clear();
  tr.running = 0;
  for (int32_t w = 0; w < tr.spec->workers; ++w) {
    tr.pods.push_back(AddPod(tr.spec->pod_template, tr.spec->name, Kind::kTraining, job, -1,
                             tr.spec->model_weights_bytes, tr.spec->do_not_disrupt));
  }
}

void WorkloadDriver::CompleteTraining(size_t job, uint64_t token) {
  Training& tr = training_[job];
  if (tr.done || tr.token != token) return;
  tr.done = true;
  ++stats_.training_jobs_completed;
  const std::vector<std::string> pods = tr.pods;
  for (const auto& pod : pods) cluster_.EndPod(pod, PodEndReason::kCompleted);
}

void WorkloadDriver::RestartGang(size_t job, const std::string& lost_pod) {
  Training& tr = training_[job];
  if (tr.done) return;
  const model::Duration now = events_.Now();
  if (tr.segment_start) {
    tr.progress += now - *tr.segment_start;
    tr.segment_start.reset();
    const model::Duration interval = tr.spec->checkpoint_interval;
    const model::Duration kept = interval > 0 ? (tr.progress / interval) * interval : 0;
    const double gpus = static_cast<double>(tr.spec->workers) * static_cast<double>(GpusOf(tr.spec->pod_template));
    stats_.training_gpu_hours_lost += static_cast<double>(tr.progress - kept) / model::kHour * gpus;
    tr.progress = kept;
  }
  ++tr.token;
  ++stats_.training_restarts;
  // The surviving workers cannot go on without the lost one: the gang restarts.
  const std::vector<std::string> pods = tr.pods;
  for (const auto& pod : pods) {
    if (pod != lost_pod) Retire(pod);
  }
  SubmitGang(job);
}

int32_t WorkloadDriver::TargetReplicas(const InferenceService& s, model::Duration now) const {
  if (!s.curve.empty()) {
    int32_t replicas = s.curve.front().second;
    for (const auto& [at, r] : s.curve) {
      if (at <= now) replicas = r;
    }
    return replicas;
  }
  const double hours = static_cast<double>(now) / model::kHour;
  const double phase = 2 * std::numbers::pi * (hours - s.peak_hour + 12.0) / 24.0;
  const double load = (1 - std::cos(phase)) / 2;  // 1 at the peak hour, 0 twelve hours away
  return s.min_replicas + static_cast<int32_t>(std::lround((s.max_replicas - s.min_replicas) * load));
}

void WorkloadDriver::ReconcileInference(size_t service) {
  Inference& inf = inference_[service];
  const int32_t target = TargetReplicas(*inf.spec, events_.Now());
  while (static_cast<int32_t>(inf.pods.size()) < target) {
    inf.pods.push_back(AddPod(inf.spec->pod_template, inf.spec->name, Kind::kInference, service, -1,
                              inf.spec->model_weights_bytes, false));
  }
  while (static_cast<int32_t>(inf.pods.size()) > target) {
    const std::string newest = inf.pods.back();
    inf.pods.pop_back();
    Retire(newest);
  }
  events_.After(std::max<model::Duration>(inf.spec->reconcile_interval, model::kSecond),
                [this, service] { ReconcileInference(service); });
}

void WorkloadDriver::NextBatchArrival(size_t batch) {
  const BatchJobs& spec = scenario_.batch_jobs[batch];
  if (spec.arrivals_per_hour <= 0) return;
  ports::RandomStream& random = batch_random_[batch];
  const model::Duration gap = Seconds(random.Exponential(spec.arrivals_per_hour / 3600.0));
  const model::Duration at = events_.Now() + gap;
  if (at > spec.stop.value_or(scenario_.duration)) return;
  events_.At(at, [this, batch] {
    const BatchJobs& s = scenario_.batch_jobs[batch];
    const double median_s = static_cast<double>(s.median_duration) / model::kSecond;
    const model::Duration lifetime =
        std::max<model::Duration>(model::kSecond, Seconds(batch_random_[batch].LogNormal(std::log(median_s), s.duration_sigma)));
    AddPod(s.pod_template, s.name, Kind::kBatch, batch, lifetime, 0, false);
    NextBatchArrival(batch);
  });
}

void WorkloadDriver::OnPodRunning(const std::string& pod) {
  auto it = owned_.find(pod);
  if (it == owned_.end()) return;
  Owned& owned = it->second;
  owned.running_since = events_.Now();
  if (owned.kind == Kind::kTraining) {
    Training& tr = training_[owned.workload];
    if (++tr.running == tr.spec->workers && !tr.done) {
      tr.segment_start = events_.Now();
      const uint64_t token = ++tr.token;
      const size_t job = owned.workload;
      events_.After(std::max<model::Duration>(0, tr.spec->duration - tr.progress),
                    [this, job, token] { CompleteTraining(job, token); });
    }
    return;
  }
  if (owned.lifetime >= 0) {
    events_.After(owned.lifetime, [this, pod] {
      const ports::PodInfo* p = cluster_.GetPod(pod);
      if (p != nullptr && p->phase == ports::PodPhase::kRunning) cluster_.EndPod(pod, PodEndReason::kCompleted);
    });
  }
}

void WorkloadDriver::AccountGpuTime(Owned& owned, bool redone) {
  if (owned.running_since >= 0 && owned.gpus > 0) {
    const double gpu_hours =
        static_cast<double>(events_.Now() - owned.running_since) / model::kHour * static_cast<double>(owned.gpus);
    (redone ? stats_.gpu_hours_redone : stats_.gpu_hours_requested) += gpu_hours;
  }
  owned.running_since = -1;
}

void WorkloadDriver::Retire(const std::string& pod) {
  auto it = owned_.find(pod);
  if (it == owned_.end()) return;
  AccountGpuTime(it->second);
  owned_.erase(it);  // before EndPod: the owner does not react to its own scale-down
  cluster_.EndPod(pod, PodEndReason::kScaledDown);
}

void WorkloadDriver::OnPodEnd(const ports::PodInfo& pod, PodEndReason reason) {
  auto it = owned_.find(pod.pod.meta.name);
  if (it == owned_.end()) return;  // retired by its owner
  Owned owned = it->second;
  // Batch and trace pods start again from scratch: what they ran is redone.
  const bool restarts_from_scratch = owned.kind == Kind::kBatch || owned.kind == Kind::kTrace;
  AccountGpuTime(owned, restarts_from_scratch && reason != PodEndReason::kCompleted);
  owned_.erase(it);
  if (reason == PodEndReason::kCompleted) {
    ++stats_.pods_completed;
    return;
  }
  if (reason == PodEndReason::kEvicted) ++stats_.pods_evicted;
  if (reason == PodEndReason::kNodeLost) ++stats_.pods_lost;
  const std::string& name = pod.pod.meta.name;
  recreating_ = true;
  switch (owned.kind) {
    case Kind::kTraining: {
      RestartGang(owned.workload, name);
      break;
    }
    case Kind::kInference: {
      Inference& inf = inference_[owned.workload];
      auto pos = std::find(inf.pods.begin(), inf.pods.end(), name);
      if (pos != inf.pods.end()) {
        *pos = AddPod(inf.spec->pod_template, inf.spec->name, Kind::kInference, owned.workload, -1,
                      inf.spec->model_weights_bytes, false);
      }
      break;
    }
    case Kind::kBatch:
      AddPod(scenario_.batch_jobs[owned.workload].pod_template, scenario_.batch_jobs[owned.workload].name,
             Kind::kBatch, owned.workload, owned.lifetime, 0, false);
      break;
    case Kind::kTrace: {
      model::Pod again = pod.pod;
      again.node_name.clear();
      again.meta.labels.erase("adze.dev/workload");
      const int32_t attempt = owned.attempt + 1;
      const std::string rerun =
          owned.task.empty() ? std::string() : owned.task + "-retry-" + std::to_string(attempt);
      const std::string added = AddPod(again, scenario_.traces[owned.workload].name, Kind::kTrace, owned.workload,
                                       owned.lifetime, 0, false, rerun);
      owned_.at(added).task = owned.task;
      owned_.at(added).attempt = attempt;
      break;
    }
  }
  recreating_ = false;
}

bool WorkloadDriver::Recreated(const std::string& pod) const {
  auto it = owned_.find(pod);
  return it != owned_.end() && it->second.recreated;
}

void WorkloadDriver::Finish() {
  for (auto& [name, owned] : owned_) AccountGpuTime(owned);
}

int64_t WorkloadDriver::training_jobs_running() const {
  int64_t n = 0;
  for (const auto& tr : training_) n += tr.submitted && !tr.done;
  return n;
}

}  // namespace adze::sim
