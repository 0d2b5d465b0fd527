// Properties of the parsers that read what the network sends: whatever the
// bytes, they answer a value or an error and never crash or throw; and the
// form encoding round-trips through a standard decoder's rules.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "adapters/aws/aws_error_parser.h"
#include "adapters/aws/ec2_codec.h"
#include "adapters/aws/eventbridge_message.h"
#include "adapters/aws/http_message.h"
#include "adapters/aws/shared_config.h"

namespace adze::adapters::aws {
namespace {

// Bytes that look like AWS answers often enough to reach deep branches.
rc::Gen<std::string> AwsishText() {
  return rc::gen::oneOf(
      rc::gen::arbitrary<std::string>(),
      rc::gen::map(rc::gen::container<std::vector<std::string>>(rc::gen::element<std::string>(
                       "<", ">", "</", "item", "CreateFleetResponse", "errorSet", "fleetInstanceSet", "instanceIds",
                       "{", "}", "\"", ":", ",", "[", "]", "detail", "source", "aws.ec2", "time", "__type",
                       "Errors", "Error", "Code", "x", "1", "\n", "=", "[profile a]")),
                   [](const std::vector<std::string>& parts) {
                     std::string s;
                     for (const auto& p : parts) s += p;
                     return s;
                   }));
}

RC_GTEST_PROP(ParsersProperty, NeverCrashOnAnyBody, ()) {
  const std::string body = *AwsishText();
  std::string next;
  (void)ec2::ParseCreateFleet(body);
  (void)ec2::ParseDescribeInstances(body, &next);
  (void)ec2::ParseDescribeInstanceTypes(body, &next);
  (void)ParseEventBridgeMessage(body);
  (void)ParseIni(body, true);
  HttpResponse r{*rc::gen::inRange(100, 600), {}, body};
  const auto e = ParseAwsError(r);
  RC_ASSERT(!e.code.empty());
}

// Decodes application/x-www-form-urlencoded as servers do.
std::string FormDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

RC_GTEST_PROP(ParsersProperty, FormEncodingRoundTrips, (const std::string& key, const std::string& value)) {
  const std::string encoded = FormEncode({{key, value}});
  const auto eq = encoded.find('=');
  RC_ASSERT(eq != std::string::npos);
  RC_ASSERT(encoded.find('=', eq + 1) == std::string::npos);  // '=' inside is escaped
  RC_ASSERT(encoded.find('&') == std::string::npos);
  RC_ASSERT(FormDecode(encoded.substr(0, eq)) == key);
  RC_ASSERT(FormDecode(encoded.substr(eq + 1)) == value);
}

}  // namespace
}  // namespace adze::adapters::aws
