#include "cli/catalog_command.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "adapters/aws/aws_session.h"
#include "adapters/aws/catalog_csv_writer.h"
#include "adapters/aws/completion_queue.h"
#include "adapters/aws/http_ec2_api.h"
#include "adapters/aws/live_catalog.h"
#include "catalog/catalog.h"
#include "catalog/instance_type.h"
#include "cli/inputs.h"
#include "cli/output.h"
#include "model/requirement_expression.h"
#include "model/requirements.h"

namespace adze::cli {
namespace {

using model::Quantity;
using model::Requirements;
using Json = nlohmann::ordered_json;

// Everything a row shows, computed once per type.
struct Row {
  const catalog::InstanceType* type = nullptr;
  int64_t vcpu = 0;
  int64_t memory_mib = 0;
  int64_t gpu_count = 0;
  std::string gpu_name;
  std::optional<int64_t> gpu_memory_mib;
  int64_t accelerator_count = 0;
  std::string accelerator_name;
  int64_t max_pods_ip = 0;
  int64_t max_pods_pd = 0;
  Quantity alloc_cpu;
  Quantity alloc_memory;
  int64_t alloc_pods = 0;
  std::optional<double> od_price;
  std::optional<double> spot_price;
  std::optional<int> spot_band;
  std::optional<int64_t> fits;
  std::vector<std::string> zones;

