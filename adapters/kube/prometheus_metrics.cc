#include "adapters/kube/prometheus_metrics.h"

#include <array>
#include <charconv>
#include <cmath>
#include <sstream>

namespace adze::kube {
namespace {

// Seconds; Karpenter's duration histograms use buckets of this shape.
constexpr std::array<double, 14> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

std::string Escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string LabelText(const ports::MetricLabels& labels, const std::string& extra = "") {
  if (labels.empty() && extra.empty()) return "";
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    out += (first ? "" : ",") + k + "=\"" + Escape(v) + "\"";
    first = false;
  }
  if (!extra.empty()) out += (first ? "" : ",") + extra;
  return out + "}";
}

std::string Number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back as v
  return std::string(buf, r.ptr);
}

}  // namespace

std::string PrometheusMetrics::KarpenterName(std::string_view adze_name) {
  static const std::map<std::string, std::string, std::less<>> kNames = {
      {"adze_nodeclaims_created_total", "karpenter_nodeclaims_created_total"},
      {"adze_nodeclaims_terminated_total", "karpenter_nodeclaims_terminated_total"},
      {"adze_nodes_disrupted_total", "karpenter_nodeclaims_disrupted_total"},
      {"adze_provisioning_decision_seconds", "karpenter_scheduler_scheduling_duration_seconds"},
      {"adze_disruption_commands_total", "karpenter_voluntary_disruption_decisions_total"},
      {"adze_interruption_messages_total", "karpenter_interruption_received_messages_total"},
  };
  auto it = kNames.find(adze_name);
  return it == kNames.end() ? "" : it->second;
}

void PrometheusMetrics::Declare(const std::string& name, const std::string& type, const std::string& help) {
  std::lock_guard lock(mu_);
  Family& f = families_[name];
  f.type = type;
  f.help = help;
}

void PrometheusMetrics::AddLocked(const std::string& name, double delta, const ports::MetricLabels& labels) {
  Family& f = families_[name];
  if (f.type.empty()) f.type = "counter";
  f.values[labels] += delta;
}

void PrometheusMetrics::Add(std::string_view counter, double delta, const ports::MetricLabels& labels) {
  std::lock_guard lock(mu_);
  AddLocked(std::string(counter), delta, labels);
  if (std::string k = KarpenterName(counter); !k.empty()) AddLocked(k, delta, labels);
}

void PrometheusMetrics::Set(std::string_view gauge, double value, const ports::MetricLabels& labels) {
  std::lock_guard lock(mu_);
  for (const std::string& name : {std::string(gauge), KarpenterName(gauge)}) {
    if (name.empty()) continue;
    Family& f = families_[name];
    if (f.type.empty()) f.type = "gauge";
    f.values[labels] = value;
  }
}

void PrometheusMetrics::Observe(std::string_view histogram, double value, const ports::MetricLabels& labels) {
  std::lock_guard lock(mu_);
  for (const std::string& name : {std::string(histogram), KarpenterName(histogram)}) {
    if (name.empty()) continue;
    Family& f = families_[name];
    f.type = "histogram";
    Histogram& h = f.histograms[labels];
    if (h.counts.empty()) h.counts.assign(kBuckets.size(), 0);
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      if (value <= kBuckets[i]) {
        ++h.counts[i];
        break;
      }
    }
    h.sum += value;
    ++h.count;
  }
}

double PrometheusMetrics::Value(const std::string& name, const ports::MetricLabels& labels) const {
  std::lock_guard lock(mu_);
  auto f = families_.find(name);
  if (f == families_.end()) return 0;
  auto v = f->second.values.find(labels);
  if (v != f->second.values.end()) return v->second;
  auto h = f->second.histograms.find(labels);
  return h == f->second.histograms.end() ? 0 : static_cast<double>(h->second.count);
}

std::string PrometheusMetrics::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, f] : families_) {
    out += "# HELP " + name + " " + (f.help.empty() ? name : f.help) + "\n";
    out += "# TYPE " + name + " " + f.type + "\n";
    if (f.type == "histogram") {
      for (const auto& [labels, h] : f.histograms) {
        uint64_t cumulative = 0;
        for (size_t i = 0; i < kBuckets.size(); ++i) {
          cumulative += h.counts[i];
          out += name + "_bucket" + LabelText(labels, "le=\"" + Number(kBuckets[i]) + "\"") + " " +
                 std::to_string(cumulative) + "\n";
        }
        out += name + "_bucket" + LabelText(labels, "le=\"+Inf\"") + " " + std::to_string(h.count) + "\n";
        out += name + "_sum" + LabelText(labels) + " " + Number(h.sum) + "\n";
        out += name + "_count" + LabelText(labels) + " " + std::to_string(h.count) + "\n";
      }
      continue;
    }
    if (f.values.empty()) out += name + " 0\n";
    for (const auto& [labels, v] : f.values) out += name + LabelText(labels) + " " + Number(v) + "\n";
  }
  return out;
}

}  // namespace adze::kube
