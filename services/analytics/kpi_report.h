#pragma once

#include "doleances/analytics/v1/analytics_service.pb.h"
#include "services/analytics/kpi_query.h"
#include "services/analytics/pg_analytics_store.h"

#include <absl/time/time.h>

#include <vector>

namespace doleances::analytics {

// What a KPI answer needs besides the spec.
struct ReportContext {
  absl::Time now;
  absl::TimeZone zone;
  int min_group_size = 5;
};

// The aggregate rows a KPI answer is computed from.
struct KpiInputs {
  std::vector<CellRow> rows;  // spec.basis, days [first_day, last_day].
  // Day-packed month rows: Basis::kOpenNow, every month; Basis::kBacklogSteps, the months of
  // [BacklogScanStart, today].
  std::vector<CellRow> open_now;
  std::vector<CellRow> later_activity;
};

// Spans covering days [first_day, last_day] of the daily basis `daily`: with `months`, whole
// months inside the range come from the month roll-up and only the partial months at its edges
// from daily rows.
std::vector<CellSpan> CoveringSpans(Basis daily, int64_t first_day, int64_t last_day, bool months);

// Whether `spec` can be answered from the coarse rows: no filter but administrations, grouped by
// nothing but time, administration and category.
bool CoarseSuffices(const KpiSpec& spec);

// Whether `group_by` can be answered from month roll-ups (no DAY or WEEK).
bool MonthsSuffice(const std::vector<v1::Dimension>& group_by);

// The backlog at a past day is the backlog now minus the net arrivals after it, so only the days
// after the earliest day a backlog is asked for are read: the first of them.
int64_t BacklogScanStart(const KpiSpec& spec, const ReportContext& context);

// One row per group of spec.group_by, sorted by dimension values; groups with fewer complaints
// than the minimum group size are marked suppressed and carry nothing else.
std::vector<v1::KpiRow> BuildKpiRows(const KpiSpec& spec, const KpiInputs& inputs,
                                     const ReportContext& context);

// The duration summary of a histogram (unset quantiles without samples).
v1::DurationSummary SummaryOf(const BucketCounts& buckets);

// Noon of `day` in `zone`: the instant standing for a day-resolution arrival.
absl::Time NoonOf(int64_t day, absl::TimeZone zone);

}  // namespace doleances::analytics
