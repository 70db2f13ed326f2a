#include "common/metrics/rpc_metrics.h"

#include <absl/strings/str_cat.h>

namespace doleances::metrics {
namespace {

// 0.5 ms to 10 s: unary calls that wait on one PostgreSQL commit sit in the low milliseconds.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* const buckets = new prometheus::Histogram::BucketBoundaries{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

}  // namespace

absl::string_view ShortMethodName(absl::string_view full_method) {
  const size_t slash = full_method.rfind('/');
  return slash == absl::string_view::npos ? full_method : full_method.substr(slash + 1);
}

const char* StatusCodeName(int code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  if (code < 0 || code >= static_cast<int>(sizeof(kNames) / sizeof(kNames[0]))) {
    return "UNKNOWN";
  }
  return kNames[code];
}

RpcMetrics::RpcMetrics(prometheus::Registry& registry, absl::string_view service)
    : duration_(prometheus::BuildHistogram()
                    .Name(absl::StrCat("doleances_", service, "_rpc_duration_seconds"))
                    .Help("Time to serve an RPC, by method and status code.")
                    .Register(registry)),
      in_flight_(prometheus::BuildGauge()
                     .Name(absl::StrCat("doleances_", service, "_rpc_in_flight"))
                     .Help("RPCs being served right now, by method.")
                     .Register(registry)) {}

void RpcMetrics::CallStarted(absl::string_view method) {
  in_flight_.Add({{"method", std::string(method)}}).Increment();
}

void RpcMetrics::CallFinished(absl::string_view method, absl::string_view code,
                              absl::Duration elapsed) {
  in_flight_.Add({{"method", std::string(method)}}).Decrement();
  duration_.Add({{"method", std::string(method)}, {"code", std::string(code)}}, LatencyBuckets())
      .Observe(absl::ToDoubleSeconds(elapsed));
}

}  // namespace doleances::metrics
