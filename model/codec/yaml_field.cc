#include "model/codec/yaml_field.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace adze::codec {
namespace {

std::string RangeText(int64_t min, int64_t max, int64_t type_min, int64_t type_max) {
  if (min <= type_min && max >= type_max) return "an integer";
  if (min == 0 && max >= type_max) return "a non-negative integer";
  if (max >= type_max) return "an integer >= " + std::to_string(min);
  if (min <= type_min) return "an integer <= " + std::to_string(max);
  return "an integer from " + std::to_string(min) + " to " + std::to_string(max);
}

std::optional<int64_t> ParseInt(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<bool> ParseBool(std::string_view s) {
  std::string lower(s);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "true" || lower == "yes" || lower == "on") return true;
  if (lower == "false" || lower == "no" || lower == "off") return false;
  return std::nullopt;
}

YamlMark MarkOf(const YamlNode& node, const YamlMark& fallback) {
  YamlMark m = node.Mark();
  return m.is_null() ? fallback : m;
}

}  // namespace

std::string OneOf(std::initializer_list<std::string_view> allowed) {
  std::string out = "one of ";
  bool first = true;
  for (std::string_view a : allowed) {
    if (!first) out += ", ";
    out += a;
    first = false;
  }
  return out;
}

YamlField::YamlField(YamlNode node, DecodeContext* ctx, std::string path)
    : node_(std::move(node)), mark_(node_.Mark()), ctx_(ctx), path_(std::move(path)) {}

std::string YamlField::Child(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return path_ + "." + std::string(key);
}

YamlField YamlField::operator[](std::string_view key) const {
  if (!present()) return YamlField(YamlNode(), mark_, ctx_, Child(key));
  if (!node_.IsMap()) FailExpected("a map");
  for (const auto& kv : node_.Entries()) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) {
      // A null value has no useful mark of its own; point at its key.
      YamlMark m = kv.second.IsNull() ? MarkOf(kv.first, mark_) : MarkOf(kv.second, mark_);
      return YamlField(kv.second, m, ctx_, Child(key));
    }
  }
  return YamlField(YamlNode(), mark_, ctx_, Child(key));
}

void YamlField::CheckFields(std::initializer_list<std::string_view> known,
                            std::initializer_list<std::string_view> ignored) const {
  if (!present()) return;
  if (!node_.IsMap()) FailExpected("a map");
  std::set<std::string, std::less<>> seen;
  for (const auto& kv : node_.Entries()) {
    YamlField key(kv.first, MarkOf(kv.first, mark_), ctx_, path_);
    if (!kv.first.IsScalar()) key.Fail("field names must be strings, found " + key.Describe());
    const std::string& name = kv.first.Scalar();
    key.path_ = Child(name);
    if (!seen.insert(name).second) key.Fail("duplicate field \"" + name + "\"");
    bool listed = std::find(known.begin(), known.end(), name) != known.end() ||
                  std::find(ignored.begin(), ignored.end(), name) != ignored.end();
    if (!listed) key.Warn("unknown field \"" + name + "\" (ignored)");
  }
}

const YamlField& YamlField::RequireMap() const {
  if (!node_.IsDefined()) Fail("required field is missing (expected a map)");
  if (!node_.IsMap()) FailExpected("a map");
  return *this;
}

const std::string& YamlField::ScalarText(std::string_view expected) const {
  if (!node_.IsDefined()) Fail("required field is missing (expected " + std::string(expected) + ")");
  if (!node_.IsScalar()) FailExpected(expected);
  return node_.Scalar();
}

std::string YamlField::String() const { return ScalarText("a string"); }

std::optional<std::string> YamlField::OptString() const {
  if (!present()) return std::nullopt;
  return String();
}

std::string YamlField::StringOr(std::string_view def) const {
  if (!present()) return std::string(def);
  return String();
}

std::string YamlField::Keyword(std::initializer_list<std::string_view> allowed) const {
  std::string text = ScalarText(OneOf(allowed));
  if (std::find(allowed.begin(), allowed.end(), text) == allowed.end()) FailExpected(OneOf(allowed));
  return text;
}

std::optional<std::string> YamlField::OptKeyword(std::initializer_list<std::string_view> allowed) const {
  if (!present()) return std::nullopt;
  return Keyword(allowed);
}

int64_t YamlField::Int(int64_t min, int64_t max) const {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  std::string expected = RangeText(min, max, kMin, kMax);
  std::optional<int64_t> v = ParseInt(ScalarText(expected));
  if (!v || *v < min || *v > max) FailExpected(expected);
  return *v;
}

std::optional<int64_t> YamlField::OptInt(int64_t min, int64_t max) const {
  if (!present()) return std::nullopt;
  return Int(min, max);
}

int32_t YamlField::Int32(int32_t min, int32_t max) const {
  constexpr int64_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  std::string expected = RangeText(min, max, kMin, kMax);
  std::optional<int64_t> v = ParseInt(ScalarText(expected));
  if (!v || *v < min || *v > max) FailExpected(expected);
  return static_cast<int32_t>(*v);
}

std::optional<int32_t> YamlField::OptInt32(int32_t min, int32_t max) const {
  if (!present()) return std::nullopt;
  return Int32(min, max);
}

