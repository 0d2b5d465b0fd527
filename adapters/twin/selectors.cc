#include "adapters/twin/selectors.h"

#include <algorithm>
#include <sstream>

namespace adze::twin {
namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(' ');
  size_t e = s.find_last_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Splits on commas outside parentheses.
std::vector<std::string> Terms(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      out.push_back(Trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!Trim(cur).empty()) out.push_back(Trim(cur));
  return out;
}

// The string at a dotted path, or nullptr.
const nlohmann::json* AtPath(const nlohmann::json& object, const std::string& path) {
  const nlohmann::json* cur = &object;
  std::stringstream ss(path);
  std::string part;
  while (std::getline(ss, part, '.')) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(part);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

}  // namespace

Result<Selector> Selector::Parse(const std::string& text) {
  Selector out;
  for (const std::string& raw : Terms(text)) {
    Term t;
    size_t p;
    if (raw.empty()) continue;
    if (raw[0] == '!') {
      t.key = Trim(raw.substr(1));
      t.op = Term::Op::kNotExists;
    } else if ((p = raw.find(" notin ")) != std::string::npos || (p = raw.find(" in ")) != std::string::npos) {
      bool notin = raw.compare(p, 7, " notin ") == 0;
      t.key = Trim(raw.substr(0, p));
      t.op = notin ? Term::Op::kNotIn : Term::Op::kIn;
      size_t open = raw.find('(', p);
      size_t close = raw.rfind(')');
      if (open == std::string::npos || close == std::string::npos || close < open) {
        return Error::InvalidArgument("selector term \"" + raw + "\": expected a (value, ...) list");
      }
      std::stringstream ss(raw.substr(open + 1, close - open - 1));
      std::string v;
      while (std::getline(ss, v, ',')) t.values.push_back(Trim(v));
    } else if ((p = raw.find("!=")) != std::string::npos) {
      t.key = Trim(raw.substr(0, p));
      t.op = Term::Op::kNotEq;
      t.values.push_back(Trim(raw.substr(p + 2)));
    } else if ((p = raw.find("==")) != std::string::npos) {
      t.key = Trim(raw.substr(0, p));
      t.values.push_back(Trim(raw.substr(p + 2)));
    } else if ((p = raw.find('=')) != std::string::npos) {
      t.key = Trim(raw.substr(0, p));
      t.values.push_back(Trim(raw.substr(p + 1)));
    } else {
      t.key = raw;
      t.op = Term::Op::kExists;
    }
    if (t.key.empty()) return Error::InvalidArgument("selector term \"" + raw + "\" has no key");
    out.terms_.push_back(std::move(t));
  }
  return out;
}

bool Selector::Holds(const Term& t, const std::string* value) {
  bool in = value != nullptr && std::find(t.values.begin(), t.values.end(), *value) != t.values.end();
  switch (t.op) {
    case Term::Op::kEq:
    case Term::Op::kIn:
      return in;
    case Term::Op::kNotEq:
    case Term::Op::kNotIn:
      return !in;
    case Term::Op::kExists:
      return value != nullptr;
    case Term::Op::kNotExists:
      return value == nullptr;
  }
  return false;
}

bool Selector::Matches(const nlohmann::json& labels) const {
  for (const Term& t : terms_) {
    std::string v;
    const std::string* value = nullptr;
    if (labels.is_object()) {
      auto it = labels.find(t.key);
      if (it != labels.end() && it->is_string()) {
        v = it->get<std::string>();
        value = &v;
      }
    }
    if (!Holds(t, value)) return false;
  }
  return true;
}

bool Selector::MatchesFields(const nlohmann::json& object) const {
  for (const Term& t : terms_) {
    const nlohmann::json* at = AtPath(object, t.key);
    // An absent field reads as "", as the API server's field sets do.
    std::string v = at == nullptr ? "" : at->is_string() ? at->get<std::string>() : at->dump();
    if (!Holds(t, &v)) return false;
  }
  return true;
}

Selector LabelSelectorFromJson(const nlohmann::json& selector) {
  Selector out;
  if (!selector.is_object()) return out;
  if (auto ml = selector.find("matchLabels"); ml != selector.end() && ml->is_object()) {
    for (auto it = ml->begin(); it != ml->end(); ++it) {
      out.terms_.push_back({it.key(), Selector::Term::Op::kEq, {it->is_string() ? it->get<std::string>() : ""}});
    }
  }
  if (auto me = selector.find("matchExpressions"); me != selector.end() && me->is_array()) {
    for (const nlohmann::json& e : *me) {
      Selector::Term t;
      t.key = e.value("key", "");
      std::string op = e.value("operator", "");
      t.op = op == "In"       ? Selector::Term::Op::kIn
             : op == "NotIn"  ? Selector::Term::Op::kNotIn
             : op == "Exists" ? Selector::Term::Op::kExists
                              : Selector::Term::Op::kNotExists;
      if (auto v = e.find("values"); v != e.end() && v->is_array()) {
        for (const nlohmann::json& s : *v) t.values.push_back(s.is_string() ? s.get<std::string>() : s.dump());
      }
      out.terms_.push_back(std::move(t));
    }
  }
  return out;
}

}  // namespace adze::twin
