#include "common/server/observability_interceptor.h"

#include "common/auth/credentials.h"
#include "common/log/log.h"

#include <absl/strings/match.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/string_view.h>
#include <absl/time/clock.h>
#include <grpcpp/security/auth_context.h>
#include <grpcpp/server_context.h>

namespace doleances::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Who is calling, in words safe for a log: the API key id, the certificate's name, or "anonymous".
std::string CallerOf(std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
                     grpc::ServerContextBase* context) {
  auto authorization = metadata.find(auth::kAuthorizationHeader);
  if (authorization != metadata.end()) {
    std::optional<auth::ApiKey> key = auth::ParseBearerApiKey(
        absl::string_view(authorization->second.data(), authorization->second.size()));
    return key.has_value() ? absl::StrCat("key:", key->key_id) : "malformed-credentials";
  }
  if (context != nullptr && context->auth_context() != nullptr) {
    for (const grpc::string_ref& name : context->auth_context()->GetPeerIdentity()) {
      return absl::StrCat("cert:", absl::string_view(name.data(), name.size()));
    }
  }
  if (metadata.count(auth::kDevPrincipalHeader) > 0) {
    return "dev-header";
  }
  return "anonymous";
}

class ObservabilityInterceptor : public grpc::experimental::Interceptor {
 public:
  ObservabilityInterceptor(const std::string& service, metrics::RpcMetrics& metrics,
                           grpc::experimental::ServerRpcInfo* info)
      : service_(service),
        metrics_(metrics),
        info_(info),
        method_(metrics::ShortMethodName(info->method())),
        start_(absl::Now()) {
    metrics_.CallStarted(method_);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      caller_ = CallerOf(*methods->GetRecvInitialMetadata(), info_->server_context());
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const absl::Duration elapsed = absl::Now() - start_;
      const char* code = metrics::StatusCodeName(status.error_code());
      metrics_.CallFinished(method_, code, elapsed);
      finished_ = true;
      if (absl::StartsWith(info_->method(), "/grpc.")) {
        methods->Proceed();  // Health probes and reflection: metrics only, no log line.
        return;
      }
      log::Info("rpc", {{"service", service_},
                        {"method", method_},
                        {"code", code},
                        {"duration_ms", absl::ToDoubleMilliseconds(elapsed)},
                        {"caller", caller_}});
    }
    methods->Proceed();
  }

  ~ObservabilityInterceptor() override {
    if (!finished_) {  // Cancelled before a status was sent.
      metrics_.CallFinished(method_, "CANCELLED", absl::Now() - start_);
    }
  }

 private:
  const std::string& service_;
  metrics::RpcMetrics& metrics_;
  grpc::experimental::ServerRpcInfo* info_;
  const std::string method_;
  const absl::Time start_;
  std::string caller_ = "anonymous";
  bool finished_ = false;
};

}  // namespace

ObservabilityInterceptorFactory::ObservabilityInterceptorFactory(std::string service,
                                                                 metrics::RpcMetrics& metrics)
    : service_(std::move(service)), metrics_(metrics) {}

grpc::experimental::Interceptor* ObservabilityInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new ObservabilityInterceptor(service_, metrics_, info);
}

}  // namespace doleances::server