  std::optional<double> PerGpuHour(std::optional<double> price) const {
    if (!price || gpu_count == 0) return std::nullopt;
    return *price / static_cast<double>(gpu_count);
  }
};

std::string Money(std::optional<double> v) { return v ? fmt::format("{:.4f}", *v) : "-"; }

std::string BandText(std::optional<int> band) {
  static const char* kBands[] = {"<5%", "5-10%", "10-15%", "15-20%", ">20%"};
  if (!band || *band < 0 || *band > 4) return "-";
  return kBands[*band];
}

std::string GiB(int64_t mib) {
  if (mib % 1024 == 0) return std::to_string(mib / 1024);
  return fmt::format("{:.1f}", static_cast<double>(mib) / 1024.0);
}

std::string GpuText(const Row& r) {
  if (r.gpu_count > 0) {
    std::string s = std::to_string(r.gpu_count) + "x" + r.gpu_name;
    if (r.gpu_memory_mib) s += " (" + GiB(*r.gpu_memory_mib) + " GiB)";
    return s;
  }
  if (r.accelerator_count > 0) return std::to_string(r.accelerator_count) + "x" + r.accelerator_name;
  return "-";
}

// A column: how it prints, how it sorts, and its names.
struct ColumnDef {
  std::string name;  // --sort key and CSV header
  std::string header;
  bool numeric;
  std::function<std::string(const Row&)> text;
  std::function<double(const Row&)> number;  // for numeric sorting; missing values sort last
};

constexpr double kMissing = std::numeric_limits<double>::infinity();

std::vector<ColumnDef> Columns(bool with_fits) {
  auto opt = [](std::optional<double> v) { return v ? *v : kMissing; };
  std::vector<ColumnDef> cols = {
      {"type", "type", false, [](const Row& r) { return r.type->name; }, nullptr},
      {"vcpu", "vcpu", true, [](const Row& r) { return std::to_string(r.vcpu); },
       [](const Row& r) { return double(r.vcpu); }},
      {"memory", "memory GiB", true, [](const Row& r) { return GiB(r.memory_mib); },
       [](const Row& r) { return double(r.memory_mib); }},
      {"gpus", "gpus", false, GpuText, [](const Row& r) { return double(r.gpu_count); }},
      {"gpu-memory", "gpu mem GiB", true,
       [](const Row& r) { return r.gpu_memory_mib ? GiB(*r.gpu_memory_mib) : std::string("-"); },
       [opt](const Row& r) { return r.gpu_memory_mib ? double(*r.gpu_memory_mib) : opt(std::nullopt); }},
      {"max-pods", "max pods ip/pd", true,
       [](const Row& r) { return std::to_string(r.max_pods_ip) + "/" + std::to_string(r.max_pods_pd); },
       [](const Row& r) { return double(r.max_pods_ip); }},
      {"alloc-cpu", "alloc cpu", true, [](const Row& r) { return r.alloc_cpu.ToString(); },
       [](const Row& r) { return double(r.alloc_cpu.milli()); }},
      {"alloc-memory", "alloc memory", true,
       [](const Row& r) { return std::to_string(r.alloc_memory.Value() / (1024 * 1024)) + "Mi"; },
       [](const Row& r) { return double(r.alloc_memory.milli()); }},
      {"od-price", "on-demand $/h", true, [](const Row& r) { return Money(r.od_price); },
       [opt](const Row& r) { return opt(r.od_price); }},
      {"spot-price", "spot $/h", true, [](const Row& r) { return Money(r.spot_price); },
       [opt](const Row& r) { return opt(r.spot_price); }},
      {"gpu-hour", "od $/gpu-h", true, [](const Row& r) { return Money(r.PerGpuHour(r.od_price)); },
       [opt](const Row& r) { return opt(r.PerGpuHour(r.od_price)); }},
      {"spot-gpu-hour", "spot $/gpu-h", true, [](const Row& r) { return Money(r.PerGpuHour(r.spot_price)); },
       [opt](const Row& r) { return opt(r.PerGpuHour(r.spot_price)); }},
      {"spot-band", "interrupt", true, [](const Row& r) { return BandText(r.spot_band); },
       [](const Row& r) { return r.spot_band ? double(*r.spot_band) : kMissing; }},
  };
  if (with_fits) {
    cols.push_back({"fits", "fits", true, [](const Row& r) { return std::to_string(r.fits.value_or(0)); },
                    [](const Row& r) { return double(r.fits.value_or(0)); }});
  }
  return cols;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// The closest known name, if it is close enough to be a likely typo.
std::optional<std::string> DidYouMean(std::string_view word, const std::set<std::string>& known) {
  std::optional<std::string> best;
  size_t best_distance = std::max<size_t>(3, word.size() / 4) + 1;
  for (const std::string& k : known) {
    size_t d = EditDistance(word, k);
    if (d < best_distance) {
      best_distance = d;
      best = k;
    }
  }
  return best;
}

Result<Requirements> ParseRequires(const std::vector<std::string>& expressions, const std::set<std::string>& known) {
  Requirements out;
  for (const std::string& expr : expressions) {
    auto parsed = model::ParseRequirementExpression(expr);
    if (!parsed.ok()) return Error::InvalidArgument("--require: " + parsed.error().message);
    for (const model::ParsedRequirement& p : *parsed) {
      if (!known.count(p.requirement.key())) {
        std::string msg = "--require: unknown label key \"" + p.requirement.key() + "\"\n" +
                          model::PointAt(expr, p.key_begin, p.key_end);
        if (auto hint = DidYouMean(p.requirement.key(), known)) msg += "\n  did you mean " + *hint + "?";
        return Error::InvalidArgument(msg);
      }
      out.Add(p.requirement);
    }
  }
  return out;
}

Status WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  f.close();
  if (!f) return Error::InvalidArgument("--write-catalog: cannot write " + path.string());
  return OkStatus();
}

// --from-aws: the catalog from the live APIs, progress and fallbacks on err.
Result<catalog::Catalog> LoadLiveCatalog(const CatalogOptions& o, std::ostream& err) {
  namespace aws = adapters::aws;
  auto session = aws::AwsSession::Create({o.region, o.endpoint_url}, aws::ProcessEnv(),
                                         [&err](std::string_view line) { err << "  aws: " << line << "\n"; });
  if (!session.ok()) return Error::InvalidArgument("--from-aws: " + session.error().message);
  const std::string region = (*session)->config().region();
  err << "adze catalog --from-aws: region " << region << ", EC2 at " << (*session)->ec2().endpoint().endpoint
      << "\n";
  aws::CompletionQueue unused;  // the catalog makes no asynchronous calls
  aws::HttpEc2ApiOptions api_options;
  api_options.pricing_region = region;
  api_options.fleet_workers = 1;
  aws::HttpEc2Api api((*session)->ec2(), (*session)->ssm(), (*session)->pricing(), unused.Poster(), api_options);
  aws::LiveCatalogOptions live_options;
  live_options.all_types = o.all_types;
  live_options.progress = [&err](const std::string& line) { err << "  " << line << "\n"; };
  auto live = aws::BuildLiveCatalog(api, catalog::Catalog::Embedded(), live_options);
  if (!live.ok()) return Error{live.error().code, "--from-aws: " + live.error().message};
  if (live->fallbacks.empty()) {
    err << "every figure came from the live APIs\n";
  } else {
    err << "figures taken from the embedded catalog:\n";
    for (const std::string& f : live->fallbacks) err << "  " << f << "\n";
  }
  if (live->skipped > 0) err << live->skipped << " types skipped (no amd64/arm64 architecture)\n";
  const std::string types_csv = aws::InstanceTypesCsv(live->types);
  const std::string zones_csv = aws::ZonesCsv(live->types);
  auto cat = catalog::Catalog::FromCsv(types_csv, zones_csv, "aws:" + region);
  if (!cat.ok()) return Error::Internal("--from-aws: the fetched catalog does not load: " + cat.error().message);
  if (!o.write_catalog_dir.empty()) {
    const std::filesystem::path dir(o.write_catalog_dir);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Error::InvalidArgument("--write-catalog: cannot create " + dir.string() + ": " + ec.message());
    const auto types_path = dir / "instance-types.csv";
    const auto zones_path = dir / ("zones-" + region + ".csv");
    if (Status s = WriteFile(types_path, types_csv); !s.ok()) return s.error();
    if (Status s = WriteFile(zones_path, zones_csv); !s.ok()) return s.error();
    err << "wrote " << types_path.string() << " (" << live->types.size() << " types) and " << zones_path.string()
        << "; use them with --catalog " << types_path.string() << " --zones " << zones_path.string() << "\n";
  }
  return cat;
}

Result<catalog::Catalog> LoadCatalog(const CatalogOptions& o, std::ostream& err) {
  if (!o.from_aws && (!o.write_catalog_dir.empty() || !o.region.empty() || !o.endpoint_url.empty() || o.all_types)) {
    return Error::InvalidArgument("--write-catalog, --region, --endpoint-url and --all-types need --from-aws");
  }
  if (o.from_aws) {
    if (!o.catalog_file.empty() || !o.zones_file.empty()) {
      return Error::InvalidArgument("--from-aws: cannot be combined with --catalog/--zones");
    }
    return LoadLiveCatalog(o, err);
  }
  if (o.catalog_file.empty() && !o.zones_file.empty()) {
    return Error::InvalidArgument("--zones: needs --catalog (the built-in catalog has its own zones)");
  }
  if (o.catalog_file.empty()) return catalog::Catalog::Embedded();
  return LoadCatalogOverride(o.catalog_file, o.zones_file);
}

// The pool (and its node class) the user pointed at, if any.
struct PoolSelection {
  std::optional<model::NodePool> pool;
  model::EC2NodeClass node_class;
};

Result<PoolSelection> SelectPool(const CatalogOptions& o) {
  PoolSelection sel;
  if (o.nodepool_files.empty()) return sel;
  Result<codec::Manifests> m = LoadManifests(o.nodepool_files);
  if (!m.ok()) return m.error();
  if (m->node_pools.empty()) return Error::InvalidArgument("--nodepool: no NodePool found in the given files");
  const model::NodePool* pool = nullptr;
  std::string names;
  for (const model::NodePool& p : m->node_pools) {
    names += (names.empty() ? "" : ", ") + p.meta.name;
    if (p.meta.name == o.pool_name || (o.pool_name.empty() && m->node_pools.size() == 1)) pool = &p;
  }
  if (!pool) {
    return Error::InvalidArgument(o.pool_name.empty()
                                      ? "--nodepool: the files hold several NodePools (" + names + "); choose one with --pool"
                                      : "--pool: no NodePool named \"" + o.pool_name + "\" (found " + names + ")");
  }
  sel.pool = *pool;
  const std::string& want = pool->node_class_ref.name;
  for (const model::EC2NodeClass& nc : m->node_classes) {
    if (nc.meta.name == want) {
      sel.node_class = nc;
      return sel;
    }
  }
  return Error::NotFound("NodePool \"" + pool->meta.name + "\" refers to EC2NodeClass \"" + want +
                         "\", which is not in the given files (pass it with another --nodepool FILE)");
}

// The pod to fit: a Pod, or the template of the first Deployment or Job.
Result<model::Pod> LoadPod(const std::string& path) {
  Result<codec::Manifests> m = LoadManifests({path});
  if (!m.ok()) return m.error();
  if (!m->pods.empty()) return m->pods.front();
  if (!m->deployments.empty()) return m->deployments.front().pod_template;
  if (!m->jobs.empty()) return m->jobs.front().pod_template;
  return Error::InvalidArgument("--fits " + path + ": no Pod, Deployment or Job found");
}

// The pod's node-side constraints: nodeSelector and the first required
// node-affinity term (Karpenter tries the terms in order; the first is what a
// launch would use).
Requirements PodRequirements(const model::Pod& pod) {
  Requirements r = Requirements::FromLabels(pod.node_selector);
  if (!pod.required_node_affinity.empty()) r.Add(pod.required_node_affinity.front());
  return r;
}

std::optional<double> CheapestOffering(const catalog::InstanceType& t, std::string_view capacity_type,
                                       const Requirements& reqs) {
  std::optional<double> best;
  const model::Requirement* zone = reqs.Find(model::label::kZone);
  const model::Requirement* ct = reqs.Find(model::label::kCapacityType);
  for (const catalog::Offering& o : t.offerings) {
    if (!o.available || o.capacity_type != capacity_type) continue;
    if (zone && !zone->Has(o.zone)) continue;
    if (ct && !ct->Has(o.capacity_type)) continue;
    if (!best || o.price_per_hour < *best) best = o.price_per_hour;
  }
  return best;
}

Row MakeRow(const catalog::InstanceType& t, const Requirements& reqs) {
  const catalog::InstanceTypeInfo& info = *t.info;
  Row r;
  r.type = &t;
  r.vcpu = info.vcpu;
  r.memory_mib = info.memory_mib;
  r.gpu_count = info.gpu_count;
  r.gpu_name = info.gpu_name;
  r.gpu_memory_mib = info.gpu_memory_mib;
  r.accelerator_count = info.accelerator_count;
  r.accelerator_name = info.accelerator_name;
  r.max_pods_ip = t.max_pods_secondary_ip;
  r.max_pods_pd = t.max_pods_prefix_delegation;
  model::ResourceList alloc = t.Allocatable();
  r.alloc_cpu = alloc.Get(model::resource::kCpu);
  r.alloc_memory = alloc.Get(model::resource::kMemory);
  r.alloc_pods = alloc.Get(model::resource::kPods).Value();
  r.od_price = CheapestOffering(t, model::label::kCapacityTypeOnDemand, reqs);
  r.spot_price = CheapestOffering(t, model::label::kCapacityTypeSpot, reqs);
  r.spot_band = info.spot_interruption_band;
  std::set<std::string> zones;
  for (const catalog::Offering& o : t.offerings) {
    if (o.available) zones.insert(o.zone);
  }
  r.zones.assign(zones.begin(), zones.end());
  return r;
}

Json RowJson(const Row& r) {
  Json j;
  j["type"] = r.type->name;
  j["vcpu"] = r.vcpu;
  j["memoryMiB"] = r.memory_mib;
  if (r.gpu_count > 0) {
    j["gpu"] = {{"count", r.gpu_count}, {"name", r.gpu_name}, {"manufacturer", r.type->info->gpu_manufacturer}};
    if (r.gpu_memory_mib) j["gpu"]["memoryMiB"] = *r.gpu_memory_mib;
  }
  if (r.accelerator_count > 0) j["accelerator"] = {{"count", r.accelerator_count}, {"name", r.accelerator_name}};
  j["maxPods"] = {{"secondaryIP", r.max_pods_ip}, {"prefixDelegation", r.max_pods_pd}};
  Json alloc = Json::object();
  for (const auto& [name, q] : r.type->Allocatable()) alloc[name] = q.ToString();
  j["allocatable"] = alloc;
  Json price = Json::object();
  price["onDemand"] = r.od_price ? Json(*r.od_price) : Json();
  price["spot"] = r.spot_price ? Json(*r.spot_price) : Json();
  j["pricePerHour"] = price;
  if (r.gpu_count > 0) {
    auto od = r.PerGpuHour(r.od_price);
    auto spot = r.PerGpuHour(r.spot_price);
    j["pricePerGpuHour"] = {{"onDemand", od ? Json(*od) : Json()}, {"spot", spot ? Json(*spot) : Json()}};
  }
  j["spotInterruption"] = r.spot_band ? Json(BandText(r.spot_band)) : Json();
  j["zones"] = r.zones;
  if (r.fits) j["fits"] = *r.fits;
  return j;
}

}  // namespace

int RunCatalog(const CatalogOptions& o, std::ostream& out, std::ostream& err) {
  auto fail = [&](const Error& e) {
    err << "error: " << e.message << "\n";
    return 1;
  };
  Result<OutputFormat> format = ParseOutputFormat(o.output);
  if (!format.ok()) return fail(format.error());
  Result<catalog::Catalog> cat = LoadCatalog(o, err);
  if (!cat.ok()) return fail(cat.error());
  Result<PoolSelection> sel = SelectPool(o);
  if (!sel.ok()) return fail(sel.error());

  catalog::CapacityOptions cap;
  cap.prefix_delegation = o.prefix_delegation;
  cap.include_retired = o.include_retired;
  std::vector<catalog::InstanceType> types = catalog::ResolveInstanceTypes(*cat, sel->node_class, cap);

  std::set<std::string> known_keys;
  for (const catalog::InstanceType& t : types) {
    for (const std::string& k : t.requirements.Keys()) known_keys.insert(k);
  }
  Result<Requirements> user = ParseRequires(o.requires_, known_keys);
  if (!user.ok()) return fail(user.error());

  Requirements reqs = *user;
  std::optional<model::Pod> pod;
  model::ResourceList pod_requests;
  if (!o.fits_file.empty()) {
    Result<model::Pod> p = LoadPod(o.fits_file);
    if (!p.ok()) return fail(p.error());
    pod = *p;
    pod_requests = pod->EffectiveRequests();
  }
  if (sel->pool) {
    if (pod) {
      if (auto taint = model::FirstUntolerated(sel->pool->taints, pod->tolerations)) {
        return fail(Error::InvalidArgument("pod " + pod->meta.name + " does not tolerate NodePool \"" +
                                           sel->pool->meta.name + "\"'s taint " + taint->ToString() +
                                           ", so no type of this pool can carry it"));
      }
    }
  }

  std::vector<ColumnDef> columns = Columns(pod.has_value());
  auto sort_col = std::find_if(columns.begin(), columns.end(), [&](const ColumnDef& c) { return c.name == o.sort; });
  if (sort_col == columns.end()) {
    std::string names;
    for (const ColumnDef& c : columns) names += (names.empty() ? "" : ", ") + c.name;
    return fail(Error::InvalidArgument("--sort: unknown column \"" + o.sort + "\" (expected one of " + names + ")"));
  }

  std::vector<Row> rows;
  Requirements pool_reqs = sel->pool ? sel->pool->NodeRequirements() : Requirements();
  for (const catalog::InstanceType& t : types) {
    if (t.requirements.Intersects(reqs)) continue;
    if (sel->pool) {
      if (t.requirements.Intersects(pool_reqs)) continue;
      // A type bigger than the pool's whole limit can never launch in it.
      bool over_limit = false;
      for (const auto& [name, limit] : sel->pool->limits) {
        if (t.capacity.Get(name) > limit) over_limit = true;
      }
      if (over_limit) continue;
    }
    // Prices count only offerings every constraint allows (zone, capacity type).
    Requirements all = reqs;
    all.Add(pool_reqs);
    if (pod) all.Add(PodRequirements(*pod));
    std::optional<int64_t> copies;
    if (pod) {
      // The node side is the type's labels narrowed by the pool's template.
      Requirements node_side = t.requirements;
      node_side.Add(pool_reqs);
      if (node_side.Compatible(PodRequirements(*pod))) continue;
      copies = model::ResourceList::CopiesThatFit(pod_requests, t.Allocatable());
      if (*copies == 0) continue;
    }
    Row row = MakeRow(t, all);
    row.fits = copies;
    if (sel->pool && !row.od_price && !row.spot_price) continue;  // nothing this pool can launch
    rows.push_back(std::move(row));
  }

  std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    if (sort_col->number) {
      double x = sort_col->number(a), y = sort_col->number(b);
      if (x != y) {
        if (x == kMissing || y == kMissing) return y == kMissing;  // missing last either way
        return o.descending ? x > y : x < y;
      }
    } else {
      std::string x = sort_col->text(a), y = sort_col->text(b);
      if (x != y) return o.descending ? x > y : x < y;
    }
    return a.type->name < b.type->name;
  });
  if (o.limit > 0 && rows.size() > static_cast<size_t>(o.limit)) rows.resize(static_cast<size_t>(o.limit));

  switch (*format) {
    case OutputFormat::kJson:
    case OutputFormat::kYaml: {
      Json doc = Json::array();
      for (const Row& r : rows) doc.push_back(RowJson(r));
      out << (*format == OutputFormat::kJson ? doc.dump(2) + "\n" : ToYaml(doc));
      break;
    }
    case OutputFormat::kTable:
    case OutputFormat::kCsv: {
      std::vector<Table::Column> cols;
      for (const ColumnDef& c : columns) cols.push_back({*format == OutputFormat::kCsv ? c.name : c.header, c.numeric});
      Table table(cols);
      for (const Row& r : rows) {
        std::vector<std::string> cells;
        for (const ColumnDef& c : columns) cells.push_back(c.text(r));
        table.AddRow(std::move(cells));
      }
      if (*format == OutputFormat::kCsv) {
        out << table.RenderCsv();
      } else if (rows.empty()) {
        err << "no instance type matches\n";
      } else {
        out << table.RenderText();
      }
      break;
    }
  }
  return 0;
}

void RegisterCatalogCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CatalogOptions>();
  CLI::App* cmd = app.add_subcommand(
      "catalog", "List EC2 instance types with GPUs, pod density, allocatable resources and prices");
  cmd->footer(
      "Examples:\n"
      "  adze catalog --require 'karpenter.k8s.aws/instance-gpu-name in (h100,a100)'\n"
      "  adze catalog --require 'karpenter.k8s.aws/instance-gpu-count>=4' --sort gpu-hour\n"
      "  adze catalog --nodepool examples/gpu-nodepool.yaml --fits examples/inference-4gpu-pod.yaml -o json\n"
      "  adze catalog --from-aws --region eu-west-1 --write-catalog my-catalog/");
  cmd->add_option("-r,--require", options->requires_,
                  "Requirement expression, repeatable: 'key in (a,b)', 'key notin (a)', key=v, key!=v, "
                  "key>n, key>=n, key<n, key<=n, key, !key");
  cmd->add_option("--nodepool", options->nodepool_files,
                  "File(s) with a NodePool and its EC2NodeClass: only types that pool could launch")
      ->check(CLI::ExistingFile);
  cmd->add_option("--pool", options->pool_name, "NodePool name when the files hold several");
  cmd->add_option("--fits", options->fits_file,
                  "Pod, Deployment or Job manifest: only types that can carry the pod, with how many copies fit")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--prefix-delegation", options->prefix_delegation,
                "VPC CNI prefix delegation is on: pod capacity uses the prefix-delegation max pods");
  cmd->add_flag("--include-retired", options->include_retired, "Include types EC2 no longer lists (g3, p2, p3, dl1)");
  cmd->add_option("--catalog", options->catalog_file, "instance-types.csv to use instead of the built-in catalog")
      ->check(CLI::ExistingFile);
  cmd->add_option("--zones", options->zones_file, "zones CSV to go with --catalog (default: beside it)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--sort", options->sort,
                  "Sort column: type, vcpu, memory, gpus, gpu-memory, max-pods, alloc-cpu, alloc-memory, "
                  "od-price, spot-price, gpu-hour, spot-gpu-hour, spot-band, fits")
      ->capture_default_str();
  cmd->add_flag("--desc", options->descending, "Sort descending");
  cmd->add_option("-o,--output", options->output, "Output format: table, json, yaml, csv")->capture_default_str();
  cmd->add_option("--limit", options->limit, "Show at most N rows (0: all)");
  cmd->add_flag("--from-aws", options->from_aws,
                "Build the catalog from the live AWS APIs (credentials and region as the AWS CLI finds them; "
                "docs/aws.md)");
  cmd->add_option("--region", options->region, "AWS region for --from-aws (default: AWS_REGION, the profile's)");
  cmd->add_option("--endpoint-url", options->endpoint_url,
                  "Send every AWS call to this URL (a local fake such as moto_server), for --from-aws");
  cmd->add_option("--write-catalog", options->write_catalog_dir,
                  "With --from-aws: write DIR/instance-types.csv and DIR/zones-<region>.csv (the embedded format)");
  cmd->add_flag("--all-types", options->all_types,
                "With --from-aws: keep every instance type, not only the embedded catalog's families");
  cmd->callback([options, &exit_code] { exit_code = RunCatalog(*options, std::cout, std::cerr); });
}

}  // namespace adze::cli
