#pragma once

#include "doleances/analytics/v1/analytics_service.pb.h"
#include "services/analytics/complaint_fact.h"
#include "services/analytics/pg_analytics_store.h"

#include <absl/status/statusor.h>
#include <absl/strings/string_view.h>
#include <absl/time/time.h>

#include <string>
#include <vector>

namespace doleances::analytics {

// The day zone of the aggregates: every day, week and month boundary is taken in it.
inline constexpr char kAggregateTimeZone[] = "Europe/Paris";

// A validated KpiQuery.
struct KpiSpec {
  CellFilter filter;
  Basis basis = Basis::kReceiveDay;
  int64_t first_day = 0;  // Inclusive; a range covers its partial days whole.
  int64_t last_day = -1;  // Inclusive; last_day < first_day for an empty range.
  absl::Time end_time;    // Exclusive end of the range.
  std::vector<v1::Dimension> group_by;
};

// Validates `query` (field paths start with `prefix`, e.g. "query."). INVALID_ARGUMENT naming
// every bad field: administrations, range (both bounds, at most 10 years), group_by (at most 4,
// at most one of DAY/WEEK/MONTH, no commune: communes are not aggregated, too small and too
// many), time zone (aggregates are kept by Europe/Paris days). `default_group_by` applies when
// group_by is empty.
absl::StatusOr<KpiSpec> ParseKpiQuery(const v1::KpiQuery& query, absl::string_view prefix,
                                      absl::TimeZone zone,
                                      const std::vector<v1::Dimension>& default_group_by = {});

// A validated GetTrendsRequest.
struct TrendSpec {
  CellFilter filter;
  int64_t first_day = 0;
  int64_t last_day = -1;
  bool weekly = false;
  v1::TrendMetric metric = v1::TREND_METRIC_RECEIVED;
  std::vector<v1::Dimension> split_by;
  double z_threshold = 3.0;
  int max_series = 50;
};
absl::StatusOr<TrendSpec> ParseTrendsRequest(const v1::GetTrendsRequest& request,
                                             absl::TimeZone zone);

// A validated GetTopIssuesRequest.
struct TopIssuesSpec {
  CellFilter filter;
  int64_t first_day = 0;
  int64_t last_day = -1;
  v1::Dimension territory_level = v1::DIMENSION_UNSPECIFIED;
  int max_categories = 10;
  int max_terms = 10;
};
absl::StatusOr<TopIssuesSpec> ParseTopIssuesRequest(const v1::GetTopIssuesRequest& request,
                                                    absl::TimeZone zone);

// The value of `dimension` for a row filed under `day` with `dimensions`, as DimensionValue
// spells it (periods as their first day "YYYY-MM-DD").
std::string DimensionValueOf(v1::Dimension dimension, int64_t day,
                             const FactDimensions& dimensions);

// The first and last day of the period of `time_dimension` (DAY, WEEK or MONTH) holding `day`.
std::pair<int64_t, int64_t> PeriodOf(v1::Dimension time_dimension, int64_t day);

bool IsTimeDimension(v1::Dimension dimension);

// "YYYY-MM-DD" of a day number, and the Date message of it.
std::string DayString(int64_t day);
type::v1::Date DateOf(int64_t day);

}  // namespace doleances::analytics
