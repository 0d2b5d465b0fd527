// MotoServer: moto_server (an AWS fake nobody here wrote) on 127.0.0.1 and a
// free port, for the integration tests. Started once per test binary, reset
// before each test (POST /moto-api/reset), with signature verification on:
// after the few unauthenticated IAM calls that create the test users
// (/moto-api/reset-auth sets INITIAL_NO_AUTH_ACTION_COUNT), every request
// must be signed by a known key and allowed by that user's IAM policy.
//   admin: ec2:*, sqs:*, ssm:*, events:*, sts:* (sets up the fixtures)
//   adze:  testdata/iam-policy.json, the policy docs/aws.md documents
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include <httplib.h>

#include "adapters/aws/aws_service_client.h"
#include "adapters/aws/curl_http_client.h"
#include "adapters/aws/xml_reader.h"

extern char** environ;

namespace adze::adapters::aws::testing {

class StaticCredentialsProvider : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(Credentials c) : c_(std::move(c)) {}
  Result<Credentials> Get() override { return c_; }

 private:
  Credentials c_;
};

inline std::optional<std::string> FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return std::nullopt;
  std::stringstream ss(path);
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    const std::string p = dir + "/" + name;
    if (access(p.c_str(), X_OK) == 0) return p;
  }
  return std::nullopt;
}

// A port the kernel just handed out and that nobody listens on (the probe
// socket is closed; moto binds it next).
inline int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

class MotoServer {
 public:
  // Starts moto_server; ok() is false (with why()) if it is not installed or
  // did not come up.
  MotoServer() {
    auto exe = FindOnPath("moto_server");
    if (!exe) {
      why_ = "moto_server is not on PATH (pip install 'moto[server]')";
      return;
    }
    port_ = FreePort();
    const std::string port = std::to_string(port_);
    std::vector<std::string> args = {*exe, "-H", "127.0.0.1", "-p", port};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    const int rc = posix_spawn(&pid_, exe->c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
      why_ = "cannot start " + *exe;
      pid_ = 0;
      return;
    }
    // Readiness: poll until it answers (an external process: nothing to wait on).
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(0, 200000);
    for (int i = 0; i < 300; ++i) {
      if (auto r = c.Get("/moto-api/"); r) {
        ok_ = true;
        return;
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        why_ = "moto_server exited at start";
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    why_ = "moto_server did not answer within 15 s";
  }
  ~MotoServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }
  bool ok() const { return ok_; }
  const std::string& why() const { return why_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Resets every backend and creates the two users. Returns false on failure.
  bool Reset(std::string* error) {
    httplib::Client c("127.0.0.1", port_);
    auto r1 = c.Post("/moto-api/reset", "", "application/json");
    auto r2 = c.Post("/moto-api/reset-auth", "6", "text/plain");
    if (!r1 || !r2 || r1->status != 200 || r2->status != 200) {
      *error = "moto reset failed";
      return false;
    }
    const std::string admin_policy =
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:*","sqs:*","ssm:*","events:*","sts:*","iam:*"],"Resource":"*"}]})";
    std::ifstream in(std::string(std::getenv("ADZE_SOURCE_DIR") ? std::getenv("ADZE_SOURCE_DIR") : ".") +
                     "/adapters/aws/testdata/iam-policy.json");
    std::stringstream policy;
    policy << in.rdbuf();
    if (policy.str().empty()) {
      *error = "adapters/aws/testdata/iam-policy.json not found (ADZE_SOURCE_DIR)";
      return false;
    }
    return CreateUser("admin", admin_policy, &admin_, error) && CreateUser("adze", policy.str(), &adze_, error);
  }
  const Credentials& admin() const { return admin_; }
  const Credentials& adze() const { return adze_; }

 private:
  bool CreateUser(const std::string& name, const std::string& policy, Credentials* out, std::string* error) {
    StaticCredentialsProvider anon(Credentials{"AKIDANONYMOUS", "anonymous", "", std::nullopt, "test"});
    CurlHttpClient http;
    RetryStrategy retry;
    AwsServiceClient iam(ServiceEndpoint{url(), "us-east-1", "iam"}, anon, http, retry, MakeRealEnvironment());
    const model::Duration t = 10 * model::kSecond;
    if (auto r = iam.Query("CreateUser", "2010-05-08", {{"UserName", name}}, t); !r.IsSuccess()) {
      *error = "CreateUser: " + r.GetError().code;
      return false;
    }
    auto key = iam.Query("CreateAccessKey", "2010-05-08", {{"UserName", name}}, t);
    if (!key.IsSuccess()) {
      *error = "CreateAccessKey: " + key.GetError().code;
      return false;
    }
    pugi::xml_document doc;
    auto root = ParseXml(doc, key.GetResult().body);
    const pugi::xml_node k = Path(*root, {"CreateAccessKeyResult", "AccessKey"});
    *out = Credentials{Text(k, "AccessKeyId"), Text(k, "SecretAccessKey"), "", std::nullopt, "moto user " + name};
    auto p = iam.Query("PutUserPolicy", "2010-05-08",
                       {{"UserName", name}, {"PolicyName", name + "-policy"}, {"PolicyDocument", policy}}, t);
    if (!p.IsSuccess()) {
      *error = "PutUserPolicy: " + p.GetError().code;
      return false;
    }
    return true;
  }

  pid_t pid_ = 0;
  int port_ = 0;
  bool ok_ = false;
  std::string why_;
  Credentials admin_;
  Credentials adze_;
};

}  // namespace adze::adapters::aws::testing
