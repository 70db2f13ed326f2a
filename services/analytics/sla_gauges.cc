#include "services/analytics/sla_gauges.h"

#include "doleances/type/v1/deadline.pb.h"

#include <absl/container/btree_map.h>

#include <array>
#include <string>

namespace doleances::analytics {

absl::Status RefreshSlaGauges(PgAnalyticsStore& store, AnalyticsMetrics& metrics, absl::Time now,
                              absl::TimeZone zone) {
  const int64_t today = DayNumber(now, zone);
  absl::StatusOr<std::vector<CellRow>> rows =
      store.ReadAllAdministrations(CoarseOf(Basis::kEventDay), today - 29, today);
  if (!rows.ok()) {
    return rows.status();
  }
  // Per administration and clock: met, and all outcomes.
  absl::btree_map<std::string, std::array<std::pair<int64_t, int64_t>, kClockKinds>> totals;
  for (const CellRow& row : *rows) {
    auto& clocks = totals[row.dimensions.administration_id];
    for (int clock = 1; clock < kClockKinds; ++clock) {
      const int64_t met = CellValue(row.cells, SlaCell(clock, SlaOutcome::kMet));
      clocks[clock].first += met;
      clocks[clock].second += met + CellValue(row.cells, SlaCell(clock, SlaOutcome::kMissed)) +
                              CellValue(row.cells, SlaCell(clock, SlaOutcome::kBreachedOpen));
    }
  }
  for (const auto& [administration, clocks] : totals) {
    for (int clock = 1; clock < kClockKinds; ++clock) {
      if (clocks[clock].second > 0) {
        metrics.SlaCompliance(
            administration, type::v1::ClockKind_Name(static_cast<type::v1::ClockKind>(clock)),
            static_cast<double>(clocks[clock].first) / static_cast<double>(clocks[clock].second));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace doleances::analytics
