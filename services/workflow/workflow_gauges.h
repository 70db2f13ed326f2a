#pragma once

#include "common/db/connection_pool.h"
#include "services/workflow/workflow_metrics.h"

#include <absl/status/status.h>

namespace doleances::workflow {

// Counts open cases by state and running clocks past or near their deadline (within 20 % of the
// time allowed) per administration and department, and sets the gauges.
absl::Status RefreshWorkflowGauges(db::ConnectionPool& pool, WorkflowMetrics& metrics);

}  // namespace doleances::workflow
