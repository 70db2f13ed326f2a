#pragma once

#include <absl/strings/string_view.h>
#include <absl/time/time.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <string>

namespace doleances::metrics {

// Per-method RPC metrics of one service: doleances_<service>_rpc_duration_seconds{method,code}
// (a histogram with millisecond-scale buckets) and doleances_<service>_rpc_in_flight{method}.
// Method and code label values are bounded: the service's own RPC names and the 17 gRPC codes.
class RpcMetrics {
 public:
  RpcMetrics(prometheus::Registry& registry, absl::string_view service);

  void CallStarted(absl::string_view method);
  void CallFinished(absl::string_view method, absl::string_view code, absl::Duration elapsed);

 private:
  prometheus::Family<prometheus::Histogram>& duration_;
  prometheus::Family<prometheus::Gauge>& in_flight_;
};

// The short method name of a full gRPC path: "/doleances.intake.v1.IntakeService/GetComplaint"
// → "GetComplaint".
absl::string_view ShortMethodName(absl::string_view full_method);

// The canonical upper-case name of a gRPC status code ("INVALID_ARGUMENT").
const char* StatusCodeName(int code);

}  // namespace doleances::metrics
