#include "adapters/kube/rest_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "model/codec/document_loader.h"
#include "model/codec/yaml_field.h"

namespace adze::kube {
namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Error::NotFound("cannot read " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The entry of list (clusters, users, contexts) called name, or an invalid node.
codec::YamlNode Named(const codec::YamlNode& list, const std::string& name) {
  for (const codec::YamlNode& e : list.Items()) {
    if (e["name"].IsScalar() && e["name"].Scalar() == name) return e;
  }
  return codec::YamlNode();
}

std::string Str(const codec::YamlNode& n, const char* key) {
  return n[key].Scalar();
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string Base64Decode(const std::string& text) {
  static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int val = 0;
  int bits = -8;
  for (char c : text) {
    size_t p = kAlphabet.find(c);
    if (p == std::string::npos) continue;  // padding, newlines
    val = (val << 6) + static_cast<int>(p);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((val >> bits) & 0xff));
      bits -= 8;
    }
  }
  return out;
}

Result<RestConfig> LoadKubeconfig(const std::string& path_in, const std::string& context_name) {
  std::string path = path_in;
  if (path.empty()) {
    const char* env = std::getenv("KUBECONFIG");
    if (env != nullptr && *env != '\0') {
      path = env;
      path = path.substr(0, path.find(':'));  // the first file of a list
    } else if (const char* home = std::getenv("HOME")) {
      path = std::string(home) + "/.kube/config";
    }
  }
  auto text = ReadFile(path);
  if (!text.ok()) return Error::NotFound("kubeconfig: " + text.error().message);
  codec::YamlNode root;
  try {
    std::vector<codec::YamlNode> docs = codec::LoadDocuments(*text, path);
    if (!docs.empty()) root = docs.front();
  } catch (const codec::DecodeError& e) {
    return Error::InvalidArgument(e.what());
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  auto resolve = [&](const std::string& file) {
    if (file.empty() || file[0] == '/') return file;
    return dir.empty() ? file : dir + "/" + file;
  };
  std::string ctx_name = context_name.empty() ? Str(root, "current-context") : context_name;
  if (ctx_name.empty()) return Error::InvalidArgument(path + ": current-context: not set and no --context given");
  codec::YamlNode ctx = Named(root["contexts"], ctx_name);
  if (!ctx.IsDefined()) return Error::InvalidArgument(path + ": contexts: no context named \"" + ctx_name + "\"");
  std::string cluster_name = Str(ctx["context"], "cluster");
  std::string user_name = Str(ctx["context"], "user");
  codec::YamlNode cluster = Named(root["clusters"], cluster_name)["cluster"];
  if (!cluster.IsDefined()) return Error::InvalidArgument(path + ": clusters: no cluster named \"" + cluster_name + "\"");
  RestConfig c;
  c.server = Str(cluster, "server");
  while (!c.server.empty() && c.server.back() == '/') c.server.pop_back();
  if (c.server.empty())
    return Error::InvalidArgument(path + ": clusters[" + cluster_name + "].cluster.server: required");
  c.ca_file = resolve(Str(cluster, "certificate-authority"));
  c.ca_pem = Base64Decode(Str(cluster, "certificate-authority-data"));
  c.insecure_skip_tls_verify = Str(cluster, "insecure-skip-tls-verify") == "true";
  codec::YamlNode user = Named(root["users"], user_name)["user"];
  if (user.IsMap()) {
    c.bearer_token = Str(user, "token");
    c.token_file = resolve(Str(user, "tokenFile"));
    c.client_cert_file = resolve(Str(user, "client-certificate"));
    c.client_key_file = resolve(Str(user, "client-key"));
    c.client_cert_pem = Base64Decode(Str(user, "client-certificate-data"));
    c.client_key_pem = Base64Decode(Str(user, "client-key-data"));
    if (codec::YamlNode exec = user["exec"]; exec.IsMap()) {
      ExecPlugin p;
      p.command = Str(exec, "command");
      p.api_version = Str(exec, "apiVersion");
      if (exec["args"].IsSequence()) {
        for (const codec::YamlNode& a : exec["args"].Items()) p.args.push_back(a.Scalar());
      }
      if (exec["env"].IsSequence()) {
        for (const codec::YamlNode& e : exec["env"].Items()) p.env[Str(e, "name")] = Str(e, "value");
      }
      if (p.command.empty())
        return Error::InvalidArgument(path + ": users[" + user_name + "].user.exec.command: required");
      c.exec = std::move(p);
    }
  }
  return c;
}

Result<RestConfig> InClusterConfig(const std::string& root) {
  const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
  const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
  if (host == nullptr || port == nullptr) {
    return Error::NotFound("not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set");
  }
  RestConfig c;
  std::string h = host;
  if (h.find(':') != std::string::npos) h = "[" + h + "]";  // IPv6
  c.server = "https://" + h + ":" + port;
  c.token_file = root + "/token";
  c.ca_file = root + "/ca.crt";
  if (!ReadFile(c.token_file).ok()) return Error::NotFound("in-cluster: cannot read " + c.token_file);
  return c;
}

Result<std::string> RunExecPlugin(const ExecPlugin& plugin, RestConfig* config) {
  std::string cmd;
  for (const auto& [k, v] : plugin.env) cmd += k + "=" + ShellQuote(v) + " ";
  cmd += ShellQuote(plugin.command);
  for (const std::string& a : plugin.args) cmd += " " + ShellQuote(a);
  // The plugin learns which API version to answer in (client-go sets this).
  std::string env =
      "KUBERNETES_EXEC_INFO=" +
      ShellQuote(nlohmann::json{
          {"apiVersion", plugin.api_version.empty() ? "client.authentication.k8s.io/v1" : plugin.api_version},
          {"kind", "ExecCredential"},
          {"spec", {{"interactive", false}}}}
                     .dump());
  FILE* pipe = popen((env + " " + cmd).c_str(), "r");
  if (pipe == nullptr) return Error::Unavailable("exec plugin " + plugin.command + ": cannot start");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int rc = pclose(pipe);
  if (rc != 0)
    return Error::PermissionDenied("exec plugin " + plugin.command + " exited with status " +
                                   std::to_string(WEXITSTATUS(rc)));
  nlohmann::json cred = nlohmann::json::parse(out, nullptr, false);
  if (!cred.is_object() || !cred.contains("status")) {
    return Error::PermissionDenied("exec plugin " + plugin.command + ": output is not an ExecCredential");
  }
  const nlohmann::json& status = cred["status"];
  if (config != nullptr) {
    config->client_cert_pem = status.value("clientCertificateData", config->client_cert_pem);
    config->client_key_pem = status.value("clientKeyData", config->client_key_pem);
  }
  return status.value("token", "");
}

}  // namespace adze::kube
