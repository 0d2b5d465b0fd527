// RestConfig: how to reach an API server — its URL, the CA to trust, and the
// credentials — loaded from a kubeconfig (current or named context; server,
// certificate-authority(-data), token(-file), client-certificate(-data) and
// client-key(-data), exec credential plugins of
// client.authentication.k8s.io/v1 such as `aws eks get-token`) or from the
// in-cluster service account (KUBERNETES_SERVICE_HOST/PORT, the mounted token
// and CA), as client-go's clientcmd and rest.InClusterConfig do.
// Thread-safety: value type; the loaders are pure apart from reading files,
// the environment, and running an exec plugin.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/result.h"

namespace adze::kube {

struct ExecPlugin {
  std::string command;
  std::vector<std::string> args;
  std::map<std::string, std::string> env;
  std::string api_version;
};

struct RestConfig {
  std::string server;   // https://host:port (no trailing slash)
  std::string ca_file;  // PEM file to trust
  std::string ca_pem;   // or PEM text (certificate-authority-data, decoded)
  bool insecure_skip_tls_verify = false;
  std::string bearer_token;  // Authorization: Bearer
  std::string token_file;    // re-read on each request when set (projected tokens rotate)
  std::string client_cert_file, client_key_file;
  std::string client_cert_pem, client_key_pem;
  std::optional<ExecPlugin> exec;  // run for a token when set
};

// Reads the kubeconfig at path (or $KUBECONFIG, or ~/.kube/config when path
// is empty) and resolves context ("" : current-context). Relative file paths
// are relative to the kubeconfig's directory. Errors name the file and field.
Result<RestConfig> LoadKubeconfig(const std::string& path, const std::string& context);

// The service-account config inside a pod. root: where
// /var/run/secrets/kubernetes.io/serviceaccount is (tests pass a directory).
Result<RestConfig> InClusterConfig(const std::string& root = "/var/run/secrets/kubernetes.io/serviceaccount");

// Runs the exec plugin; returns status.token of its ExecCredential (and
// client cert/key data into config when it gives them).
Result<std::string> RunExecPlugin(const ExecPlugin& plugin, RestConfig* config);

std::string Base64Decode(const std::string& text);

}  // namespace adze::kube
