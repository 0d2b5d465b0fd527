#include "adapters/aws/http_message.h"

#include <algorithm>
#include <cctype>

namespace adze::adapters::aws {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

const std::string* Find(const HeaderList& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) return &v;
  }
  return nullptr;
}

}  // namespace

const std::string* HttpRequest::FindHeader(std::string_view name) const { return Find(headers, name); }
const std::string* HttpResponse::FindHeader(std::string_view name) const { return Find(headers, name); }

void HttpRequest::RemoveHeader(std::string_view name) {
  std::erase_if(headers, [&](const auto& h) { return IEquals(h.first, name); });
}

void HttpRequest::SetHeader(std::string name, std::string value) {
  RemoveHeader(name);
  headers.emplace_back(std::move(name), std::move(value));
}

std::string HttpRequest::Url() const {
  std::string url = endpoint + path;
  char sep = '?';
  for (const auto& [k, v] : query) {
    url += sep;
    url += UriEncode(k);
    url += '=';
    url += UriEncode(v);
    sep = '&';
  }
  return url;
}

std::string UriEncode(std::string_view s, std::string_view also_safe) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~' || also_safe.find(c) != std::string_view::npos) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return out;
}

namespace {

std::string FormComponent(std::string_view s) {
  std::string out = UriEncode(s, " ");
  std::replace(out.begin(), out.end(), ' ', '+');
  return out;
}

}  // namespace

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += FormComponent(k);
    out += '=';
    out += FormComponent(v);
  }
  return out;
}

}  // namespace adze::adapters::aws
