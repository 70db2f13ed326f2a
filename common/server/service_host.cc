#include "common/server/service_host.h"

#include "common/log/log.h"
#include "common/server/observability_interceptor.h"

#include <absl/strings/str_cat.h>
#include <absl/time/clock.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <signal.h>

#include <fstream>
#include <sstream>
#include <utility>

namespace doleances::server {
namespace {

// Largest request a service accepts: a bulk intake batch may weigh 16 MiB (its contract), plus
// framing; validation refuses anything larger with a field-named INVALID_ARGUMENT.
constexpr int kMaxReceiveMessageBytes = 17 * 1024 * 1024;

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    return absl::InvalidArgumentError(absl::StrCat("cannot read ", path));
  }
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(const ServerConfig& config) {
  if (config.tls_cert_file.empty()) {
    return grpc::InsecureServerCredentials();
  }
  absl::StatusOr<std::string> cert = ReadFile(config.tls_cert_file);
  absl::StatusOr<std::string> key = ReadFile(config.tls_key_file);
  if (!cert.ok() || !key.ok()) {
    return cert.ok() ? key.status() : cert.status();
  }
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back({*key, *cert});
  if (!config.tls_client_ca_file.empty()) {
    absl::StatusOr<std::string> ca = ReadFile(config.tls_client_ca_file);
    if (!ca.ok()) {
      return ca.status();
    }
    options.pem_root_certs = *ca;
    options.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

}  // namespace

void BlockTerminationSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

ServiceHost::ServiceHost(ServerConfig config, std::unique_ptr<metrics::MetricsEndpoint> metrics)
    : config_(std::move(config)),
      metrics_(std::move(metrics)),
      rpc_metrics_(std::make_unique<metrics::RpcMetrics>(metrics_->registry(), config_.service)) {}

absl::StatusOr<std::unique_ptr<ServiceHost>> ServiceHost::Create(const ServerConfig& config) {
  absl::StatusOr<std::unique_ptr<metrics::MetricsEndpoint>> metrics =
      metrics::MetricsEndpoint::Start(config.metrics_address);
  if (!metrics.ok()) {
    return metrics.status();
  }
  return std::unique_ptr<ServiceHost>(new ServiceHost(config, *std::move(metrics)));
}

ServiceHost::~ServiceHost() { Shutdown(); }

void ServiceHost::AddService(grpc::Service* service) { services_.push_back(service); }

void ServiceHost::OnDrain(std::function<void()> hook) { drain_hooks_.push_back(std::move(hook)); }

void ServiceHost::OnShutdown(std::function<void()> hook) {
  shutdown_hooks_.push_back(std::move(hook));
}

absl::Status ServiceHost::Start() {
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials = Credentials(config_);
  if (!credentials.ok()) {
    return credentials.status();
  }
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(config_.grpc_address, *credentials, &grpc_port_);
  builder.SetMaxReceiveMessageSize(kMaxReceiveMessageBytes);
  for (grpc::Service* service : services_) {
    builder.RegisterService(service);
  }
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(
      std::make_unique<ObservabilityInterceptorFactory>(config_.service, *rpc_metrics_));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || grpc_port_ == 0) {
    server_.reset();
    return absl::UnavailableError(absl::StrCat("cannot listen on ", config_.grpc_address));
  }
  server_->GetHealthCheckService()->SetServingStatus(true);
  log::Info("serving", {{"service", config_.service},
                        {"grpc_port", grpc_port_},
                        {"metrics_port", metrics_->port()},
                        {"tls", config_.tls_cert_file.empty()        ? "off"
                                : config_.tls_client_ca_file.empty() ? "server"
                                                                     : "mutual"}});
  return absl::OkStatus();
}

void ServiceHost::Shutdown() {
  if (stopped_) {
    return;
  }
  stopped_ = true;
  for (const std::function<void()>& hook : drain_hooks_) {
    hook();
  }
  if (server_ != nullptr) {
    server_->GetHealthCheckService()->SetServingStatus(false);
    server_->Shutdown(absl::ToChronoTime(absl::Now() + config_.shutdown_grace));
    server_->Wait();
  }
  for (auto hook = shutdown_hooks_.rbegin(); hook != shutdown_hooks_.rend(); ++hook) {
    (*hook)();
  }
  log::Info("stopped", {{"service", config_.service}});
}

void ServiceHost::RunUntilSignalled() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  int received = 0;
  sigwait(&signals, &received);
  log::Info("shutting down", {{"service", config_.service}, {"signal", received}});
  Shutdown();
}

}  // namespace doleances::server
