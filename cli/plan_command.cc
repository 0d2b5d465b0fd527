#include "cli/plan_command.h"

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "catalog/capacity.h"
#include "catalog/instance_type.h"
#include "cli/inputs.h"
#include "cli/output.h"
#include "cli/packer_flags.h"
#include "model/labels.h"
#include "scheduling/template.h"

namespace adze::cli {
namespace {

using Json = nlohmann::ordered_json;
using scheduling::NewClaim;
using scheduling::Plan;
using scheduling::Rejection;
using scheduling::SolverInput;

// How many instance-type options the table shows per claim before "+N more".
constexpr size_t kTypesShown = 3;
// How many instance types --explain lists per reason (-o json lists all).
constexpr size_t kNamesShown = 24;
// How many pod names an "unknown pod" error lists.
constexpr size_t kKnownPodsShown = 5;

std::string PodName(const model::Pod& pod) {
  return pod.meta.namespace_.empty() ? pod.meta.name : pod.meta.namespace_ + "/" + pod.meta.name;
}

std::string Money(double v) { return fmt::format("${:.4f}/h", v); }

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

// "us-east-1{a,b,c}" for zones of one region that differ only in their
// letter; other lists are comma-joined.
std::string ZonesText(const std::vector<std::string>& zones) {
  if (zones.empty()) return "-";
  if (zones.size() == 1) return zones.front();
  std::string prefix = zones.front().substr(0, zones.front().size() - 1);
  std::vector<std::string> suffixes;
  for (const std::string& z : zones) {
    if (z.size() != prefix.size() + 1 || z.compare(0, prefix.size(), prefix) != 0) return Join(zones, ",");
    suffixes.push_back(z.substr(prefix.size()));
  }
  return prefix + "{" + Join(suffixes, ",") + "}";
}


Result<scheduling::Packer> ParsePacker(std::string_view name) {
  if (name == "adze") return scheduling::Packer::kAdze;
  if (name == "karpenter") return scheduling::Packer::kKarpenter;
  return Error::InvalidArgument("--packer: unknown packer \"" + std::string(name) +
                                "\" (expected adze or karpenter)");
}

Result<scheduling::MinValuesPolicy> ParseMinValuesPolicy(std::string_view name) {
  if (name == "Strict") return scheduling::MinValuesPolicy::kStrict;
  if (name == "BestEffort") return scheduling::MinValuesPolicy::kBestEffort;
  return Error::InvalidArgument("--min-values-policy: unknown policy \"" + std::string(name) +
                                "\" (expected Strict or BestEffort)");
}

// Copies of a workload's pod template, named <workload>-<i>.
void ExpandTemplate(const model::Pod& pod_template, const std::string& workload, int64_t count,
                    std::vector<model::Pod>& out) {
  for (int64_t i = 0; i < count; ++i) {
    model::Pod pod = pod_template;
    pod.meta.name = workload + "-" + std::to_string(i);
    if (pod.meta.uid.empty()) pod.meta.uid = PodName(pod);
    out.push_back(std::move(pod));
  }
}

std::string TypesText(const NewClaim& c) {
  std::vector<std::string> names;
  for (size_t i = 0; i < c.instance_types.size() && i < kTypesShown; ++i) names.push_back(c.instance_types[i]->name);
  std::string s = names.empty() ? "-" : Join(names, ", ");
  if (c.instance_types.size() > kTypesShown) s += fmt::format(" +{} more", c.instance_types.size() - kTypesShown);
  return s;
}

std::optional<double> CostOverLowerBound(const Plan& plan) {
  if (plan.lower_bound <= 0) return std::nullopt;
  return plan.cost_per_hour / plan.lower_bound;
}

Json ResourcesJson(const model::ResourceList& r) {
  Json j = Json::object();
  for (const auto& [name, q] : r) j[name] = q.ToString();
  return j;
}

Json PlanJson(const SolverInput& in, const Plan& plan, std::string_view packer) {
  Json doc;
  doc["packer"] = packer;
  doc["pendingPods"] = in.pods.size();
  Json claims = Json::array();
  for (const NewClaim& c : plan.claims) {
    Json j;
    j["nodePool"] = c.node_pool;
    Json pods = Json::array();
    for (size_t p : c.pods) pods.push_back(PodName(in.pods[p]));
    j["pods"] = pods;
    Json types = Json::array();
    for (const catalog::InstanceType* t : c.instance_types) {
      std::optional<double> price = scheduling::CheapestCompatibleOffering(*t, c.requirements);
      types.push_back({{"name", t->name}, {"pricePerHour", price ? Json(*price) : Json()}});
    }
    j["instanceTypes"] = types;
    j["moreInstanceTypes"] = c.more_instance_types;
    j["requests"] = ResourcesJson(c.requests);
    Json reqs = Json::array();
    for (const model::Requirement& r : c.requirements.All()) reqs.push_back(r.ToString());
    j["requirements"] = reqs;
    j["zones"] = c.zones;
    j["capacityTypes"] = c.capacity_types;
    j["pricePerHour"] = c.price_per_hour;
    if (c.min_values_relaxed) j["minValuesRelaxed"] = true;
    if (!c.reservation_ids.empty()) j["reservationIds"] = c.reservation_ids;
    claims.push_back(std::move(j));
  }
  doc["claims"] = claims;
  Json placements = Json::array();
  for (const scheduling::ExistingPlacement& p : plan.placed) {
    placements.push_back({{"pod", PodName(in.pods[p.pod])}, {"node", p.node}});
  }
  doc["placements"] = placements;
  Json unschedulable = Json::array();
  for (const scheduling::Unschedulable& u : plan.unschedulable) {
    Json j = {{"pod", PodName(in.pods[u.pod])}, {"reason", u.reason}};
    if (u.reserved_capacity) j["reservedCapacity"] = true;  // retried next loop (spec §2.10)
    unschedulable.push_back(std::move(j));
  }
  doc["unschedulable"] = unschedulable;
  doc["costPerHour"] = plan.cost_per_hour;
  doc["lowerBound"] = plan.lower_bound;
  std::optional<double> ratio = CostOverLowerBound(plan);
  doc["costOverLowerBound"] = ratio ? Json(*ratio) : Json();
  return doc;
}

void PrintPlanTable(const SolverInput& in, const Plan& plan, std::ostream& out) {
  if (in.pods.empty()) {
    out << "No pending pods: nothing to plan.\n";
    return;
  }
  size_t claimed_pods = 0;
  for (const NewClaim& c : plan.claims) claimed_pods += c.pods.size();
  out << fmt::format("{} pending pod{}: {} on {} new node{}, {} on existing nodes, {} unschedulable\n",
                     in.pods.size(), in.pods.size() == 1 ? "" : "s", claimed_pods, plan.claims.size(),
                     plan.claims.size() == 1 ? "" : "s", plan.placed.size(), plan.unschedulable.size());
  if (!plan.claims.empty()) {
    out << "\nNew NodeClaims:\n";
    Table t({{"#", true},
             {"nodepool"},
             {"pods", true},
             {"instance types (cheapest first)"},
             {"zones"},
             {"capacity"},
             {"$/h", true}});
    for (size_t i = 0; i < plan.claims.size(); ++i) {
      const NewClaim& c = plan.claims[i];
      t.AddRow({std::to_string(i + 1), c.node_pool, std::to_string(c.pods.size()), TypesText(c),
                ZonesText(c.zones), c.capacity_types.empty() ? "-" : Join(c.capacity_types, ","),
                fmt::format("{:.4f}", c.price_per_hour)});
    }
    out << t.RenderText();
  }
  if (!plan.placed.empty()) {
    out << "\nOn existing nodes:\n";
    std::map<std::string, size_t> per_node;
    for (const scheduling::ExistingPlacement& p : plan.placed) ++per_node[p.node];
    Table t({{"node"}, {"pods", true}});
    for (const auto& [node, n] : per_node) t.AddRow({node, std::to_string(n)});
    out << t.RenderText();
  }
  if (!plan.unschedulable.empty()) {
    out << "\nUnschedulable:\n";
    Table t({{"pod"}, {"reason"}});
    for (const scheduling::Unschedulable& u : plan.unschedulable) t.AddRow({PodName(in.pods[u.pod]), u.reason});
    out << t.RenderText();
  }
  std::optional<double> ratio = CostOverLowerBound(plan);
  out << fmt::format("\nTotal {}  lower bound {}  cost/LB {}\n", Money(plan.cost_per_hour), Money(plan.lower_bound),
                     ratio ? fmt::format("{:.3f}", *ratio) : std::string("-"));
}

// The pending pod `wanted` names (name or namespace/name).
Result<size_t> FindPendingPod(const SolverInput& in, const std::string& wanted) {
  size_t slash = wanted.find('/');
  std::vector<size_t> matches;
  for (size_t i = 0; i < in.pods.size(); ++i) {
    const model::ObjectMeta& m = in.pods[i].meta;
    bool hit = slash == std::string::npos ? m.name == wanted : PodName(in.pods[i]) == wanted;
    if (hit) matches.push_back(i);
  }
  if (matches.size() == 1) return matches.front();
  if (matches.size() > 1) {
    std::vector<std::string> names;
    for (size_t i : matches) names.push_back(PodName(in.pods[i]));
    return Error::InvalidArgument("--explain: \"" + wanted + "\" names several pods (" + Join(names, ", ") +
                                  "); use namespace/name");
  }
  for (const scheduling::NodeInput& n : in.nodes) {
    for (const model::Pod& p : n.pods) {
      if (p.meta.name == wanted || PodName(p) == wanted) {
        return Error::InvalidArgument("--explain: pod " + PodName(p) + " is already bound to node " +
                                      n.node.meta.name + "; --explain covers pending pods");
      }
    }
  }
  std::vector<std::string> known;
  for (size_t i = 0; i < in.pods.size() && i < kKnownPodsShown; ++i) known.push_back(PodName(in.pods[i]));
  std::string list = known.empty() ? "there are no pending pods" : "pending pods: " + Join(known, ", ");
  if (in.pods.size() > kKnownPodsShown) list += fmt::format(", ... ({} in all)", in.pods.size());
  return Error::NotFound("--explain: no pending pod named \"" + wanted + "\" (" + list + ")");
}

// Where the plan put pod i, in words and as JSON.
std::pair<std::string, Json> PlacementOf(const Plan& plan, size_t pod) {
  for (size_t c = 0; c < plan.claims.size(); ++c) {
    const NewClaim& claim = plan.claims[c];
    if (std::find(claim.pods.begin(), claim.pods.end(), pod) == claim.pods.end()) continue;
    std::string text = fmt::format("new NodeClaim #{} of NodePool {} ({}; {} pod{}, {:.4f} $/h)", c + 1,
                                   claim.node_pool, TypesText(claim), claim.pods.size(),
                                   claim.pods.size() == 1 ? "" : "s", claim.price_per_hour);
    Json types = Json::array();
    for (const catalog::InstanceType* t : claim.instance_types) types.push_back(t->name);
    return {text, {{"kind", "newClaim"}, {"claim", c + 1}, {"nodePool", claim.node_pool}, {"instanceTypes", types}}};
  }
  for (const scheduling::ExistingPlacement& p : plan.placed) {
    if (p.pod == pod) return {"existing node " + p.node, {{"kind", "existingNode"}, {"node", p.node}}};
  }
  for (const scheduling::Unschedulable& u : plan.unschedulable) {
    if (u.pod == pod) return {"unschedulable: " + u.reason, {{"kind", "unschedulable"}, {"reason", u.reason}}};
  }
  return {"not in the plan", {{"kind", "none"}}};
}

// Word-wraps a comma-separated list of names, each line indented; lists
// longer than kNamesShown end in "... and N more".
std::string WrapNames(const std::vector<std::string>& names, size_t indent, size_t width = 100) {
  size_t shown = std::min(names.size(), kNamesShown);
  std::vector<std::string> items;
  for (size_t i = 0; i < shown; ++i) items.push_back(names[i] + (i + 1 < shown ? "," : ""));
  if (names.size() > shown) items.push_back(fmt::format("... and {} more", names.size() - shown));
  std::string out;
  std::string line(indent, ' ');
  size_t on_line = 0;
  for (const std::string& item : items) {
    if (on_line > 0 && line.size() + 1 + item.size() > width) {
      out += line + "\n";
      line = std::string(indent, ' ');
      on_line = 0;
    }
    line += (on_line > 0 ? " " : "") + item;
    ++on_line;
  }
  if (on_line > 0) out += line + "\n";
  return out;
}

// Names of the types of the named pool that its own requirements (and
// template labels) rule out, whatever the pod asks for.
std::set<std::string> TypesOutsidePool(const SolverInput& in, const std::string& pool_name) {
  std::set<std::string> out;
  for (const scheduling::PoolInput& p : in.pools) {
    if (p.pool.meta.name != pool_name) continue;
    const model::Requirements reqs = p.pool.NodeRequirements();
    for (const catalog::InstanceType& t : p.instance_types) {
      if (t.requirements.Intersects(reqs)) out.insert(t.name);
    }
  }
  return out;
}

void PrintExplainTable(const SolverInput& in, size_t pod, const std::string& placement,
                       const std::vector<Rejection>& rejections, std::ostream& out) {
  out << "Pod " << PodName(in.pods[pod]) << " (requests " << in.pods[pod].EffectiveRequests().ToString() << ")\n";
  out << "In the plan: " << placement << "\n";
  // Existing nodes first, as the solver tries them.
  std::vector<std::string> node_fits;
  std::vector<const Rejection*> node_rejections;
  for (const Rejection& r : rejections) {
    if (r.node.empty()) continue;
    if (r.reason.empty()) {
      node_fits.push_back(r.node);
    } else {
      node_rejections.push_back(&r);
    }
  }
  if (!node_fits.empty() || !node_rejections.empty()) {
    out << "\nExisting nodes: " << node_fits.size() << " of " << node_fits.size() + node_rejections.size()
        << " can carry the pod (before the plan places other pending pods)\n";
    if (!node_fits.empty()) out << "  can carry it (" << node_fits.size() << "):\n" << WrapNames(node_fits, 4);
    for (const Rejection* r : node_rejections) {
      out << "  " << r->node << " (" << r->constraint << "): " << r->reason << "\n";
    }
  }
  if (in.pools.empty()) {
    out << "\nNo NodePool in the input.\n";
    return;
  }
  // Group by pool, in the order Explain returned them.
  std::vector<std::string> pool_order;
  std::map<std::string, std::vector<const Rejection*>> by_pool;
  for (const Rejection& r : rejections) {
    if (!r.node.empty()) continue;
    if (!by_pool.count(r.node_pool)) pool_order.push_back(r.node_pool);
    by_pool[r.node_pool].push_back(&r);
  }
  for (const std::string& pool : pool_order) {
    const std::vector<const Rejection*>& rows = by_pool[pool];
    out << "\nNodePool " << pool << ": ";
    auto whole = std::find_if(rows.begin(), rows.end(),
                              [](const Rejection* r) { return r->instance_type.empty() && !r->reason.empty(); });
    if (whole != rows.end()) {
      out << "ruled out as a whole (" << (*whole)->constraint << "): " << (*whole)->reason << "\n";
      continue;
    }
    // Types the NodePool's own requirements exclude say nothing about the pod;
    // they are counted, not listed (-o json lists them).
    std::set<std::string> outside = TypesOutsidePool(in, pool);
    size_t outside_count = 0;
    std::vector<std::string> fits;
    // constraint -> reason -> types, and constraint counts.
    std::map<std::string, size_t> counts;
    std::map<std::string, std::vector<std::string>> reason_order;  // per constraint, first-seen order
    std::map<std::pair<std::string, std::string>, std::vector<std::string>> groups;
    size_t types = 0;
    for (const Rejection* r : rows) {
      if (r->instance_type.empty()) continue;
      if (!r->reason.empty() && outside.count(r->instance_type)) {
        ++outside_count;
        continue;
      }
      ++types;
      if (r->reason.empty()) {
        fits.push_back(r->instance_type);
        continue;
      }
      ++counts[r->constraint];
      auto key = std::make_pair(r->constraint, r->reason);
      if (!groups.count(key)) reason_order[r->constraint].push_back(r->reason);
      groups[key].push_back(r->instance_type);
    }
    out << fits.size() << " of " << types << " instance types can carry the pod";
    if (outside_count > 0) out << " (" << outside_count << " more are outside the NodePool's requirements)";
    out << "\n";
    // Most frequent constraint first; ties by name.
    std::vector<std::pair<std::string, size_t>> by_count(counts.begin(), counts.end());
    std::stable_sort(by_count.begin(), by_count.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    if (!by_count.empty()) {
      Table t({{"ruled out by"}, {"types", true}});
      for (const auto& [constraint, n] : by_count) t.AddRow({constraint, std::to_string(n)});
      std::string text = t.RenderText();
      // Indent the table under the pool.
      size_t pos = 0;
      while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        out << "  " << text.substr(pos, nl - pos + 1);
        pos = nl + 1;
      }
    }
    if (!fits.empty()) out << "  can carry it (" << fits.size() << "):\n" << WrapNames(fits, 4);
    for (const auto& [constraint, n] : by_count) {
      out << "  " << constraint << " (" << n << "):\n";
      for (const std::string& reason : reason_order[constraint]) {
        const std::vector<std::string>& names = groups[{constraint, reason}];
        if (names.size() == 1) {
          out << "    " << names.front() << ": " << reason << "\n";
        } else {
          out << "    " << reason << " (" << names.size() << " types):\n" << WrapNames(names, 6);
        }
      }
    }
  }
}

Json ExplainJson(const SolverInput& in, size_t pod, const Json& placement, const std::vector<Rejection>& rejections) {
  Json doc;
  doc["pod"] = PodName(in.pods[pod]);
  doc["requests"] = ResourcesJson(in.pods[pod].EffectiveRequests());
  doc["placement"] = placement;
  Json list = Json::array();
  for (const Rejection& r : rejections) {
    Json j;
    j["nodePool"] = r.node_pool.empty() ? Json() : Json(r.node_pool);
    j["instanceType"] = r.instance_type.empty() ? Json() : Json(r.instance_type);
    if (!r.node.empty()) j["node"] = r.node;  // an existing node
    j["canCarry"] = r.reason.empty();
    j["constraint"] = r.constraint;
    j["reason"] = r.reason;
    list.push_back(std::move(j));
  }
  doc["explanations"] = list;
  return doc;
}

void Emit(const Json& doc, OutputFormat format, std::ostream& out) {
  out << (format == OutputFormat::kJson ? doc.dump(2) + "\n" : ToYaml(doc));
}

}  // namespace

Result<SolverInput> BuildSolverInput(codec::Manifests m, const catalog::Catalog& cat,
                                     const catalog::CapacityOptions& capacity, std::ostream& warnings) {
  SolverInput in;

  std::map<std::string, size_t> node_index;
  for (model::Node& node : m.nodes) {
    if (node_index.count(node.meta.name)) {
      return Error::InvalidArgument("Node \"" + node.meta.name + "\" appears twice in the input");
    }
    node_index[node.meta.name] = in.nodes.size();
    in.nodes.push_back({std::move(node), {}, nullptr});
  }

  std::vector<model::Pod> pods = std::move(m.pods);
  for (const model::Deployment& d : m.deployments) ExpandTemplate(d.pod_template, d.meta.name, d.replicas, pods);
  for (const model::Job& j : m.jobs) {
    // A Job runs min(parallelism, completions) pods at once.
    int64_t n = j.parallelism;
    if (j.completions) n = std::min<int64_t>(n, *j.completions);
    ExpandTemplate(j.pod_template, j.meta.name, n, pods);
  }
  in.pods.reserve(pods.size());  // 100,000-pod inputs: one allocation, no moves
  for (model::Pod& pod : pods) {
    if (!pod.node_name.empty()) {
      auto it = node_index.find(pod.node_name);
      if (it == node_index.end()) {
        warnings << "warning: pod " << PodName(pod) << " is bound to node " << pod.node_name
                 << ", which is not in the input; ignoring the pod\n";
      } else {
        in.nodes[it->second].pods.push_back(std::move(pod));
      }
      continue;
    }
    if (pod.OwnedByDaemonSet()) continue;  // the DaemonSet's overhead covers it
    in.pods.push_back(std::move(pod));
  }

  std::set<std::string> pool_names;
  for (model::NodePool& pool : m.node_pools) {
    if (!pool_names.insert(pool.meta.name).second) {
      return Error::InvalidArgument("NodePool \"" + pool.meta.name + "\" appears twice in the input");
    }
    const std::string& class_name = pool.node_class_ref.name;
    auto nc = std::find_if(m.node_classes.begin(), m.node_classes.end(),
                           [&](const model::EC2NodeClass& c) { return c.meta.name == class_name; });
    if (nc == m.node_classes.end()) {
      return Error::NotFound("NodePool \"" + pool.meta.name + "\" refers to EC2NodeClass \"" + class_name +
                             "\", which is not in the input (add the file that defines it with -f)");
    }
    scheduling::PoolInput p;
    p.instance_types = catalog::ResolveInstanceTypes(cat, *nc, capacity);
    for (const scheduling::NodeInput& n : in.nodes) {
      auto label = n.node.meta.labels.find(model::label::kNodePool);
      if (label != n.node.meta.labels.end() && label->second == pool.meta.name) {
        p.usage.Add(n.node.capacity);
        // spec.limits.nodes counts the pool's nodes.
        p.usage.Add(model::ResourceList{{"nodes", model::Quantity::FromUnits(1)}});
      }
    }
    p.pool = std::move(pool);
    in.pools.push_back(std::move(p));
  }
  in.daemon_sets = std::move(m.daemon_sets);
  in.volume_claims = std::move(m.volume_claims);
  in.volumes = std::move(m.volumes);
  in.storage_classes = std::move(m.storage_classes);
  return in;
}

int RunPlan(const PlanOptions& o, std::ostream& out, std::ostream& err) {
  auto fail = [&](const Error& e) {
    err << "error: " << e.message << "\n";
    return 1;
  };
  if (o.files.empty()) return fail(Error::InvalidArgument("no input: pass manifests with -f FILE"));
  Result<OutputFormat> format = ParseOutputFormat(o.output);
  if (!format.ok()) return fail(format.error());
  if (*format == OutputFormat::kCsv) {
    return fail(Error::InvalidArgument("-o csv: a plan prints as table, json or yaml"));
  }
  Result<scheduling::Packer> packer = ParsePacker(o.packer);
  if (!packer.ok()) return fail(packer.error());
  Result<scheduling::MinValuesPolicy> min_values_policy = ParseMinValuesPolicy(o.min_values_policy);
  if (!min_values_policy.ok()) return fail(min_values_policy.error());
  if (o.max_instance_types < 1) {
    return fail(Error::InvalidArgument("--max-instance-types: must be at least 1, got " +
                                       std::to_string(o.max_instance_types)));
  }

  // Contradicting flags (issue 15 class 6): say so rather than ignore one.
  if (!o.zones_file.empty() && o.catalog_file.empty()) {
    return fail(Error::InvalidArgument("--zones: needs --catalog (the built-in catalog has its own zones)"));
  }
  if (o.thorough && *packer == scheduling::Packer::kKarpenter) {
    err << "warning: --thorough has no effect with --packer karpenter (it tunes the adze packer)\n";
  }
  Result<double> fewer_nodes_premium = ParseFewerNodesPremium(o.fewer_nodes_premium);
  if (!fewer_nodes_premium.ok()) {
    return fail(Error::InvalidArgument("--fewer-nodes-premium: " + fewer_nodes_premium.error().message));
  }
  if (*fewer_nodes_premium > 0 && *packer == scheduling::Packer::kKarpenter) {
    err << "warning: --fewer-nodes-premium has no effect with --packer karpenter (it tunes the adze packer)\n";
  }

  // A catalog read from files must outlive the instance types that point into it.
  std::optional<catalog::Catalog> own_catalog;
  const catalog::Catalog* cat = nullptr;
  if (o.catalog_file.empty()) {
    cat = &catalog::Catalog::Embedded();
  } else {
    Result<catalog::Catalog> loaded = LoadCatalogOverride(o.catalog_file, o.zones_file);
    if (!loaded.ok()) return fail(loaded.error());
    own_catalog.emplace(std::move(loaded).value());
    cat = &*own_catalog;
  }

  Result<codec::Manifests> manifests = LoadManifests(o.files);
  if (!manifests.ok()) return fail(manifests.error());
  catalog::CapacityOptions capacity;
  capacity.prefix_delegation = o.prefix_delegation;
  Result<SolverInput> input = BuildSolverInput(std::move(manifests).value(), *cat, capacity, err);
  if (!input.ok()) return fail(input.error());
  if (!input->pods.empty() && input->pools.empty()) {
    err << "warning: no NodePool in the input; pending pods can only go to existing nodes\n";
  }

  std::optional<size_t> explained;
  if (!o.explain.empty()) {
    Result<size_t> pod = FindPendingPod(*input, o.explain);
    if (!pod.ok()) return fail(pod.error());
    explained = *pod;
  }

  scheduling::SolverOptions solver_options;
  solver_options.packer = *packer;
  solver_options.max_instance_types = static_cast<size_t>(o.max_instance_types);
  solver_options.min_values_policy = *min_values_policy;
  solver_options.thorough = o.thorough;
  solver_options.fewer_nodes_premium = *fewer_nodes_premium;
  Plan plan = scheduling::Solve(*input, solver_options);

  if (explained) {
    std::vector<Rejection> rejections = scheduling::Explain(*input, *explained);
    auto [text, json] = PlacementOf(plan, *explained);
    if (*format == OutputFormat::kTable) {
      PrintExplainTable(*input, *explained, text, rejections, out);
    } else {
      Emit(ExplainJson(*input, *explained, json, rejections), *format, out);
    }
    return 0;
  }
  if (*format == OutputFormat::kTable) {
    PrintPlanTable(*input, plan, out);
  } else {
    Emit(PlanJson(*input, plan, o.packer), *format, out);
  }
  return 0;
}

void RegisterPlanCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<PlanOptions>();
  CLI::App* cmd = app.add_subcommand(
      "plan", "Plan the nodes Karpenter would launch for pending pods, with cost and a lower bound");
  cmd->footer(
      "Reads Pods, Deployments, Jobs, List, NodePools, EC2NodeClasses, DaemonSets, Nodes,\n"
      "PersistentVolumeClaims, PersistentVolumes and StorageClasses.\n"
      "Examples:\n"
      "  adze plan -f examples/gpu-nodepool.yaml -f examples/inference-4gpu-pod.yaml\n"
      "  kubectl get pods -A -o yaml > pods.yaml; adze plan -f pools.yaml -f pods.yaml -o json\n"
      "  adze plan -f examples/gpu-nodepool.yaml -f examples/inference-4gpu-pod.yaml --explain llm-serve-0");
  cmd->add_option("-f,--filename", options->files, "Manifest file, repeatable ('-' reads stdin)")->required();
  cmd->add_option("--packer", options->packer,
                  "adze (best-fit, never costlier than karpenter) or karpenter (Karpenter's order)")
      ->capture_default_str();
  cmd->add_option("--max-instance-types", options->max_instance_types, "Instance-type options kept per NodeClaim")
      ->capture_default_str();
  cmd->add_option("--min-values-policy", options->min_values_policy,
                  "Strict (a claim that cannot keep minValues fails) or BestEffort (minValues is lowered)")
      ->capture_default_str();
  cmd->add_flag("--thorough", options->thorough,
                "adze packer: also try stricter price-per-pod thresholds (slower, often cheaper)");
  cmd->add_option("--fewer-nodes-premium", options->fewer_nodes_premium, kFewerNodesPremiumHelp)->capture_default_str();
  cmd->add_option("--explain", options->explain,
                  "POD (name or namespace/name): why each NodePool and instance type can or cannot carry it");
  cmd->add_flag("--prefix-delegation", options->prefix_delegation,
                "VPC CNI prefix delegation is on: pod capacity uses the prefix-delegation max pods");
  cmd->add_option("--catalog", options->catalog_file, "instance-types.csv to use instead of the built-in catalog")
      ->check(CLI::ExistingFile);
  cmd->add_option("--zones", options->zones_file, "zones CSV to go with --catalog (default: beside it)")
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", options->output, "Output format: table, json, yaml")->capture_default_str();
  cmd->callback([options, &exit_code] { exit_code = RunPlan(*options, std::cout, std::cerr); });
}

}  // namespace adze::cli
