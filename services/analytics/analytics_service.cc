#include "services/analytics/analytics_service.h"

#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "common/util/proto_time.h"
#include "services/analytics/top_issues_report.h"
#include "services/analytics/trend_report.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_join.h>

#include <algorithm>

namespace doleances::analytics {
namespace {

constexpr int kDefaultPageSize = 50;

absl::TimeZone AggregateZone() {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(kAggregateTimeZone, &zone)) {
    zone = absl::FixedTimeZone(3600);  // tzdata missing: CET, without summer time.
  }
  return zone;
}

// Page tokens are the offset of the page's first row: answers are computed whole and sorted, so
// an offset is stable for a given watermark.
absl::StatusOr<size_t> OffsetOf(const std::string& token) {
  size_t offset = 0;
  if (!token.empty() && !absl::SimpleAtoi(token, &offset)) {
    return common::InvalidArguments({{"page_token", "not a token returned by this method"}});
  }
  return offset;
}

absl::StatusOr<int> PageSizeOf(int requested, int maximum, int default_size) {
  if (requested < 0) {
    return common::InvalidArguments({{"page_size", "must not be negative"}});
  }
  return requested == 0 ? default_size : std::min(requested, maximum);
}

// The [offset, offset + size) slice of `items` moved into `out`, and the next token.
template <typename T, typename Field>
std::string Page(std::vector<T>& items, size_t offset, int size, Field* out) {
  const size_t end = std::min(items.size(), offset + static_cast<size_t>(size));
  for (size_t i = offset; i < end; ++i) {
    *out->Add() = std::move(items[i]);
  }
  return end < items.size() ? absl::StrCat(end) : "";
}

}  // namespace

AnalyticsServiceImpl::AnalyticsServiceImpl(auth::Authorizer& authorizer, PgAnalyticsStore& store,
                                           int min_group_size, std::function<absl::Time()> clock,
                                           std::function<absl::Time()> watermark)
    : authorizer_(authorizer),
      store_(store),
      min_group_size_(min_group_size),
      zone_(AggregateZone()),
      clock_(std::move(clock)),
      watermark_(std::move(watermark)) {}

ReportContext AnalyticsServiceImpl::Context() const {
  return {.now = clock_(), .zone = zone_, .min_group_size = min_group_size_};
}

