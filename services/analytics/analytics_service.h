#pragma once

#include "common/auth/authorizer.h"
#include "doleances/analytics/v1/analytics_service.grpc.pb.h"
#include "services/analytics/kpi_query.h"
#include "services/analytics/kpi_report.h"
#include "services/analytics/pg_analytics_store.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>

#include <functional>
#include <string>
#include <vector>

namespace doleances::analytics {

// The gRPC handlers of AnalyticsService: authorization (roles, then every administration asked
// about), validation, reads of the aggregates, and the reports built from them.
class AnalyticsServiceImpl final : public v1::AnalyticsService::Service {
 public:
  // `clock` gives now; `watermark` the instant before which every committed event is applied.
  AnalyticsServiceImpl(auth::Authorizer& authorizer, PgAnalyticsStore& store, int min_group_size,
                       std::function<absl::Time()> clock, std::function<absl::Time()> watermark);

  grpc::Status GetKpis(grpc::ServerContext* context, const v1::GetKpisRequest* request,
                       v1::GetKpisResponse* response) override;
  grpc::Status GetTrends(grpc::ServerContext* context, const v1::GetTrendsRequest* request,
                         v1::GetTrendsResponse* response) override;
  grpc::Status GetTopIssues(grpc::ServerContext* context, const v1::GetTopIssuesRequest* request,
                            v1::GetTopIssuesResponse* response) override;
  grpc::Status ExportKpis(grpc::ServerContext* context, const v1::ExportKpisRequest* request,
                          grpc::ServerWriter<v1::ExportKpisResponse>* writer) override;

 private:
  // UNAUTHENTICATED / PERMISSION_DENIED as the authorizer says, or PERMISSION_DENIED naming the
  // administrations the caller may not see.
  absl::Status Authorize(const grpc::ServerContext& context, const std::string& method,
                         const google::protobuf::RepeatedPtrField<std::string>& administrations);
  absl::StatusOr<std::vector<v1::KpiRow>> ComputeKpis(const KpiSpec& spec,
                                                      const ReportContext& report);
  ReportContext Context() const;

  auth::Authorizer& authorizer_;
  PgAnalyticsStore& store_;
  const int min_group_size_;
  const absl::TimeZone zone_;
  const std::function<absl::Time()> clock_;
  const std::function<absl::Time()> watermark_;
};

}  // namespace doleances::analytics
