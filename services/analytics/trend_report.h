#pragma once

#include "doleances/analytics/v1/analytics_service.pb.h"
#include "services/analytics/kpi_query.h"
#include "services/analytics/kpi_report.h"

#include <vector>

namespace doleances::analytics {

// The aggregate rows a trend is computed from.
struct TrendInputs {
  // Basis::kEventDay rows, days [first_day, last_day] (for BACKLOG: [first_day, today]).
  std::vector<CellRow> rows;
  std::vector<CellRow> open_now;  // Basis::kOpenNow, every day (BACKLOG only).
};

// The last day a trend reads: the range's, or today for BACKLOG (a past backlog is the backlog
// now minus the net arrivals after it).
int64_t TrendScanEnd(const TrendSpec& spec, const ReportContext& context);

// Series per split_by value, largest total first, at most spec.max_series; each point scored
// against the EWMA baseline of the earlier ones, spikes explained by the categories and
// départements that carry most of the excess. Points under the minimum group size are hidden.
std::vector<v1::TrendSeries> BuildTrends(const TrendSpec& spec, const TrendInputs& inputs,
                                         const ReportContext& context);

}  // namespace doleances::analytics
