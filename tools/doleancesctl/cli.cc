#include "tools/doleancesctl/cli.h"

#include <absl/strings/match.h>
#include <absl/strings/numbers.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace doleances::cli {
namespace {

const std::map<std::string, int>& DefaultPorts() {
  static const auto* const ports = new std::map<std::string, int>{
      {"intake", 50051}, {"workflow", 50052}, {"mediation", 50053}, {"analytics", 50054}};
  return *ports;
}

std::string ToUpper(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return text;
}

}  // namespace

std::string Invocation::Option(const std::string& name, const std::string& env,
                               const std::string& fallback) const {
  if (auto found = options.find(name); found != options.end()) {
    return found->second;
  }
  if (const char* value = env.empty() ? nullptr : std::getenv(env.c_str()); value != nullptr) {
    return value;
  }
  return fallback;
}

Invocation ParseInvocation(int argc, char** argv) {
  Invocation invocation;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (absl::StartsWith(arg, "--")) {
      const size_t equals = arg.find('=');
      if (equals == std::string::npos) {
        invocation.options[arg.substr(2)] = "true";
      } else {
        invocation.options[arg.substr(2, equals - 2)] = arg.substr(equals + 1);
      }
    } else {
      invocation.words.push_back(std::move(arg));
    }
  }
  return invocation;
}

std::string ServiceAddress(const Invocation& invocation, const std::string& service) {
  return invocation.Option(service, "DOLEANCES_" + ToUpper(service) + "_ADDRESS",
                           "127.0.0.1:" + std::to_string(DefaultPorts().at(service)));
}

std::shared_ptr<grpc::Channel> OpenChannel(const Invocation& invocation,
                                           const std::string& address) {
  const std::string ca_file = invocation.Option("tls-ca", "DOLEANCES_TLS_CA", "");
  if (ca_file.empty()) {
    return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  }
  std::ifstream file(ca_file);
  std::stringstream ca;
  ca << file.rdbuf();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ca.str();
  return grpc::CreateChannel(address, grpc::SslCredentials(options));
}

std::unique_ptr<grpc::ClientContext> CallContext(const Invocation& invocation) {
  auto context = std::make_unique<grpc::ClientContext>();
  int seconds = 10;
  if (!absl::SimpleAtoi(invocation.Option("timeout-seconds", "", "10"), &seconds) || seconds <= 0) {
    seconds = 10;
  }
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  const std::string key = invocation.Option("api-key", "DOLEANCES_API_KEY", "");
  if (!key.empty()) {
    context->AddMetadata("authorization", "Bearer " + key);
  }
  return context;
}

int Report(const grpc::Status& status, const google::protobuf::Message& response,
           std::ostream& out) {
  if (!status.ok()) {
    out << "error " << status.error_code() << ": " << status.error_message() << "\n";
    return 1;
  }
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  (void)google::protobuf::util::MessageToJsonString(response, &json, options);
  out << json;
  return 0;
}

int64_t IntOption(const Invocation& invocation, const std::string& name, int64_t fallback) {
  int64_t value = fallback;
  if (!absl::SimpleAtoi(invocation.Option(name, "", ""), &value)) {
    return fallback;
  }
  return value;
}

}  // namespace doleances::cli