bool YamlField::Bool() const {
  std::optional<bool> b = ParseBool(ScalarText("true or false"));
  if (!b) FailExpected("true or false");
  return *b;
}

std::optional<bool> YamlField::OptBool() const {
  if (!present()) return std::nullopt;
  return Bool();
}

bool YamlField::BoolOr(bool def) const { return present() ? Bool() : def; }

model::Quantity YamlField::Quantity() const {
  Result<model::Quantity> q = model::Quantity::Parse(ScalarText("a quantity such as 500m, 2 or 1.5Gi"));
  if (!q.ok()) Fail(q.error().message);
  return *q;
}

std::optional<model::Quantity> YamlField::OptQuantity() const {
  if (!present()) return std::nullopt;
  return Quantity();
}

model::Duration YamlField::Duration() const {
  Result<model::Duration> d = model::ParseDuration(ScalarText("a duration such as 30s, 10m or 1h30m"));
  if (!d.ok()) Fail(d.error().message);
  return *d;
}

std::optional<model::Duration> YamlField::OptDuration() const {
  if (!present()) return std::nullopt;
  return Duration();
}

std::vector<YamlField> YamlField::Items() const {
  std::vector<YamlField> out;
  if (!present()) return out;
  if (!node_.IsSequence()) FailExpected("a list");
  size_t i = 0;
  for (const auto& item : node_.Items()) {
    out.push_back(YamlField(item, MarkOf(item, mark_), ctx_, path_ + "[" + std::to_string(i++) + "]"));
  }
  return out;
}

std::vector<std::pair<std::string, YamlField>> YamlField::Entries() const {
  std::vector<std::pair<std::string, YamlField>> out;
  if (!present()) return out;
  if (!node_.IsMap()) FailExpected("a map");
  std::set<std::string, std::less<>> seen;
  for (const auto& kv : node_.Entries()) {
    YamlField key(kv.first, MarkOf(kv.first, mark_), ctx_, path_);
    if (!kv.first.IsScalar()) key.Fail("keys must be strings, found " + key.Describe());
    std::string name = kv.first.Scalar();
    if (!seen.insert(name).second) key.Fail("duplicate key \"" + name + "\"");
    YamlMark m = kv.second.IsNull() ? key.mark_ : MarkOf(kv.second, mark_);
    out.emplace_back(name, YamlField(kv.second, m, ctx_, path_ + "[" + name + "]"));
  }
  return out;
}

std::map<std::string, std::string, std::less<>> YamlField::StringMap() const {
  std::map<std::string, std::string, std::less<>> out;
  for (const auto& [key, value] : Entries()) out[key] = value.StringOr("");
  return out;
}

std::vector<std::string> YamlField::StringList() const {
  std::vector<std::string> out;
  for (const YamlField& item : Items()) out.push_back(item.String());
  return out;
}

model::ResourceList YamlField::ResourceList() const {
  model::ResourceList out;
  for (const auto& [name, value] : Entries()) out.Set(name, value.Quantity());
  return out;
}

namespace {

// Kubernetes' IsExtendedResourceName: a name with a domain prefix outside
// kubernetes.io (and not requests.*, which only quota uses).
bool IsExtendedResource(std::string_view name) {
  size_t slash = name.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view domain = name.substr(0, slash);
  if (domain == "kubernetes.io" || domain.ends_with(".kubernetes.io")) return false;
  return !name.starts_with("requests.");
}

}  // namespace

model::ResourceList YamlField::ResourceAmounts() const {
  model::ResourceList out;
  for (const auto& [name, value] : Entries()) {
    model::Quantity q = value.Quantity();
    if (q.milli() < 0) value.Fail("must be greater than or equal to 0, found " + q.ToString());
    if (IsExtendedResource(name) && q.milli() % 1000 != 0) {
      value.Fail("must be a whole number for the extended resource " + name + ", found " + q.ToString());
    }
    out.Set(name, q);
  }
  return out;
}

void YamlField::Fail(std::string_view message) const {
  throw DecodeError(Diagnostic{.file = ctx_->file_name(),
                               .line = mark_.is_null() ? 0 : line(),
                               .column = mark_.is_null() ? 0 : column(),
                               .field = path_,
                               .message = std::string(message)});
}

void YamlField::FailExpected(std::string_view expected) const {
  Fail("found " + Describe() + ", expected " + std::string(expected));
}

void YamlField::Warn(std::string_view message) const {
  ctx_->Warn(Diagnostic{.file = ctx_->file_name(),
                        .line = mark_.is_null() ? 0 : line(),
                        .column = mark_.is_null() ? 0 : column(),
                        .field = path_,
                        .message = std::string(message)});
}

std::string YamlField::Describe() const {
  if (!node_.IsDefined()) return "nothing";
  if (node_.IsNull()) return "null";
  if (node_.IsMap()) return "a map";
  if (node_.IsSequence()) return "a list";
  const std::string& text = node_.Scalar();
  // Plain numbers and booleans read best bare; anything else is quoted so
  // that spaces and empty strings stay visible.
  bool plain = node_.IsPlain();
  if (plain && (ParseInt(text) || ParseBool(text))) return text;
  std::string shown = text.size() > 60 ? text.substr(0, 57) + "..." : text;
  std::string out = "\"";
  for (char c : shown) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace adze::codec
