#include "model/resource_list.h"

#include <algorithm>

namespace adze::model {

ResourceList::ResourceList(std::initializer_list<std::pair<std::string_view, Quantity>> entries) {
  for (const auto& [name, q] : entries) Set(name, q);
}

std::vector<ResourceList::Entry>::iterator ResourceList::Find(std::string_view name) {
  return std::lower_bound(entries_.begin(), entries_.end(), name,
                          [](const Entry& e, std::string_view n) { return e.first < n; });
}

std::vector<ResourceList::Entry>::const_iterator ResourceList::Find(std::string_view name) const {
  return std::lower_bound(entries_.begin(), entries_.end(), name,
                          [](const Entry& e, std::string_view n) { return e.first < n; });
}

Quantity ResourceList::Get(std::string_view name) const {
  auto it = Find(name);
  return it != entries_.end() && it->first == name ? it->second : Quantity();
}

bool ResourceList::Has(std::string_view name) const {
  auto it = Find(name);
  return it != entries_.end() && it->first == name;
}

void ResourceList::Set(std::string_view name, Quantity q) {
  auto it = Find(name);
  if (it != entries_.end() && it->first == name) {
    it->second = q;
  } else {
    entries_.insert(it, Entry(std::string(name), q));
  }
}

void ResourceList::Erase(std::string_view name) {
  auto it = Find(name);
  if (it != entries_.end() && it->first == name) entries_.erase(it);
}

ResourceList& ResourceList::Add(const ResourceList& other) {
  for (const auto& [name, q] : other.entries_) {
    auto it = Find(name);
    if (it != entries_.end() && it->first == name) {
      it->second += q;
    } else {
      entries_.insert(it, Entry(name, q));
    }
  }
  return *this;
}

ResourceList& ResourceList::Subtract(const ResourceList& other) {
  for (const auto& [name, q] : other.entries_) {
    auto it = Find(name);
    if (it != entries_.end() && it->first == name) {
      it->second -= q;
    } else {
      entries_.insert(it, Entry(name, Quantity() - q));
    }
  }
  return *this;
}

ResourceList ResourceList::Max(const ResourceList& a, const ResourceList& b) {
  ResourceList out = a;
  for (const auto& [name, q] : b.entries_) {
    auto it = out.Find(name);
    if (it != out.entries_.end() && it->first == name) {
      if (q > it->second) it->second = q;
    } else {
      out.entries_.insert(it, Entry(name, q));
    }
  }
  return out;
}

ResourceList ResourceList::Times(int64_t n) const {
  ResourceList out = *this;
  for (auto& e : out.entries_) e.second = e.second.Times(n);
  return out;
}

bool ResourceList::Fits(const ResourceList& requests, const ResourceList& available) {
  for (const auto& [name, q] : requests.entries_) {
    if (q.milli() > 0 && q > available.Get(name)) return false;
  }
  return true;
}

std::vector<std::string> ResourceList::Exceeding(const ResourceList& requests,
                                                 const ResourceList& available) {
  std::vector<std::string> out;
  for (const auto& [name, q] : requests.entries_) {
    if (q.milli() > 0 && q > available.Get(name)) out.push_back(name);
  }
  return out;
}

int64_t ResourceList::CopiesThatFit(const ResourceList& requests, const ResourceList& available,
                                    int64_t max_count) {
  int64_t n = max_count;
  for (const auto& [name, q] : requests.entries_) {
    if (q.milli() <= 0) continue;
    int64_t have = available.Get(name).milli();
    n = std::min(n, have <= 0 ? 0 : have / q.milli());
  }
  return n;
}

std::string ResourceList::ToString() const {
  std::string out;
  for (const auto& [name, q] : entries_) {
    if (!out.empty()) out += ", ";
    out += name + "=" + q.ToString();
  }
  return out;
}

bool operator==(const ResourceList& a, const ResourceList& b) {
  // Absent and zero are the same.
  for (const auto& [name, q] : a.entries_) {
    if (b.Get(name) != q) return false;
  }
  for (const auto& [name, q] : b.entries_) {
    if (a.Get(name) != q) return false;
  }
  return true;
}

}  // namespace adze::model
