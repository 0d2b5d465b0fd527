// Re-packing (kAdze): per pool, the claims whose pods are all plain are
// re-packed as variable-sized bin packing over pod classes and the pool's
// non-dominated types (bin_packing.h), then pods move to claims with room
// when that makes their own claim cheaper; the result is kept only when it
// costs less than the claims it replaces. Members of Packing (packing.h).
// Thread-safety: as Packing.
#include <algorithm>
#include <limits>
#include <map>

#include "scheduling/packing.h"

namespace adze::scheduling {

void Packing::Repack() {
  for (size_t ti = 0; ti < p_.templates_.size(); ++ti) {
    // Limits and minValues depend on each claim's type list: left alone.
    if (p_.has_min_values_[ti] || p_.templates_[ti].remaining_limits || p_.nodes_left_[ti] >= 0) continue;
    std::vector<size_t> group;  // claim indexes
    for (size_t k = 0; k < claims_.size(); ++k) {
      const Claim& c = claims_[k];
      if (c.tmpl != ti || !c.reservations.empty() || c.min_values_relaxed) continue;
      if (!std::all_of(c.pods.begin(), c.pods.end(), [&](size_t i) { return Plain(p_.pods_[i]); })) continue;
      group.push_back(k);
    }
    if (group.size() < 2) continue;
    std::vector<Claim> repacked;
    if (!RepackTemplate(ti, group, &repacked)) continue;
    // Replace the group's claims by the repacked ones; ids are claim indexes.
    std::vector<Claim> kept;
    kept.reserve(claims_.size() - group.size() + repacked.size());
    size_t g = 0;
    for (size_t k = 0; k < claims_.size(); ++k) {
      if (g < group.size() && group[g] == k) {
        ++g;
        continue;
      }
      kept.push_back(std::move(claims_[k]));
    }
    for (Claim& c : repacked) kept.push_back(std::move(c));
    for (size_t k = 0; k < kept.size(); ++k) kept[k].id = k;
    claims_ = std::move(kept);
  }
}

// Re-packs one pool's plain claims as variable-sized bin packing over pod
// classes (equal requests) and the pool's non-dominated types. Candidates,
// each followed by MovePods: column generation (PackBins, bin_packing.h);
// when that declines (too many classes), a value-density greedy (each class
// worth v = max over resources r of request_r × the lowest price per unit of
// r, its share of the lower bound; each round opens the claim with the most
// value per dollar, priced as Score prices it); and the claims as packed.
// Returns true (and the claims) when the cheapest costs less than the
// group's claims do now.
bool Packing::RepackTemplate(size_t ti, const std::vector<size_t>& group, std::vector<Claim>* out) {
  const Template& t = p_.templates_[ti];
  const size_t n = n_resources_;
  const int64_t* alloc = p_.alloc_[ti].data();
  double before = 0;
  struct Class {
    ResourceVector requests;
    std::vector<size_t> pods;  // indexes into SolverInput::pods, ascending
    double value = 0;
  };
  std::map<std::vector<int64_t>, size_t> class_of;
  std::vector<Class> classes;
  size_t num_pods = 0;
  for (size_t k : group) {
    const Claim& c = claims_[k];
    before += PriceFor(ti, c.used);
    for (size_t i : c.pods) {
      const ResourceVector& req = p_.pods_[i].requests;
      std::vector<int64_t> key(n);
      for (size_t r = 0; r < n; ++r) key[r] = req[r];
      auto [it, added] = class_of.emplace(std::move(key), classes.size());
      if (added) classes.push_back({req, {}, 0});
      classes[it->second].pods.push_back(i);
      ++num_pods;
    }
  }
  // Candidate shapes: types with a price, without those another type of the
  // same kind (exotic or not) beats on price and every resource.
  std::vector<uint32_t> shapes;
  for (uint32_t i = 0; i < t.types.size(); ++i) {
    if (p_.base_price_[ti][i] == std::numeric_limits<double>::infinity()) continue;
    bool dominated = false;
    for (uint32_t j = 0; j < t.types.size() && !dominated; ++j) {
      if (j == i || p_.exotic_[ti][j] != p_.exotic_[ti][i]) continue;
      const double pi = p_.base_price_[ti][i], pj = p_.base_price_[ti][j];
      if (pj > pi) continue;
      bool covers = true, larger = false;
      for (size_t r = 0; r < n; ++r) {
        covers &= alloc[j * n + r] >= alloc[i * n + r];
        larger |= alloc[j * n + r] > alloc[i * n + r];
      }
      // Ties (same price and shape) keep the first.
      dominated = covers && (pj < pi || larger || j < i);
    }
    if (!dominated) shapes.push_back(i);
  }
  // Candidate 1: column generation over the classes (bin_packing.h). When
  // every class fits a plain type, only plain types are offered, as Score
  // prices a claim at a plain type whenever one holds it.
  std::vector<Bin> generated;
  double generated_cost = std::numeric_limits<double>::infinity();
  {
    std::vector<uint32_t> offered;
    for (uint32_t i : shapes) {
      if (!p_.exotic_[ti][i]) offered.push_back(i);
    }
    // Items in request order (class_of's), so the input, and the memo key,
    // depend only on the multiset of requests, not on how a variant packed.
    std::vector<size_t> by_request;  // item -> class
    std::vector<ItemClass> items;
    for (const auto& [requests, k] : class_of) {
      by_request.push_back(k);
      items.push_back({requests, static_cast<int64_t>(classes[k].pods.size())});
    }
    auto fits_some = [&](const ItemClass& item) {
      return std::any_of(offered.begin(), offered.end(), [&](uint32_t i) {
        for (size_t r = 0; r < n; ++r) {
          if (item.size[r] > alloc[static_cast<size_t>(i) * n + r]) return false;
        }
        return true;
      });
    };
    if (!std::all_of(items.begin(), items.end(), fits_some)) offered = shapes;
    std::vector<BinShape> bin_shapes;
    for (uint32_t i : offered) {
      const int64_t* a = alloc + static_cast<size_t>(i) * n;
      bin_shapes.push_back({std::vector<int64_t>(a, a + n), p_.base_price_[ti][i]});
    }
    // The candidate variants of one Solve (SolverOptions::thorough) often
    // re-pack the same pods: solve each (template, items) once.
    std::vector<int64_t> key = {static_cast<int64_t>(ti)};
    for (const ItemClass& item : items) {
      key.insert(key.end(), item.size.begin(), item.size.end());
      key.push_back(item.count);
    }
    auto [memo, added] = memo_->try_emplace(std::move(key));
    if (added) memo->second = PackBins(bin_shapes, items);
    if (const std::optional<BinPackingResult>& packed = memo->second) {
      std::vector<size_t> next_pod(classes.size(), 0);
      for (const PackedBin& pb : packed->bins) {
        Bin b;
        for (size_t i = 0; i < items.size(); ++i) {
          const Class& cl = classes[by_request[i]];
          for (int64_t q = 0; q < pb.take[i]; ++q) {
            b.pods.push_back(cl.pods[next_pod[by_request[i]]++]);
            b.used += cl.requests;
          }
        }
        generated.push_back(std::move(b));
      }
      generated_cost = MovePods(ti, &generated);
    }
  }
  // Candidate 2, only when column generation declined (too many classes):
  // value-density greedy. Bounded work: rounds × shapes × classes (rounds ≤
  // pods).
  if (!generated.empty() ||
      static_cast<double>(num_pods) * static_cast<double>(shapes.size()) * static_cast<double>(classes.size()) > 5e8) {
    shapes.clear();
  }
  for (Class& k : classes) {
    for (size_t r = 0; r < n; ++r) {
      if (k.requests[r] <= 0) continue;
      double per_unit = std::numeric_limits<double>::infinity();
      for (uint32_t i : shapes) {
        const int64_t* a = alloc + static_cast<size_t>(i) * n;
        bool fits = a[r] > 0;
        for (size_t q = 0; q < n && fits; ++q) fits = k.requests[q] <= a[q];
        if (!fits) continue;
        per_unit = std::min(per_unit, p_.base_price_[ti][i] / static_cast<double>(a[r]));
      }
      if (per_unit != std::numeric_limits<double>::infinity()) {
        k.value = std::max(k.value, static_cast<double>(k.requests[r]) * per_unit);
      }
    }
  }
  std::vector<size_t> order(classes.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return classes[a].value > classes[b].value; });
  std::vector<size_t> next(classes.size(), 0);  // first pod of each class not yet packed
  std::vector<int64_t> take(classes.size()), best_take(classes.size());
  std::vector<Bin> bins;
  size_t left = shapes.empty() ? 0 : num_pods;
  while (left > 0) {
    double best_density = -1;
    ResourceVector best_used;
    for (uint32_t i : shapes) {
      const int64_t* a = alloc + static_cast<size_t>(i) * n;
      ResourceVector used;
      double value = 0;
      bool any = false;
      for (size_t k : order) {
        take[k] = 0;
        const Class& cl = classes[k];
        int64_t q = static_cast<int64_t>(cl.pods.size() - next[k]);
        for (size_t r = 0; r < n && q > 0; ++r) {
          if (cl.requests[r] > 0) q = std::min(q, (a[r] - used[r]) / cl.requests[r]);
        }
        if (q <= 0) continue;
        take[k] = q;
        any = true;
        for (size_t r = 0; r < n; ++r) used[r] += q * cl.requests[r];
        value += static_cast<double>(q) * cl.value;
      }
      if (!any) continue;
      const double price = PriceFor(ti, used);
      const double density = price > 0 ? value / price : std::numeric_limits<double>::max();
      if (density > best_density) {
        best_density = density;
        best_used = used;
        best_take = take;
      }
    }
    if (best_density < 0) {  // defensive: every pod fit a claim before
      bins.clear();
      break;
    }
    Bin b;
    b.used = best_used;
    for (size_t k = 0; k < classes.size(); ++k) {
      for (int64_t q = 0; q < best_take[k]; ++q) b.pods.push_back(classes[k].pods[next[k]++]);
      left -= static_cast<size_t>(best_take[k]);
    }
    bins.push_back(std::move(b));
  }
  // Candidate 3: the group's claims as they are, improved by moving pods.
  std::vector<Bin> moved;
  for (size_t k : group) moved.push_back({claims_[k].used, claims_[k].pods});
  const double greedy_cost =
      left == 0 && !bins.empty() ? MovePods(ti, &bins) : std::numeric_limits<double>::infinity();
  const double moved_cost = MovePods(ti, &moved);
  // The cheapest wins (ties: the earlier candidate); none unless it beats
  // the claims as packed, so the post-pass never costs more.
  const double best = std::min({generated_cost, greedy_cost, moved_cost});
  if (best >= before - 1e-9) return false;
  if (generated_cost == best) {
    bins = std::move(generated);
  } else if (greedy_cost != best) {
    bins = std::move(moved);
  }
  for (Bin& b : bins) {
    if (b.pods.empty()) continue;
    Claim c;
    c.tmpl = ti;
    c.host = topology_.NewAnonymousDomain(topology_.hostname_key());
    c.requirements = claims_[group.front()].requirements;
    c.used = b.used;
    c.pods = std::move(b.pods);
    std::sort(c.pods.begin(), c.pods.end());
    for (uint32_t i = 0; i < t.types.size(); ++i) {
      const int64_t* a = alloc + static_cast<size_t>(i) * n;
      bool fits = true;
      for (size_t r = 0; r < n; ++r) fits &= c.used[r] <= a[r];
      if (fits) c.types.push_back(i);
    }
    SetEnvelope(c);
    c.domains.resize(static_cast<size_t>(topology_.num_keys()));
    for (int key = 0; key < topology_.num_keys(); ++key) {
      c.domains[static_cast<size_t>(key)] = ClaimDomain(c, c.requirements, key);
    }
    out->push_back(std::move(c));
  }
  return true;
}

