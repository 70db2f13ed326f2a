#pragma once

#include "common/metrics/metrics_endpoint.h"
#include "common/metrics/rpc_metrics.h"
#include "common/server/server_config.h"

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace doleances::server {

// Runs one service process's gRPC server: the service implementations given, plus
// grpc.health.v1.Health, server reflection, optional TLS/mTLS, the observability interceptor and
// the /metrics endpoint. The host owns neither the services nor what they use.
class ServiceHost {
 public:
  // Binds the metrics endpoint first, so services can register their metrics on registry().
  static absl::StatusOr<std::unique_ptr<ServiceHost>> Create(const ServerConfig& config);

  ServiceHost(const ServiceHost&) = delete;
  ServiceHost& operator=(const ServiceHost&) = delete;
  ~ServiceHost();

  prometheus::Registry& registry() { return metrics_->registry(); }

  // Adds a service before Start(); it must outlive the host.
  void AddService(grpc::Service* service);

  // Called at the start of Shutdown(), before the server stops taking calls: end long-lived
  // streams here so that draining does not wait for them.
  void OnDrain(std::function<void()> hook);

  // Called during Shutdown() after the server stopped taking calls and drained in-flight ones:
  // stop consumers and background loops here.
  void OnShutdown(std::function<void()> hook);

  // Builds and starts the server; reports SERVING on the health service. UNAVAILABLE when the
  // port cannot be bound; INVALID_ARGUMENT when a TLS file cannot be read.
  absl::Status Start();

  // Graceful stop: health goes NOT_SERVING, no new calls, in-flight calls get shutdown_grace to
  // finish (then are cancelled), then the shutdown hooks run.
  void Shutdown();

  // Blocks until SIGTERM or SIGINT, then calls Shutdown(). Call from main() after Start().
  void RunUntilSignalled();

  int grpc_port() const { return grpc_port_; }
  int metrics_port() const { return metrics_->port(); }

 private:
  ServiceHost(ServerConfig config, std::unique_ptr<metrics::MetricsEndpoint> metrics);

  const ServerConfig config_;
  std::unique_ptr<metrics::MetricsEndpoint> metrics_;
  std::unique_ptr<metrics::RpcMetrics> rpc_metrics_;
  std::vector<grpc::Service*> services_;
  std::vector<std::function<void()>> drain_hooks_;
  std::vector<std::function<void()>> shutdown_hooks_;
  std::unique_ptr<grpc::Server> server_;
  int grpc_port_ = 0;
  bool stopped_ = false;
};

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts later, so that
// RunUntilSignalled() can collect them with sigwait. Call first thing in main().
void BlockTerminationSignals();

}  // namespace doleances::server
