#include "sim/scenario/scenario_decoder.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include "catalog/catalog.h"
#include "model/codec/core_decoders.h"
#include "model/codec/document_loader.h"
#include "model/codec/manifests.h"
#include "model/labels.h"
#include "model/codec/pod_decoder.h"
#include "model/codec/yaml_field.h"
#include "sim/alibaba_trace.h"
#include "sim/scenario/gpu_capacity_pools.h"

namespace adze::sim {
namespace {

// "2026-01-05T00:00:00Z" → Unix microseconds; nullopt when malformed or
// before 1970 (cron budgets and the report read it as a calendar date).
std::optional<int64_t> ParseUtcInstant(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const time_t seconds = timegm(&tm);
  if (seconds < 0) return std::nullopt;
  return static_cast<int64_t>(seconds) * kSecond;
}

using codec::DecodeContext;
using codec::DecodeError;
using codec::Diagnostic;
using codec::YamlField;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::string_view kDoNotDisrupt = "karpenter.sh/do-not-disrupt";

std::string Position(const YamlField& f) {
  return f.context()->file_name() + ":" + std::to_string(f.line()) + ":" + std::to_string(f.column());
}

// --- Scalars the codec has no getter for.

std::string NumberText(double min, bool min_exclusive, double max) {
  std::ostringstream out;
  out << "a number";
  if (max == kInf) {
    out << (min_exclusive ? " > " : " >= ") << min;
  } else {
    out << " from " << min << " to " << max;
  }
  return out.str();
}

// Lower bounds of the rates and factors that simulated times are divided by
// (issue 15): below them a derived time (an image pull, a gap between
// arrivals, a replayed trace time) would be ~1e300 s and overflow SimTime
// into the past. Each is far below any real value: one batch job per
// million hours, 1 KiB/s, a trace slowed down a thousandfold. Run-time
// conversions also saturate (model::SaturatingSeconds) as a backstop.
constexpr double kMinArrivalsPerHour = 1e-6;
// Above this the gaps between arrivals round to 0 us and a run would add
// pods at one instant without end.
constexpr double kMaxArrivalsPerHour = 1e6;
constexpr double kMinThroughput = 1e-3;
constexpr double kMinTimeCompression = 1e-3;

// A real number in [min, max] (or (min, max] when min_exclusive).
double Number(const YamlField& f, double min, bool min_exclusive, double max = kInf) {
  std::string expected = NumberText(min, min_exclusive, max);
  if (!f.present()) f.Fail("required field is missing (expected " + expected + ")");
  if (!f.IsScalar()) f.FailExpected(expected);
  std::string text = f.node().Scalar();
  std::string_view s = text;
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) f.FailExpected(expected);
  if (v < min || (min_exclusive && v == min) || v > max) f.FailExpected(expected);
  return v;
}

double NumberOr(const YamlField& f, double def, double min, bool min_exclusive, double max = kInf) {
  return f.present() ? Number(f, min, min_exclusive, max) : def;
}

enum class Sign { kPositive, kNonNegative };

Duration Dur(const YamlField& f, Sign sign) {
  std::string_view expected = sign == Sign::kPositive ? "a positive duration such as 90s, 30m, 12h or 7d"
                                                      : "a non-negative duration such as 0s, 90s, 30m, 12h or 7d";
  if (!f.present()) f.Fail("required field is missing (expected " + std::string(expected) + ")");
  if (!f.IsScalar()) f.FailExpected(expected);
  Result<Duration> d = ParseScenarioDuration(f.node().Scalar());
  if (!d.ok()) f.Fail(d.error().message);
  if (*d < 0 || (sign == Sign::kPositive && *d == 0)) f.FailExpected(expected);
  return *d;
}

Duration DurOr(const YamlField& f, Duration def, Sign sign) { return f.present() ? Dur(f, sign) : def; }

std::optional<Duration> OptDur(const YamlField& f, Sign sign) {
  if (!f.present()) return std::nullopt;
  return Dur(f, sign);
}

// A positive size in bytes (15Gi, 500Mi, 1e9).
int64_t Bytes(const YamlField& f) {
  model::Quantity q = f.Quantity();
  if (q.milli() <= 0) f.FailExpected("a positive size such as 15Gi or 500Mi");
  return q.Value();
}

int64_t BytesOr(const YamlField& f, int64_t def) { return f.present() ? Bytes(f) : def; }

// A duration range: {min, max}, or one duration for both.
DurationRange Range(const YamlField& f, DurationRange def) {
  if (!f.present()) return def;
  if (f.IsScalar()) {
    Duration d = Dur(f, Sign::kNonNegative);
    return {d, d};
  }
  if (!f.IsMap()) f.FailExpected("a duration or a range {min, max}");
  f.CheckFields({"min", "max"});
  DurationRange out;
  out.min = Dur(f["min"], Sign::kNonNegative);
  out.max = Dur(f["max"], Sign::kNonNegative);
  if (out.max < out.min) f["max"].FailExpected("a duration >= min (" + model::FormatDuration(out.min) + ")");
  return out;
}

// --- Scenario-file-level helpers.

// The first number of a Go-duration-with-days text, up to 'd'.
std::optional<double> ParseDays(std::string_view s) {
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

struct LoadCurveRow {
  int line;
  int64_t minute;
  int32_t replicas;
};

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

std::optional<int64_t> ParseNonNegative(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

// Parses a load curve CSV: rows "minute,replicas" with an optional header,
// blank lines and '#' comments. Errors are "<source>:<line>: <why>".
Result<std::vector<std::pair<Duration, int32_t>>> ParseLoadCurve(std::string_view text, const std::string& source) {
  std::vector<std::pair<Duration, int32_t>> out;
  std::istringstream in{std::string(text)};
  std::string raw;
  int line = 0;
  bool first_row = true;
  auto fail = [&](const std::string& why) {
    return Error::InvalidArgument(source + ":" + std::to_string(line) + ": " + why);
  };
  while (std::getline(in, raw)) {
    ++line;
    std::string row = Trim(raw);
    if (row.empty() || row[0] == '#') continue;
    size_t comma = row.find(',');
    std::string minute_text = Trim(std::string_view(row).substr(0, comma));
    std::string replicas_text = comma == std::string::npos ? "" : Trim(std::string_view(row).substr(comma + 1));
    bool header = first_row && !ParseNonNegative(minute_text);
    first_row = false;
    if (header) continue;
    if (comma == std::string::npos || replicas_text.find(',') != std::string::npos) {
      return fail("expected two columns, minute,replicas; found \"" + row + "\"");
    }
    std::optional<int64_t> minute = ParseNonNegative(minute_text);
    if (!minute || *minute > 1'000'000'000) {
      return fail("column minute: found \"" + minute_text + "\", expected a non-negative whole number of minutes");
    }
    std::optional<int64_t> replicas = ParseNonNegative(replicas_text);
    if (!replicas || *replicas > model::kMaxWorkloadPods) {
      return fail("column replicas: found \"" + replicas_text + "\", expected an integer from 0 to " +
                  std::to_string(model::kMaxWorkloadPods));
    }
    Duration at = *minute * kMinute;
    if (out.empty() && at != 0) return fail("the first row must be minute 0, found minute " + minute_text);
    if (!out.empty() && at <= out.back().first) {
      return fail("minutes must increase, found " + minute_text + " after " +
                  std::to_string(out.back().first / kMinute));
    }
    out.emplace_back(at, static_cast<int32_t>(*replicas));
  }
  if (out.empty()) return Error::InvalidArgument(source + ": no rows (expected minute,replicas rows from minute 0)");
  return out;
}

class Decoder {
 public:
  Decoder(std::string file_name, const FileReader& read_file)
      : file_name_(std::move(file_name)), read_file_(read_file), ctx_(file_name_) {}

  Scenario Decode(std::string_view text);
  std::vector<Diagnostic> TakeWarnings();

 private:
  void DecodeTop(const YamlField& root);
  void DecodeCluster(const YamlField& cluster);
  void DecodeManifestObject(const YamlField& object, std::string_view allowed_kind = "");
  void DecodeManifestFile(const YamlField& path_field);
  void DecodeImagesAndSnapshots(const YamlField& root);
  void DecodeEc2(const YamlField& ec2);
  void DecodeControllers(const YamlField& controllers);
  void DecodeTimings(const YamlField& timings);
  void DecodeBaselines(const YamlField& baselines);
  void DecodeWorkload(const YamlField& item);
  void DecodeChange(const YamlField& item);
  TrainingJob DecodeTrainingJob(const YamlField& item);
  InferenceService DecodeInferenceService(const YamlField& item);
  BatchJobs DecodeBatchJobs(const YamlField& item);
  TraceReplay DecodeTrace(const YamlField& item);
  void Validate();

  // Reads the file that field (a path) names; fails at field when it cannot.
  std::pair<std::string, std::string> ReadReferenced(const YamlField& field);
  // Fails at field unless zone is one of the scenario's zones (or, with no
  // zones given, a zone of the region).
  void CheckZone(const YamlField& field, const std::string& zone) const;
  void CheckStart(const YamlField& field, Duration start) const;

  std::string file_name_;
  const FileReader& read_file_;
  DecodeContext ctx_;
  // Contexts of the manifest files read, stable addresses (fields point at them).
  std::deque<DecodeContext> file_contexts_;
  Scenario s_;
  // For validation after everything is read: where each NodePool's
  // nodeClassRef.name was given.
  std::vector<YamlField> node_class_ref_fields_;
  std::set<std::string, std::less<>> workload_names_;
};

Scenario Decoder::Decode(std::string_view text) {
  std::vector<codec::YamlNode> docs = codec::LoadDocuments(text, file_name_);
  if (docs.size() != 1) {
    Diagnostic d;
    d.file = file_name_;
    d.message = "expected exactly one YAML document, found " + std::to_string(docs.size());
    if (docs.size() > 1) {
      YamlField second(docs[1], &ctx_);
      d.line = second.line();
      d.column = second.column();
    }
    throw DecodeError(d);
  }
  YamlField root(docs[0], &ctx_);
  if (!root.IsMap()) root.FailExpected("a scenario (a map with apiVersion: adze.dev/v1alpha1 and kind: Scenario)");
  s_.file = file_name_;
  DecodeTop(root);
  Validate();
  return std::move(s_);
}

std::vector<Diagnostic> Decoder::TakeWarnings() {
  auto by_position = [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  };
  std::vector<Diagnostic> out = std::move(ctx_.warnings());
  std::stable_sort(out.begin(), out.end(), by_position);
  for (DecodeContext& c : file_contexts_) {
    std::vector<Diagnostic> w = std::move(c.warnings());
    std::stable_sort(w.begin(), w.end(), by_position);
    out.insert(out.end(), w.begin(), w.end());
  }
  return out;
}

void Decoder::DecodeTop(const YamlField& root) {
  root.CheckFields({"apiVersion", "kind", "name", "seed", "start", "duration", "region", "zones", "cluster", "manifests",
                    "manifestFiles", "images", "snapshots", "ec2", "controllers", "timings", "workloads", "changes", "baselines"},
                   {"description"});
  YamlField api_version = root["apiVersion"];
  if (api_version.String() != kScenarioApiVersion) api_version.FailExpected(std::string(kScenarioApiVersion));
  YamlField kind = root["kind"];
  if (kind.String() != kScenarioKind) kind.FailExpected(std::string(kScenarioKind));

  std::string stem = std::filesystem::path(file_name_).stem().string();
  s_.name = root["name"].StringOr(stem.empty() ? "scenario" : stem);
  if (s_.name.empty()) root["name"].FailExpected("a non-empty name");
  if (root["seed"].present()) s_.seed = static_cast<uint64_t>(root["seed"].Int(0));
  if (YamlField start = root["start"]; start.present()) {
    auto parsed = ParseUtcInstant(start.String());
    if (!parsed) start.FailExpected("a UTC instant such as 2026-01-05T00:00:00Z (RFC 3339, seconds, Z)");
    s_.start_unix_micros = *parsed;
  }
  s_.duration = DurOr(root["duration"], s_.duration, Sign::kPositive);
  s_.region = root["region"].StringOr(s_.region);
  if (s_.region.empty()) root["region"].FailExpected("a region such as us-east-1");
  std::set<std::string> zones;
  for (const YamlField& z : root["zones"].Items()) {
    std::string zone = z.String();
    if (zone.size() <= s_.region.size() || zone.compare(0, s_.region.size(), s_.region) != 0) {
      z.FailExpected("a zone of region " + s_.region + " (such as " + s_.region + "a)");
    }
    if (!zones.insert(zone).second) z.Fail("duplicate zone \"" + zone + "\"");
    s_.zones.push_back(zone);
  }

  DecodeCluster(root["cluster"]);
  for (const YamlField& object : root["manifests"].Items()) DecodeManifestObject(object);
  for (const YamlField& path : root["manifestFiles"].Items()) DecodeManifestFile(path);
  DecodeImagesAndSnapshots(root);
  DecodeEc2(root["ec2"]);
  DecodeControllers(root["controllers"]);
  DecodeTimings(root["timings"]);
  for (const YamlField& item : root["workloads"].Items()) DecodeWorkload(item);
  for (const YamlField& item : root["changes"].Items()) DecodeChange(item);
  DecodeBaselines(root["baselines"]);
}

void Decoder::DecodeChange(const YamlField& item) {
  item.CheckFields({"at", "manifests"});
  ManifestChange change;
  change.at = DurOr(item["at"], -1, Sign::kNonNegative);
  if (change.at < 0) item["at"].FailExpected("the time of the change, such as 2h");
  if (!s_.changes.empty() && change.at < s_.changes.back().at) item["at"].Fail("changes must be in time order");
  // A change that never applies is a mistake in the file (a wrong unit, a
  // shortened run), not a no-op to pass over silently.
  if (change.at >= s_.duration) {
    item["at"].Fail("at " + model::FormatDuration(change.at) + ", at or after the end of the run (" +
                    model::FormatDuration(s_.duration) + "): the change would never apply");
  }
  for (const YamlField& object : item["manifests"].Items()) {
    std::string kind = object["kind"].String();
    if (kind != "NodePool" && kind != "EC2NodeClass") object["kind"].FailExpected("NodePool or EC2NodeClass");
    codec::Manifests m;
    codec::DecodeObject(object, m);
    YamlField name = object["metadata"]["name"];
    for (model::NodePool& pool : m.node_pools) {
      bool known = false;
      for (const auto& p : s_.node_pools) known = known || p.meta.name == pool.meta.name;
      if (!known) name.Fail("NodePool \"" + pool.meta.name + "\" is not in the scenario's manifests");
      change.node_pools.push_back(std::move(pool));
    }
    for (model::EC2NodeClass& nc : m.node_classes) {
      bool known = false;
      for (const auto& c : s_.node_classes) known = known || c.meta.name == nc.meta.name;
      if (!known) name.Fail("EC2NodeClass \"" + nc.meta.name + "\" is not in the scenario's manifests");
      change.node_classes.push_back(std::move(nc));
    }
  }
  s_.changes.push_back(std::move(change));
}

void Decoder::DecodeCluster(const YamlField& cluster) {
  cluster.CheckFields({"prefixDelegation", "daemonSets"});
  s_.cluster.prefix_delegation = cluster["prefixDelegation"].BoolOr(false);
  for (const YamlField& ds : cluster["daemonSets"].Items()) DecodeManifestObject(ds, "DaemonSet");
}

void Decoder::DecodeManifestObject(const YamlField& object, std::string_view allowed_kind) {
  static constexpr std::string_view kAllowed =
      "one of NodePool, EC2NodeClass, DaemonSet, PodDisruptionBudget or List (workloads go under workloads:)";
  if (!object.IsMap()) object.FailExpected("a Kubernetes object (a map with apiVersion and kind)");
  YamlField kind_field = object["kind"];
  std::string kind = kind_field.String();
  if (!allowed_kind.empty() && kind != allowed_kind) kind_field.FailExpected(std::string(allowed_kind));
  if (kind == "List") {
    object.CheckFields({"apiVersion", "kind", "items"}, {"metadata"});
    if (object["apiVersion"].String() != "v1") object["apiVersion"].FailExpected("v1 for kind List");
    for (const YamlField& item : object["items"].Items()) DecodeManifestObject(item);
    return;
  }
  if (kind != "NodePool" && kind != "EC2NodeClass" && kind != "DaemonSet" && kind != "PodDisruptionBudget") {
    kind_field.FailExpected(std::string(kAllowed));
  }
  codec::Manifests m;
  codec::DecodeObject(object, m);
  YamlField name = object["metadata"]["name"];
  for (model::NodePool& pool : m.node_pools) {
    for (const model::NodePool& p : s_.node_pools) {
      if (p.meta.name == pool.meta.name) name.Fail("duplicate NodePool \"" + pool.meta.name + "\"");
    }
    node_class_ref_fields_.push_back(object["spec"]["template"]["spec"]["nodeClassRef"]["name"]);
    if (auto it = pool.meta.annotations.find(model::label::kHeadroom);
        it != pool.meta.annotations.end() && it->second != "true" && it->second != "false") {
      object["metadata"]["annotations"][model::label::kHeadroom].FailExpected("\"true\" or \"false\"");
    }
    s_.node_pools.push_back(std::move(pool));
  }
  for (model::EC2NodeClass& nc : m.node_classes) {
    for (const model::EC2NodeClass& c : s_.node_classes) {
      if (c.meta.name == nc.meta.name) name.Fail("duplicate EC2NodeClass \"" + nc.meta.name + "\"");
    }
    s_.node_classes.push_back(std::move(nc));
  }
  for (model::DaemonSet& ds : m.daemon_sets) {
    for (const model::DaemonSet& d : s_.cluster.daemon_sets) {
      if (d.meta.name == ds.meta.name && d.meta.namespace_ == ds.meta.namespace_) {
        name.Fail("duplicate DaemonSet \"" + ds.meta.namespace_ + "/" + ds.meta.name + "\"");
      }
    }
    s_.cluster.daemon_sets.push_back(std::move(ds));
  }
  for (model::PodDisruptionBudget& pdb : m.pdbs) {
    for (const model::PodDisruptionBudget& p : s_.pdbs) {
      if (p.meta.name == pdb.meta.name && p.meta.namespace_ == pdb.meta.namespace_) {
        name.Fail("duplicate PodDisruptionBudget \"" + pdb.meta.namespace_ + "/" + pdb.meta.name + "\"");
      }
    }
    s_.pdbs.push_back(std::move(pdb));
  }
}

std::pair<std::string, std::string> Decoder::ReadReferenced(const YamlField& field) {
  std::string path = field.String();
  if (path.empty()) field.FailExpected("a file path");
  std::string resolved = ResolveScenarioPath(file_name_, path);
  Result<std::string> text = read_file_ ? read_file_(resolved) : Result<std::string>(Error::NotFound("no file reader"));
  if (!text.ok()) {
    std::string shown = resolved == path ? "\"" + path + "\"" : "\"" + path + "\" (" + resolved + ")";
    field.Fail("cannot read " + shown + ": " + text.error().message);
  }
  return {resolved, std::move(text).value()};
}

void Decoder::DecodeManifestFile(const YamlField& path_field) {
  auto [resolved, text] = ReadReferenced(path_field);
  DecodeContext& ctx = file_contexts_.emplace_back(resolved);
  try {
    for (const codec::YamlNode& doc : codec::LoadDocuments(text, resolved)) DecodeManifestObject(YamlField(doc, &ctx));
  } catch (const DecodeError& e) {
    Diagnostic d = e.diagnostic();
    d.message += " (in " + path_field.path() + " at " + Position(path_field) + ")";
    throw DecodeError(d);
  }
}

void Decoder::DecodeImagesAndSnapshots(const YamlField& root) {
  for (const YamlField& f : root["snapshots"].Items()) {
    f.RequireMap();
    f.CheckFields({"id", "fastSnapshotRestore"});
    SnapshotSpec snap;
    snap.id = f["id"].String();
    if (snap.id.rfind("snap-", 0) != 0 || snap.id.size() == 5) f["id"].FailExpected("an EBS snapshot id (snap-...)");
    for (const SnapshotSpec& other : s_.snapshots) {
      if (other.id == snap.id) f["id"].Fail("duplicate snapshot \"" + snap.id + "\"");
    }
    snap.fast_snapshot_restore = f["fastSnapshotRestore"].BoolOr(false);
    s_.snapshots.push_back(std::move(snap));
  }
  for (const YamlField& f : root["images"].Items()) {
    f.RequireMap();
    f.CheckFields({"name", "size", "snapshotID"});
    ImageSpec image;
    image.name = f["name"].String();
    if (image.name.empty()) f["name"].FailExpected("an image reference such as registry.example.com/app:1.0");
    for (const ImageSpec& other : s_.images) {
      if (other.name == image.name) f["name"].Fail("duplicate image \"" + image.name + "\"");
    }
    image.size_bytes = Bytes(f["size"]);
    image.snapshot_id = f["snapshotID"].StringOr("");
    if (!image.snapshot_id.empty()) {
      bool known = std::any_of(s_.snapshots.begin(), s_.snapshots.end(),
                               [&](const SnapshotSpec& s) { return s.id == image.snapshot_id; });
      if (!known) f["snapshotID"].FailExpected("the id of a snapshot listed under snapshots");
    }
    s_.images.push_back(std::move(image));
  }
}

// A pool or reservation of a type the simulated EC2 does not sell would
// silently never be used; a prefix must match at least one type.
void CheckInstanceType(const YamlField& field, const std::string& pattern) {
  const catalog::Catalog& cat = catalog::Catalog::Embedded();
  if (pattern.ends_with('*')) {
    const std::string_view prefix(pattern.data(), pattern.size() - 1);
    for (const catalog::InstanceTypeInfo& t : cat.types()) {
      if (t.instance_type.starts_with(prefix)) return;
    }
    field.Fail("no instance type of the catalog matches \"" + pattern + "\"");
  }
  if (cat.Find(pattern) == nullptr) field.Fail("unknown instance type \"" + pattern + "\" (not in the catalog)");
}

void Decoder::CheckZone(const YamlField& field, const std::string& zone) const {
  if (s_.zones.empty()) {
    if (zone.size() <= s_.region.size() || zone.compare(0, s_.region.size(), s_.region) != 0) {
      field.FailExpected("a zone of region " + s_.region);
    }
  } else if (std::find(s_.zones.begin(), s_.zones.end(), zone) == s_.zones.end()) {
    std::string list;
    for (const std::string& z : s_.zones) list += (list.empty() ? "" : ", ") + z;
    field.FailExpected("one of the scenario's zones: " + list);
  }
}

void Decoder::DecodeEc2(const YamlField& ec2) {
  ec2.CheckFields({"defaultPoolSize", "pools", "capacityReservations", "spotInterruptions",
                   "spotInterruptionMultiplier", "createFleetLatency"});
  Ec2Options& o = s_.ec2;
  o.create_fleet_latency = DurOr(ec2["createFleetLatency"], o.create_fleet_latency, Sign::kNonNegative);
  o.default_pool_size = ec2["defaultPoolSize"].OptInt32(0).value_or(o.default_pool_size);
  // GPU pools are scarce (gpu_capacity_pools.h); a scenario that sizes every
  // pool with defaultPoolSize keeps that, and its own pools below win.
  if (!ec2["defaultPoolSize"].present()) o.pools = CalibratedGpuPools(catalog::Catalog::Embedded());
  for (const YamlField& f : ec2["pools"].Items()) {
    f.RequireMap();
    f.CheckFields({"instanceType", "zone", "capacityType", "size"});
    CapacityPool pool;
    pool.instance_type = f["instanceType"].String();
    if (pool.instance_type.empty()) f["instanceType"].FailExpected("an instance type, a prefix ending in *, or *");
    size_t star = pool.instance_type.find('*');
    if (star != std::string::npos && star != pool.instance_type.size() - 1) {
      f["instanceType"].FailExpected("an instance type, a prefix ending in *, or * (* only at the end)");
    }
    CheckInstanceType(f["instanceType"], pool.instance_type);
    pool.zone = f["zone"].StringOr("");
    if (!pool.zone.empty()) CheckZone(f["zone"], pool.zone);
    pool.capacity_type = f["capacityType"].OptKeyword({"spot", "on-demand"}).value_or("");
    pool.size = f["size"].Int32(0);
    o.pools.push_back(std::move(pool));
  }
  for (const YamlField& f : ec2["capacityReservations"].Items()) {
    f.RequireMap();
    f.CheckFields({"id", "instanceType", "zone", "count"});
    CapacityReservation r;
    r.id = f["id"].String();
    if (r.id.rfind("cr-", 0) != 0 || r.id.size() == 3) f["id"].FailExpected("a capacity reservation id (cr-...)");
    for (const CapacityReservation& other : o.reservations) {
      if (other.id == r.id) f["id"].Fail("duplicate capacity reservation \"" + r.id + "\"");
    }
    r.instance_type = f["instanceType"].String();
    if (r.instance_type.empty() || r.instance_type.find('*') != std::string::npos) {
      f["instanceType"].FailExpected("an instance type such as p5.48xlarge");
    }
    CheckInstanceType(f["instanceType"], r.instance_type);
    r.zone = f["zone"].String();
    CheckZone(f["zone"], r.zone);
    r.count = f["count"].Int32(1);
    o.reservations.push_back(std::move(r));
  }
  o.spot_interruptions = ec2["spotInterruptions"].BoolOr(o.spot_interruptions);
  o.spot_interruption_multiplier =
      NumberOr(ec2["spotInterruptionMultiplier"], o.spot_interruption_multiplier, 0, false);
}

void Decoder::DecodeControllers(const YamlField& controllers) {
  controllers.CheckFields({"batchIdle", "batchMax", "launchTimeout", "registrationTimeout",
                           "gpuInitializationTimeout", "consolidation", "spotToSpotConsolidation"});
  ControllerOptions& c = s_.controllers;
  c.batch_idle = DurOr(controllers["batchIdle"], c.batch_idle, Sign::kPositive);
  c.batch_max = DurOr(controllers["batchMax"], c.batch_max, Sign::kPositive);
  if (c.batch_max < c.batch_idle) {
    YamlField at = controllers["batchMax"].present() ? controllers["batchMax"] : controllers["batchIdle"];
    at.Fail("batchMax (" + model::FormatDuration(c.batch_max) + ") must be at least batchIdle (" +
            model::FormatDuration(c.batch_idle) + ")");
  }
  c.launch_timeout = DurOr(controllers["launchTimeout"], c.launch_timeout, Sign::kPositive);
  c.registration_timeout = DurOr(controllers["registrationTimeout"], c.registration_timeout, Sign::kPositive);
  c.gpu_initialization_timeout =
      DurOr(controllers["gpuInitializationTimeout"], c.gpu_initialization_timeout, Sign::kPositive);
  c.consolidation = controllers["consolidation"].BoolOr(c.consolidation);
  c.spot_to_spot_consolidation = controllers["spotToSpotConsolidation"].BoolOr(c.spot_to_spot_consolidation);
}

void Decoder::DecodeTimings(const YamlField& timings) {
  timings.CheckFields({"nodes", "images", "weights"});
  YamlField nodes = timings["nodes"];
  nodes.CheckFields({"cpuRegistered", "cpuReady", "gpuRegistered", "gpuReady", "gpuDevicePlugin",
                     "gpuPluginFailureProbability"});
  NodeTimings& n = s_.node_timings;
  n.cpu_registered = Range(nodes["cpuRegistered"], n.cpu_registered);
  n.cpu_ready = Range(nodes["cpuReady"], n.cpu_ready);
  n.gpu_registered = Range(nodes["gpuRegistered"], n.gpu_registered);
  n.gpu_ready = Range(nodes["gpuReady"], n.gpu_ready);
  n.gpu_device_plugin = Range(nodes["gpuDevicePlugin"], n.gpu_device_plugin);
  n.gpu_plugin_failure_probability =
      NumberOr(nodes["gpuPluginFailureProbability"], n.gpu_plugin_failure_probability, 0, false, 1);

  YamlField images = timings["images"];
  images.CheckFields({"registryMiBPerSecond", "snapshotLazyMiBPerSecond", "containerStart"});
  ImageTimings& i = s_.image_timings;
  i.registry_mib_per_s = NumberOr(images["registryMiBPerSecond"], i.registry_mib_per_s, kMinThroughput, false);
  i.snapshot_lazy_mib_per_s =
      NumberOr(images["snapshotLazyMiBPerSecond"], i.snapshot_lazy_mib_per_s, kMinThroughput, false);
  i.container_start = DurOr(images["containerStart"], i.container_start, Sign::kNonNegative);

  YamlField weights = timings["weights"];
  weights.CheckFields({"ebsDefaultMiBPerSecond", "localNvmeMiBPerSecond", "hostToDeviceGBPerSecond", "cudaContext"});
  WeightsTimings& w = s_.weights_timings;
  w.ebs_default_mib_per_s = NumberOr(weights["ebsDefaultMiBPerSecond"], w.ebs_default_mib_per_s, kMinThroughput, false);
  w.local_nvme_mib_per_s = NumberOr(weights["localNvmeMiBPerSecond"], w.local_nvme_mib_per_s, kMinThroughput, false);
  w.host_to_device_gb_per_s =
      NumberOr(weights["hostToDeviceGBPerSecond"], w.host_to_device_gb_per_s, kMinThroughput, false);
  w.cuda_context = DurOr(weights["cudaContext"], w.cuda_context, Sign::kNonNegative);
}

void Decoder::DecodeBaselines(const YamlField& baselines) {
  baselines.CheckFields({"clusterAutoscaler"});
  YamlField ca = baselines["clusterAutoscaler"];
  ca.CheckFields({"scanInterval", "expander", "scaleDownUtilizationThreshold", "scaleDownGpuUtilizationThreshold",
                  "scaleDownUnneededTime", "scaleDownDelayAfterAdd", "maxScaleDownParallelism",
                  "skipNodesWithLocalStorage", "skipNodesWithSystemPods", "maxNodeProvisionTime",
                  "maxGracefulTermination", "asgLaunchLatency", "capacityRebalance", "nodeGroups"});
  ClusterAutoscalerSpec& c = s_.baselines.cluster_autoscaler;
  c.scan_interval = DurOr(ca["scanInterval"], c.scan_interval, Sign::kPositive);
  c.expander = ca["expander"].OptKeyword({"least-waste", "price", "priority", "random", "most-pods"}).value_or(c.expander);
  c.scale_down_utilization_threshold =
      NumberOr(ca["scaleDownUtilizationThreshold"], c.scale_down_utilization_threshold, 0, false, 1);
  c.scale_down_gpu_utilization_threshold =
      NumberOr(ca["scaleDownGpuUtilizationThreshold"], c.scale_down_gpu_utilization_threshold, 0, false, 1);
  c.scale_down_unneeded_time = DurOr(ca["scaleDownUnneededTime"], c.scale_down_unneeded_time, Sign::kNonNegative);
  c.scale_down_delay_after_add = DurOr(ca["scaleDownDelayAfterAdd"], c.scale_down_delay_after_add, Sign::kNonNegative);
  c.max_scale_down_parallelism = ca["maxScaleDownParallelism"].OptInt32(1).value_or(c.max_scale_down_parallelism);
  c.skip_nodes_with_local_storage = ca["skipNodesWithLocalStorage"].BoolOr(c.skip_nodes_with_local_storage);
  c.skip_nodes_with_system_pods = ca["skipNodesWithSystemPods"].BoolOr(c.skip_nodes_with_system_pods);
  c.max_node_provision_time = DurOr(ca["maxNodeProvisionTime"], c.max_node_provision_time, Sign::kPositive);
  c.max_graceful_termination = DurOr(ca["maxGracefulTermination"], c.max_graceful_termination, Sign::kNonNegative);
  c.asg_launch_latency = DurOr(ca["asgLaunchLatency"], c.asg_launch_latency, Sign::kNonNegative);
  c.capacity_rebalance = ca["capacityRebalance"].BoolOr(c.capacity_rebalance);
  const catalog::Catalog& cat = catalog::Catalog::Embedded();
  for (const YamlField& f : ca["nodeGroups"].Items()) {
    f.RequireMap();
    f.CheckFields({"name", "nodePool", "instanceTypes", "capacityType", "minSize", "maxSize", "priority"});
    NodeGroupSpec g;
    g.name = f["name"].String();
    if (g.name.empty()) f["name"].FailExpected("a node group name");
    for (const NodeGroupSpec& other : c.node_groups) {
      if (other.name == g.name) f["name"].Fail("duplicate node group \"" + g.name + "\"");
    }
    g.node_pool = f["nodePool"].String();
    bool known = std::any_of(s_.node_pools.begin(), s_.node_pools.end(),
                             [&](const model::NodePool& p) { return p.meta.name == g.node_pool; });
    if (!known) {
      std::string names;
      for (const auto& p : s_.node_pools) names += (names.empty() ? "" : ", ") + p.meta.name;
      f["nodePool"].FailExpected("the name of one of the scenario's NodePools (" +
                                 (names.empty() ? std::string("it defines none") : names) + ")");
    }
    const catalog::InstanceTypeInfo* first = nullptr;
    for (const YamlField& t : f["instanceTypes"].Items()) {
      std::string name = t.String();
      const catalog::InstanceTypeInfo* info = cat.Find(name);
      if (info == nullptr) t.Fail("unknown instance type \"" + name + "\" (not in the catalog)");
      if (first == nullptr) {
        first = info;
      } else if (info->vcpu != first->vcpu || info->memory_mib != first->memory_mib) {
        t.FailExpected("a type with the vCPUs and memory of " + first->instance_type + " (" +
                       std::to_string(first->vcpu) + " vCPU, " + std::to_string(first->memory_mib) +
                       " MiB): Cluster Autoscaler builds one template node per group");
      }
      g.instance_types.push_back(std::move(name));
    }
    if (g.instance_types.empty()) f["instanceTypes"].FailExpected("a list of one or more instance types");
    g.capacity_type = f["capacityType"].OptKeyword({"spot", "on-demand"}).value_or(g.capacity_type);
    g.min_size = f["minSize"].OptInt32(0).value_or(g.min_size);
    g.max_size = f["maxSize"].OptInt32(0).value_or(g.max_size);
    if (g.max_size < g.min_size) f["maxSize"].FailExpected("an integer >= minSize (" + std::to_string(g.min_size) + ")");
    if (f["priority"].present()) g.priority = static_cast<int32_t>(f["priority"].Int(-1000000));
    c.node_groups.push_back(std::move(g));
  }
}

void Decoder::CheckStart(const YamlField& field, Duration start) const {
  if (start >= s_.duration) {
    field.Warn("starts at " + model::FormatDuration(start) + ", at or after the end of the run (" +
               model::FormatDuration(s_.duration) + "): it will never run");
  }
}

// The owner of a workload's pods: the workload's name in its namespace.
model::ObjectMeta OwnerMeta(const YamlField& item, const std::string& name) {
  model::ObjectMeta meta;
  meta.name = name;
  meta.namespace_ = item["namespace"].StringOr("default");
  if (meta.namespace_.empty()) item["namespace"].FailExpected("a namespace name");
  return meta;
}

std::string WorkloadName(const YamlField& item) {
  std::string name = item["name"].String();
  if (name.empty()) item["name"].FailExpected("a non-empty name");
  return name;
}

void Decoder::DecodeWorkload(const YamlField& item) {
  if (!item.IsMap()) {
    item.FailExpected("a workload (a map with kind: TrainingJob, InferenceService, BatchJobs or Trace)");
  }
  std::string kind = item["kind"].Keyword({"TrainingJob", "InferenceService", "BatchJobs", "Trace"});
  std::string name;
  if (kind == "TrainingJob") {
    s_.training_jobs.push_back(DecodeTrainingJob(item));
    name = s_.training_jobs.back().name;
  } else if (kind == "InferenceService") {
    s_.inference_services.push_back(DecodeInferenceService(item));
    name = s_.inference_services.back().name;
  } else if (kind == "BatchJobs") {
    s_.batch_jobs.push_back(DecodeBatchJobs(item));
    name = s_.batch_jobs.back().name;
  } else {
    s_.traces.push_back(DecodeTrace(item));
    name = s_.traces.back().name;
  }
  if (!workload_names_.insert(name).second) {
    YamlField at = item["name"].present() ? item["name"] : item["kind"];
    at.Fail("duplicate workload name \"" + name + "\"");
  }
}

TrainingJob Decoder::DecodeTrainingJob(const YamlField& item) {
  item.CheckFields({"kind", "name", "namespace", "workers", "template", "start", "duration", "checkpointInterval",
                    "doNotDisrupt", "modelWeightsSize"});
  TrainingJob job;
  job.name = WorkloadName(item);
  job.workers = item["workers"].OptInt32(1, model::kMaxWorkloadPods).value_or(job.workers);
  job.pod_template = codec::DecodePodTemplate(item["template"], OwnerMeta(item, job.name), "Job");
  job.start = DurOr(item["start"], job.start, Sign::kNonNegative);
  CheckStart(item["start"], job.start);
  job.duration = Dur(item["duration"], Sign::kPositive);
  job.checkpoint_interval = DurOr(item["checkpointInterval"], job.checkpoint_interval, Sign::kNonNegative);
  model::Annotations& annotations = job.pod_template.meta.annotations;
  auto it = annotations.find(kDoNotDisrupt);
  bool annotated = it != annotations.end() && it->second == "true";
  job.do_not_disrupt = item["doNotDisrupt"].BoolOr(annotated);
  if (job.do_not_disrupt) annotations[std::string(kDoNotDisrupt)] = "true";
  // The job keeps its checkpoints: tell adze's consolidation it loses at
  // most one interval (controllers/disruption/lost_work.h).
  if (job.checkpoint_interval > 0) {
    annotations.try_emplace(std::string(model::label::kCheckpointInterval),
                            model::FormatDuration(job.checkpoint_interval));
  }
  job.model_weights_bytes = BytesOr(item["modelWeightsSize"], job.model_weights_bytes);
  return job;
}

InferenceService Decoder::DecodeInferenceService(const YamlField& item) {
  item.CheckFields({"kind", "name", "namespace", "template", "loadCurve", "reconcileInterval", "modelWeightsSize"});
  InferenceService svc;
  svc.name = WorkloadName(item);
  svc.pod_template = codec::DecodePodTemplate(item["template"], OwnerMeta(item, svc.name), "Deployment");
  YamlField curve = item["loadCurve"];
  curve.CheckFields({"diurnal", "csv"});
  YamlField diurnal = curve["diurnal"];
  YamlField csv = curve["csv"];
  if (curve.present() && diurnal.present() == csv.present()) {
    curve.Fail(diurnal.present() ? "give one of diurnal or csv, not both" : "expected diurnal or csv");
  }
  if (csv.present()) {
    auto [resolved, text] = ReadReferenced(csv);
    Result<std::vector<std::pair<Duration, int32_t>>> rows = ParseLoadCurve(text, resolved);
    if (!rows.ok()) csv.Fail(rows.error().message);
    svc.curve = std::move(rows).value();
    auto [lo, hi] = std::minmax_element(svc.curve.begin(), svc.curve.end(),
                                        [](const auto& a, const auto& b) { return a.second < b.second; });
    svc.min_replicas = lo->second;
    svc.max_replicas = hi->second;
  } else {
    diurnal.CheckFields({"min", "max", "peakHour"});
    svc.min_replicas = diurnal["min"].OptInt32(0, model::kMaxWorkloadPods).value_or(svc.min_replicas);
    svc.max_replicas =
        diurnal["max"].OptInt32(0, model::kMaxWorkloadPods).value_or(std::max(svc.max_replicas, svc.min_replicas));
    if (svc.max_replicas < svc.min_replicas) {
      diurnal["max"].FailExpected("an integer >= min (" + std::to_string(svc.min_replicas) + ")");
    }
    svc.peak_hour = NumberOr(diurnal["peakHour"], svc.peak_hour, 0, false, 24);
  }
  svc.reconcile_interval = DurOr(item["reconcileInterval"], svc.reconcile_interval, Sign::kPositive);
  svc.model_weights_bytes = BytesOr(item["modelWeightsSize"], svc.model_weights_bytes);
  return svc;
}

BatchJobs Decoder::DecodeBatchJobs(const YamlField& item) {
  item.CheckFields({"kind", "name", "namespace", "template", "arrivalsPerHour", "medianDuration", "durationSigma",
                    "start", "stop"});
  BatchJobs jobs;
  jobs.name = WorkloadName(item);
  jobs.pod_template = codec::DecodePodTemplate(item["template"], OwnerMeta(item, jobs.name), "Job");
  jobs.arrivals_per_hour = Number(item["arrivalsPerHour"], kMinArrivalsPerHour, false, kMaxArrivalsPerHour);
  jobs.median_duration = DurOr(item["medianDuration"], jobs.median_duration, Sign::kPositive);
  jobs.duration_sigma = NumberOr(item["durationSigma"], jobs.duration_sigma, 0, false);
  jobs.start = DurOr(item["start"], jobs.start, Sign::kNonNegative);
  CheckStart(item["start"], jobs.start);
  jobs.stop = OptDur(item["stop"], Sign::kPositive);
  if (jobs.stop && *jobs.stop <= jobs.start) {
    item["stop"].FailExpected("a time after start (" + model::FormatDuration(jobs.start) + ")");
  }
  return jobs;
}

TraceReplay Decoder::DecodeTrace(const YamlField& item) {
  item.CheckFields({"kind", "name", "path", "timeCompression", "limit", "tolerations", "defaultDuration", "gpuModels"});
  TraceReplay trace;
  if (item["name"].present()) trace.name = WorkloadName(item);
  if (item["path"].present()) {
    auto [resolved, text] = ReadReferenced(item["path"]);
    Result<std::vector<AlibabaTask>> tasks = ParseAlibabaPodList(text, resolved);
    if (!tasks.ok()) item["path"].Fail(tasks.error().message);
    trace.path = resolved;
  }
  trace.time_compression = NumberOr(item["timeCompression"], trace.time_compression, kMinTimeCompression, false);
  trace.limit = item["limit"].OptInt(1);
  for (const YamlField& t : item["tolerations"].Items()) trace.tolerations.push_back(codec::DecodeToleration(t));
  trace.default_duration = DurOr(item["defaultDuration"], trace.default_duration, Sign::kPositive);
  // gpuModels: {V100M16: [v100, t4]} — trace model -> EC2 GPU names (a
  // single name may be written without brackets).
  if (item["gpuModels"].present()) {
    item["gpuModels"].RequireMap();
    for (const auto& [model_name, names] : item["gpuModels"].Entries()) {
      if (!Ec2GpuName(model_name)) {
        std::string known;
        for (const GpuModelMapping& m : GpuModelMappings()) known += (known.empty() ? "" : ", ") + std::string(m.trace_model);
        names.Fail("unknown trace GPU model \"" + model_name + "\", expected one of " + known);
      }
      std::vector<std::string> list = names.IsScalar() ? std::vector<std::string>{names.String()} : names.StringList();
      if (list.empty()) names.Fail("expected at least one EC2 GPU name (karpenter.k8s.aws/instance-gpu-name)");
      trace.gpu_models[model_name] = std::move(list);
    }
  }
  return trace;
}

void Decoder::Validate() {
  for (size_t i = 0; i < s_.node_pools.size(); ++i) {
    const model::NodePool& pool = s_.node_pools[i];
    bool known = std::any_of(s_.node_classes.begin(), s_.node_classes.end(), [&](const model::EC2NodeClass& c) {
      return c.meta.name == pool.node_class_ref.name;
    });
    if (!known) {
      std::string names;
      for (const model::EC2NodeClass& c : s_.node_classes) names += (names.empty() ? "" : ", ") + c.meta.name;
      node_class_ref_fields_[i].Fail("NodePool \"" + pool.meta.name + "\" refers to EC2NodeClass \"" +
                                     pool.node_class_ref.name + "\", which the scenario does not define (" +
                                     (names.empty() ? "it defines none" : "it defines " + names) + ")");
    }
  }
  // A snapshot an EC2NodeClass restores but the scenario does not list holds
  // no images: worth a word, since the pre-seeding the user meant is then off.
  for (const model::EC2NodeClass& nc : s_.node_classes) {
    for (const model::BlockDeviceMapping& bdm : nc.block_device_mappings) {
      const std::string& id = bdm.ebs.snapshot_id;
      if (id.empty()) continue;
      bool listed = std::any_of(s_.snapshots.begin(), s_.snapshots.end(),
                                [&](const SnapshotSpec& s) { return s.id == id; });
      if (!listed) {
        Diagnostic d;
        d.file = file_name_;
        d.field = "snapshots";
        d.message = "EC2NodeClass \"" + nc.meta.name + "\" restores snapshot " + id +
                    ", which is not listed under snapshots (it holds no images)";
        ctx_.Warn(std::move(d));
      }
    }
  }
}

}  // namespace

Result<std::string> ReadLocalFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::NotFound("cannot open " + path);
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return Error::NotFound("cannot read " + path);
  return out.str();
}

std::string ResolveScenarioPath(std::string_view file_name, std::string_view path) {
  std::filesystem::path p{std::string(path)};
  if (p.is_absolute()) return p.string();
  std::filesystem::path dir = std::filesystem::path(std::string(file_name)).parent_path();
  if (dir.empty()) return p.string();
  return (dir / p).lexically_normal().string();
}

Result<Duration> ParseScenarioDuration(std::string_view text) {
  size_t d = text.find('d');
  if (d == std::string_view::npos) return model::ParseDuration(text);
  auto fail = [&] {
    return Error::InvalidArgument("invalid duration \"" + std::string(text) +
                                  "\" (expected e.g. 90s, 30m, 1h30m, 168h, or days as 7d or 1d12h)");
  };
  std::optional<double> days = ParseDays(text.substr(0, d));
  if (!days || *days > 100'000) return fail();
  Duration total = static_cast<Duration>(std::llround(*days * 24 * static_cast<double>(kHour)));
  std::string_view rest = text.substr(d + 1);
  if (rest.empty()) return total;
  if (rest[0] == '-' || rest[0] == '+') return fail();
  Result<Duration> tail = model::ParseDuration(rest);
  if (!tail.ok()) return fail();
  return total + *tail;
}

Result<Scenario> DecodeScenario(std::string_view text, std::string_view file_name, const FileReader& read_file,
                                std::vector<codec::Diagnostic>* warnings) {
  Decoder decoder{std::string(file_name), read_file};
  Result<Scenario> out = codec::CatchDecodeError<Scenario>(file_name, [&] { return decoder.Decode(text); });
  if (out.ok() && warnings != nullptr) {
    std::vector<Diagnostic> w = decoder.TakeWarnings();
    warnings->insert(warnings->end(), w.begin(), w.end());
  }
  return out;
}

}  // namespace adze::sim