// Local search over plain bins of template ti: a pod moves to another bin
// when that bin holds it without a dearer type and its own bin gets cheaper
// (an emptied bin costs nothing). Receivers are the bins with room for the
// group's smallest request. Returns the bins' total price afterwards.
double Packing::MovePods(size_t ti, std::vector<Bin>* bins) const {
  const size_t n = n_resources_;
  const int64_t* alloc = p_.alloc_[ti].data();
  ResourceVector smallest;
  for (size_t r = 0; r < n; ++r) smallest[r] = std::numeric_limits<int64_t>::max();
  for (Bin& b : *bins) {
    b.type = PriceTypeFor(ti, b.used);
    for (size_t i : b.pods) smallest = ResourceVector::Min(smallest, p_.pods_[i].requests);
  }
  auto room = [&](const Bin& b) {
    ResourceVector free;
    const int64_t* a = alloc + static_cast<size_t>(b.type) * n;
    for (size_t r = 0; r < n; ++r) free[r] = a[r] - b.used[r];
    return free;
  };
  for (int pass = 0; pass < 4; ++pass) {
    std::vector<size_t> receivers;
    std::vector<ResourceVector> free(bins->size());
    for (size_t k = 0; k < bins->size(); ++k) {
      if ((*bins)[k].pods.empty()) continue;
      free[k] = room((*bins)[k]);
      if (smallest.FitsInFirst(free[k], n)) receivers.push_back(k);
    }
    if (receivers.empty()) break;
    bool improved = false;
    for (size_t k = 0; k < bins->size(); ++k) {
      Bin& donor = (*bins)[k];
      for (size_t j = 0; j < donor.pods.size();) {
        const ResourceVector& req = p_.pods_[donor.pods[j]].requests;
        const double now = p_.base_price_[ti][donor.type];
        const ResourceVector rest = donor.used - req;
        const bool empties = donor.pods.size() == 1;
        const uint32_t rest_type = empties ? donor.type : PriceTypeFor(ti, rest);
        const double gain = empties ? now : now - p_.base_price_[ti][rest_type];
        size_t to = SIZE_MAX;
        if (gain > 1e-9) {
          for (size_t r : receivers) {
            if (r != k && !(*bins)[r].pods.empty() && req.FitsInFirst(free[r], n)) {
              to = r;
              break;
            }
          }
        }
        if (to == SIZE_MAX) {
          ++j;
          continue;
        }
        Bin& dest = (*bins)[to];
        dest.pods.push_back(donor.pods[j]);
        dest.used += req;
        free[to] -= req;
        donor.pods.erase(donor.pods.begin() + static_cast<long>(j));
        donor.used = rest;
        donor.type = rest_type;
        if (!donor.pods.empty()) free[k] = room(donor);
        improved = true;
      }
    }
    if (!improved) break;
  }
  double total = 0;
  for (const Bin& b : *bins) {
    if (!b.pods.empty()) total += p_.base_price_[ti][b.type];
  }
  return total;
}

}  // namespace adze::scheduling
