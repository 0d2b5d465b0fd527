#include "model/object_names.h"

namespace adze::model {
namespace {

bool LowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool Alnum(char c) { return LowerAlnum(c) || (c >= 'A' && c <= 'Z'); }

std::string TooLong(size_t max) { return "must be no more than " + std::to_string(max) + " characters"; }

}  // namespace

std::string DnsLabelError(std::string_view text) {
  if (text.empty()) return "must not be empty";
  if (text.size() > kMaxDnsLabelLength) return TooLong(kMaxDnsLabelLength);
  for (char c : text) {
    if (!LowerAlnum(c) && c != '-') {
      return "must consist of lower case alphanumeric characters or '-' (RFC 1123 label)";
    }
  }
  if (!LowerAlnum(text.front()) || !LowerAlnum(text.back())) {
    return "must start and end with an alphanumeric character (RFC 1123 label)";
  }
  return "";
}

std::string DnsSubdomainError(std::string_view text) {
  if (text.empty()) return "must not be empty";
  if (text.size() > kMaxDnsSubdomainLength) return TooLong(kMaxDnsSubdomainLength);
  // Each dot-separated part must start and end with an alphanumeric.
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    std::string_view part = text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    for (char c : part) {
      if (!LowerAlnum(c) && c != '-') {
        return "must consist of lower case alphanumeric characters, '-' or '.' (RFC 1123 subdomain)";
      }
    }
    if (part.empty() || !LowerAlnum(part.front()) || !LowerAlnum(part.back())) {
      return "must start and end with an alphanumeric character, and so must each '.'-separated part "
             "(RFC 1123 subdomain)";
    }
    if (dot == std::string_view::npos) return "";
    start = dot + 1;
  }
}

std::string QualifiedNameError(std::string_view text) {
  std::string_view name = text;
  size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    std::string prefix_error = DnsSubdomainError(text.substr(0, slash));
    if (!prefix_error.empty()) return "prefix " + prefix_error;
    name = text.substr(slash + 1);
  }
  if (name.empty()) return "name part must not be empty";
  if (name.size() > kMaxDnsLabelLength) return "name part " + TooLong(kMaxDnsLabelLength);
  for (char c : name) {
    if (!Alnum(c) && c != '-' && c != '_' && c != '.') {
      return "name part must consist of alphanumeric characters, '-', '_' or '.' (one '/' may separate a "
             "DNS-subdomain prefix)";
    }
  }
  if (!Alnum(name.front()) || !Alnum(name.back())) {
    return "name part must start and end with an alphanumeric character";
  }
  return "";
}

std::string LabelValueError(std::string_view text) {
  if (text.empty()) return "";
  if (text.size() > kMaxDnsLabelLength) return TooLong(kMaxDnsLabelLength);
  for (char c : text) {
    if (!Alnum(c) && c != '-' && c != '_' && c != '.') {
      return "must consist of alphanumeric characters, '-', '_' or '.'";
    }
  }
  if (!Alnum(text.front()) || !Alnum(text.back())) return "must start and end with an alphanumeric character";
  return "";
}

}  // namespace adze::model
