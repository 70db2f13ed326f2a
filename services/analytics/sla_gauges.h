#pragma once

#include "services/analytics/analytics_metrics.h"
#include "services/analytics/pg_analytics_store.h"

#include <absl/status/status.h>
#include <absl/time/time.h>

namespace doleances::analytics {

// Sets doleances_analytics_sla_compliance_ratio{administration,clock} from the clocks that
// stopped (or were breached and still run) in the last 30 days, by day of the outcome. Run
// periodically; any replica may run it.
absl::Status RefreshSlaGauges(PgAnalyticsStore& store, AnalyticsMetrics& metrics, absl::Time now,
                              absl::TimeZone zone);

}  // namespace doleances::analytics
