#pragma once

#include <absl/status/statusor.h>
#include <prometheus/exposer.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

namespace doleances::metrics {

// A service's Prometheus registry served over HTTP at /metrics.
class MetricsEndpoint {
 public:
  // Listens on `address` ("0.0.0.0:9101"; port 0 picks a free port). UNAVAILABLE if it cannot bind.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(const std::string& address);

  prometheus::Registry& registry() { return *registry_; }
  int port() const { return port_; }

 private:
  MetricsEndpoint(std::unique_ptr<prometheus::Exposer> exposer, int port);

  std::unique_ptr<prometheus::Exposer> exposer_;
  std::shared_ptr<prometheus::Registry> registry_;
  int port_;
};

}  // namespace doleances::metrics
