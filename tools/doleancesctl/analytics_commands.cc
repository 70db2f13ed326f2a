#include "tools/doleancesctl/analytics_commands.h"

#include "common/util/proto_time.h"
#include "doleances/analytics/v1/analytics_service.grpc.pb.h"

#include <absl/strings/str_split.h>
#include <absl/time/clock.h>
#include <grpcpp/grpcpp.h>

namespace doleances::cli {
namespace {

using analytics::v1::AnalyticsService;

std::unique_ptr<AnalyticsService::Stub> AnalyticsStub(const Invocation& invocation) {
  return AnalyticsService::NewStub(
      OpenChannel(invocation, ServiceAddress(invocation, "analytics")));
}

// The last --days=N days (default `days`), up to now.
type::v1::Interval LastDays(const Invocation& invocation, int64_t days) {
  const absl::Time now = absl::Now();
  type::v1::Interval range;
  *range.mutable_start_time() =
      util::ToTimestamp(now - absl::Hours(24 * IntOption(invocation, "days", days)));
  *range.mutable_end_time() = util::ToTimestamp(now);
  return range;
}

// Dimension names as in the contract without their prefix: "CATEGORY", "MONTH", ...
template <typename Add>
void ParseDimensions(const std::string& list, Add add) {
  for (absl::string_view name : absl::StrSplit(list, ',', absl::SkipEmpty())) {
    analytics::v1::Dimension dimension = analytics::v1::DIMENSION_UNSPECIFIED;
    analytics::v1::Dimension_Parse("DIMENSION_" + std::string(name), &dimension);
    add(dimension);  // UNSPECIFIED for an unknown name: the service names the field.
  }
}

int RunKpis(const Invocation& invocation, std::ostream& out) {
  analytics::v1::GetKpisRequest request;
  analytics::v1::KpiQuery* query = request.mutable_query();
  query->add_administration_ids(invocation.Option("administration", "", ""));
  *query->mutable_time_range() = LastDays(invocation, 30);
  ParseDimensions(invocation.Option("group-by", "", ""),
                  [&](analytics::v1::Dimension dimension) { query->add_group_by(dimension); });
  if (const std::string category = invocation.Option("category", "", ""); !category.empty()) {
    query->mutable_filter()->add_categories(category);
  }
  analytics::v1::GetKpisResponse response;
  return Report(
      AnalyticsStub(invocation)->GetKpis(CallContext(invocation).get(), request, &response),
      response, out);
}

int RunTrends(const Invocation& invocation, std::ostream& out) {
  analytics::v1::GetTrendsRequest request;
  request.add_administration_ids(invocation.Option("administration", "", ""));
  *request.mutable_time_range() = LastDays(invocation, 90);
  analytics::v1::TrendGranularity granularity = analytics::v1::TREND_GRANULARITY_UNSPECIFIED;
  analytics::v1::TrendGranularity_Parse(
      "TREND_GRANULARITY_" + invocation.Option("granularity", "", "DAY"), &granularity);
  request.set_granularity(granularity);
  analytics::v1::TrendMetric metric = analytics::v1::TREND_METRIC_UNSPECIFIED;
  analytics::v1::TrendMetric_Parse("TREND_METRIC_" + invocation.Option("metric", "", "RECEIVED"),
                                   &metric);
  request.set_metric(metric);
  ParseDimensions(invocation.Option("split-by", "", ""),
                  [&](analytics::v1::Dimension dimension) { request.add_split_by(dimension); });
  analytics::v1::GetTrendsResponse response;
  return Report(
      AnalyticsStub(invocation)->GetTrends(CallContext(invocation).get(), request, &response),
      response, out);
}

int RunTop(const Invocation& invocation, std::ostream& out) {
  analytics::v1::GetTopIssuesRequest request;
  request.add_administration_ids(invocation.Option("administration", "", ""));
  *request.mutable_time_range() = LastDays(invocation, 30);
  ParseDimensions(
      invocation.Option("territory-level", "", "TERRITORY_DEPARTMENT"),
      [&](analytics::v1::Dimension dimension) { request.set_territory_level(dimension); });
  analytics::v1::GetTopIssuesResponse response;
  return Report(
      AnalyticsStub(invocation)->GetTopIssues(CallContext(invocation).get(), request, &response),
      response, out);
}

}  // namespace

Command KpisCommand() {
  return {"kpis --administration=UUID [--days=30] [--group-by=CATEGORY,MONTH] [--category=C]",
          &RunKpis};
}

Command TrendsCommand() {
  return {
      "trends --administration=UUID [--days=90] [--granularity=DAY|WEEK] "
      "[--metric=RECEIVED] [--split-by=CATEGORY]",
      &RunTrends};
}

Command TopCommand() {
  return {"top --administration=UUID [--days=30] [--territory-level=TERRITORY_DEPARTMENT]",
          &RunTop};
}

}  // namespace doleances::cli
