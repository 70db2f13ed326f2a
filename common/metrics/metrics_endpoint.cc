#include "common/metrics/metrics_endpoint.h"

#include <absl/status/status.h>
#include <absl/strings/str_cat.h>

#include <exception>
#include <utility>

namespace doleances::metrics {

MetricsEndpoint::MetricsEndpoint(std::unique_ptr<prometheus::Exposer> exposer, int port)
    : exposer_(std::move(exposer)),
      registry_(std::make_shared<prometheus::Registry>()),
      port_(port) {
  exposer_->RegisterCollectable(registry_);
}

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    const std::string& address) {
  try {
    auto exposer = std::make_unique<prometheus::Exposer>(address, /*num_threads=*/1);
    const std::vector<int> ports = exposer->GetListeningPorts();
    if (ports.empty()) {
      return absl::UnavailableError(absl::StrCat("metrics endpoint did not bind ", address));
    }
    return std::unique_ptr<MetricsEndpoint>(new MetricsEndpoint(std::move(exposer), ports[0]));
  } catch (const std::exception& e) {  // civetweb reports a busy port by throwing.
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", address, ": ", e.what()));
  }
}

}  // namespace doleances::metrics
