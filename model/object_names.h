// Kubernetes' rules for object names, label keys and label values
// (k8s.io/apimachinery/pkg/util/validation): the API server refuses objects
// that break them, so a manifest that does is a mistake adze reports rather
// than plans around (a name with a space or a label key with two slashes
// would otherwise flow into output and matching unchecked).
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace adze::model {

// The most characters in a DNS subdomain name (metadata.name of most kinds).
inline constexpr size_t kMaxDnsSubdomainLength = 253;
// The most characters in a DNS label (namespaces) and in a label key's name
// part or a label value.
inline constexpr size_t kMaxDnsLabelLength = 63;

// Each returns "" when `text` is valid, else why not (for a message).
// RFC 1123 subdomain: lower-case alphanumerics, '-' and '.', starting and
// ending with an alphanumeric, at most 253 characters.
std::string DnsSubdomainError(std::string_view text);
// RFC 1123 label: lower-case alphanumerics and '-', starting and ending with
// an alphanumeric, at most 63 characters.
std::string DnsLabelError(std::string_view text);
// A qualified name (label keys): an optional DNS subdomain prefix and '/',
// then a name of at most 63 alphanumerics, '-', '_' and '.', starting and
// ending with an alphanumeric.
std::string QualifiedNameError(std::string_view text);
// A label value: empty, or at most 63 alphanumerics, '-', '_' and '.',
// starting and ending with an alphanumeric.
std::string LabelValueError(std::string_view text);

}  // namespace adze::model
