#include "adapters/aws/aws_error_parser.h"

#include <nlohmann/json.hpp>

#include "adapters/aws/xml_reader.h"

namespace adze::adapters::aws {
namespace {

// A string member, or "" (never throws on a missing or mistyped member).
std::string Str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

providers::aws::AwsError ParseAwsError(const HttpResponse& response) {
  providers::aws::AwsError e;
  const std::string& body = response.body;
  const auto first = body.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && body[first] == '<') {
    pugi::xml_document doc;
    if (auto root = ParseXml(doc, body); root.ok()) {
      pugi::xml_node error = Path(*root, {"Errors", "Error"});  // EC2
      if (!error) error = Child(*root, "Error");                  // query protocols
      if (!error && LocalName(*root) == "Error") error = *root;
      e.code = Text(error, "Code");
      e.message = Text(error, "Message");
    }
  } else if (first != std::string::npos && body[first] == '{') {
    const auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_object()) {
      std::string type = j.contains("__type") ? Str(j, "__type") : Str(j, "code");
      if (auto hash = type.rfind('#'); hash != std::string::npos) type = type.substr(hash + 1);
      e.code = type;
      e.message = j.contains("message") ? Str(j, "message") : Str(j, "Message");
    }
  }
  if (const std::string* q = response.FindHeader("x-amzn-query-error"); q && !q->empty()) {
    e.code = q->substr(0, q->find(';'));
  }
  if (e.code.empty()) {
    // No code in the body (a proxy, a load balancer): name it by status.
    const int s = response.status;
    e.code = s == 503 ? "ServiceUnavailable"
             : s >= 500 ? "InternalError"
             : s == 429 ? "Throttling"
             : s == 403 ? "AccessDenied"
             : s == 404 ? "NotFound"
                        : "HttpStatus" + std::to_string(s);
  }
  if (e.message.empty()) e.message = "HTTP " + std::to_string(response.status);
  return e;
}

}  // namespace adze::adapters::aws
