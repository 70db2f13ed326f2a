#pragma once

#include "common/metrics/rpc_metrics.h"

#include <grpcpp/support/server_interceptor.h>

#include <string>

namespace doleances::server {

// Creates, for every call, an interceptor that writes one JSON log line when the call ends
// (method, code, duration, caller — a key id or certificate name, never personal data) and
// records the call in RpcMetrics.
class ObservabilityInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  ObservabilityInterceptorFactory(std::string service, metrics::RpcMetrics& metrics);

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  const std::string service_;
  metrics::RpcMetrics& metrics_;
};

}  // namespace doleances::server