absl::Status AnalyticsServiceImpl::Authorize(
    const grpc::ServerContext& context, const std::string& method,
    const google::protobuf::RepeatedPtrField<std::string>& administrations) {
  ASSIGN_OR_RETURN(const auth::Caller caller, authorizer_.Authorize(context, method));
  if (!caller.principal.has_value()) {
    return absl::PermissionDeniedError("analytics needs an authenticated principal");
  }
  std::vector<std::string> denied;
  for (const std::string& administration : administrations) {
    if (!caller.principal->MayAccessAdministration(administration)) {
      denied.push_back(administration);
    }
  }
  if (!denied.empty()) {
    return absl::PermissionDeniedError(
        absl::StrCat("no access to administrations: ", absl::StrJoin(denied, ", ")));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::KpiRow>> AnalyticsServiceImpl::ComputeKpis(
    const KpiSpec& spec, const ReportContext& report) {
  const bool months = MonthsSuffice(spec.group_by);
  // Open complaints by receive day, all of them: the backlog now, its ages, and the censored
  // members of the range's cohorts (one row per month and group).
  std::vector<std::vector<CellSpan>> sets = {
      CoveringSpans(spec.basis, spec.first_day, spec.last_day, months),
      {{Basis::kOpenNow, kEarliestDay, kLatestDay}}};
  const int64_t today = DayNumber(report.now, report.zone);
  const int64_t backlog_start = BacklogScanStart(spec, report);
  if (backlog_start <= today) {
    sets.push_back({{Basis::kBacklogSteps, backlog_start, today}});
  }
  if (CoarseSuffices(spec)) {
    for (std::vector<CellSpan>& spans : sets) {
      for (CellSpan& span : spans) {
        span.basis = CoarseOf(span.basis);
      }
    }
  }
  ASSIGN_OR_RETURN(std::vector<std::vector<CellRow>> read, store_.ReadCellSets(spec.filter, sets));
  KpiInputs inputs;
  inputs.rows = std::move(read[0]);
  inputs.open_now = std::move(read[1]);
  if (read.size() > 2) {
    inputs.later_activity = std::move(read[2]);
  }
  return BuildKpiRows(spec, inputs, report);
}

grpc::Status AnalyticsServiceImpl::GetKpis(grpc::ServerContext* context,
                                           const v1::GetKpisRequest* request,
                                           v1::GetKpisResponse* response) {
  const absl::Status status = [&]() -> absl::Status {
    RETURN_IF_ERROR(Authorize(*context, "GetKpis", request->query().administration_ids()));
    ASSIGN_OR_RETURN(const KpiSpec spec, ParseKpiQuery(request->query(), "query.", zone_));
    ASSIGN_OR_RETURN(const size_t offset, OffsetOf(request->page_token()));
    ASSIGN_OR_RETURN(const int page_size, PageSizeOf(request->page_size(), 1000, kDefaultPageSize));
    const absl::Time watermark = watermark_();
    const ReportContext report = Context();
    ASSIGN_OR_RETURN(std::vector<v1::KpiRow> rows, ComputeKpis(spec, report));
    response->set_next_page_token(Page(rows, offset, page_size, response->mutable_rows()));
    *response->mutable_watermark_time() = util::ToTimestamp(watermark);
    response->set_min_group_size(min_group_size_);
    return absl::OkStatus();
  }();
  return common::ToGrpcStatus(status);
}

grpc::Status AnalyticsServiceImpl::ExportKpis(grpc::ServerContext* context,
                                              const v1::ExportKpisRequest* request,
                                              grpc::ServerWriter<v1::ExportKpisResponse>* writer) {
  const absl::Status status = [&]() -> absl::Status {
    RETURN_IF_ERROR(Authorize(*context, "ExportKpis", request->query().administration_ids()));
    ASSIGN_OR_RETURN(const KpiSpec spec,
                     ParseKpiQuery(request->query(), "query.", zone_,
                                   {v1::DIMENSION_MONTH, v1::DIMENSION_ADMINISTRATION}));
    const absl::Time watermark = watermark_();
    ASSIGN_OR_RETURN(std::vector<v1::KpiRow> rows, ComputeKpis(spec, Context()));
    bool first = true;
    for (v1::KpiRow& row : rows) {
      if (context->IsCancelled()) {
        return absl::CancelledError("export cancelled by the caller");
      }
      v1::ExportKpisResponse message;
      *message.mutable_row() = std::move(row);
      if (first) {
        *message.mutable_watermark_time() = util::ToTimestamp(watermark);
        first = false;
      }
      if (!writer->Write(message)) {
        return absl::CancelledError("the caller went away");
      }
    }
    return absl::OkStatus();
  }();
  return common::ToGrpcStatus(status);
}

grpc::Status AnalyticsServiceImpl::GetTrends(grpc::ServerContext* context,
                                             const v1::GetTrendsRequest* request,
                                             v1::GetTrendsResponse* response) {
  const absl::Status status = [&]() -> absl::Status {
    RETURN_IF_ERROR(Authorize(*context, "GetTrends", request->administration_ids()));
    ASSIGN_OR_RETURN(const TrendSpec spec, ParseTrendsRequest(*request, zone_));
    const absl::Time watermark = watermark_();
    const ReportContext report = Context();
    std::vector<std::vector<CellSpan>> sets = {
        {{Basis::kEventDay, spec.first_day, TrendScanEnd(spec, report)}}};
    if (spec.metric == v1::TREND_METRIC_BACKLOG) {
      sets.push_back({{Basis::kOpenNow, kEarliestDay, kLatestDay}});
    }
    ASSIGN_OR_RETURN(std::vector<std::vector<CellRow>> read,
                     store_.ReadCellSets(spec.filter, sets));
    TrendInputs inputs;
    inputs.rows = std::move(read[0]);
    if (read.size() > 1) {
      inputs.open_now = std::move(read[1]);
    }
    for (v1::TrendSeries& series : BuildTrends(spec, inputs, report)) {
      *response->add_series() = std::move(series);
    }
    *response->mutable_watermark_time() = util::ToTimestamp(watermark);
    return absl::OkStatus();
  }();
  return common::ToGrpcStatus(status);
}

grpc::Status AnalyticsServiceImpl::GetTopIssues(grpc::ServerContext* context,
                                                const v1::GetTopIssuesRequest* request,
                                                v1::GetTopIssuesResponse* response) {
  const absl::Status status = [&]() -> absl::Status {
    RETURN_IF_ERROR(Authorize(*context, "GetTopIssues", request->administration_ids()));
    ASSIGN_OR_RETURN(const TopIssuesSpec spec, ParseTopIssuesRequest(*request, zone_));
    ASSIGN_OR_RETURN(const size_t offset, OffsetOf(request->page_token()));
    ASSIGN_OR_RETURN(const int page_size, PageSizeOf(request->page_size(), 500, kDefaultPageSize));
    const absl::Time watermark = watermark_();
    ASSIGN_OR_RETURN(
        const std::vector<std::vector<CellRow>> cohorts,
        store_.ReadCellSets(
            spec.filter, {CoveringSpans(Basis::kReceiveDay, spec.first_day, spec.last_day, true)}));
    ASSIGN_OR_RETURN(const std::vector<TermRow> terms,
                     store_.ReadTerms(spec.filter, spec.first_day, spec.last_day));
    std::vector<v1::TopIssueGroup> groups =
        BuildTopIssues(spec, cohorts[0], terms, min_group_size_);
    response->set_next_page_token(Page(groups, offset, page_size, response->mutable_groups()));
    *response->mutable_watermark_time() = util::ToTimestamp(watermark);
    return absl::OkStatus();
  }();
  return common::ToGrpcStatus(status);
}

}  // namespace doleances::analytics
