// adze_sigv4_tool: signs the requests of a JSON-lines corpus on stdin and
// prints one Authorization header per line. testdata/sigv4_corpus_test.py
// compares its output with botocore's. Input fields: method, endpoint, path,
// query [[k, v], ...], headers [[k, v], ...], body_hex, access_key,
// secret_key, token, region, service, time (Unix seconds).
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/aws/sigv4_signer.h"

namespace {

std::string FromHex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

}  // namespace

int main() {
  using namespace adze::adapters::aws;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line);
    HttpRequest r;
    r.method = j.at("method");
    r.endpoint = j.at("endpoint");
    r.path = j.at("path");
    for (const auto& kv : j.at("query")) r.query.emplace_back(kv[0], kv[1]);
    for (const auto& kv : j.at("headers")) r.headers.emplace_back(kv[0], kv[1]);
    r.body = FromHex(j.at("body_hex"));
    Credentials c{j.at("access_key"), j.at("secret_key"), j.at("token"), std::nullopt, "corpus"};
    SignRequest(r, c, SigningParams{j.at("region"), j.at("service"), j.at("time").get<int64_t>(), false});
    std::cout << *r.FindHeader("Authorization") << "\n";
  }
  return 0;
}
