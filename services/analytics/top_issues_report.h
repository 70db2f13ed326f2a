#pragma once

#include "doleances/analytics/v1/analytics_service.pb.h"
#include "services/analytics/kpi_query.h"

#include <vector>

namespace doleances::analytics {

// Groups per territory (or one overall), largest first: the categories of the complaints
// received in the range and the routing keywords that matched them. Groups, categories and terms
// under the minimum group size are left out.
std::vector<v1::TopIssueGroup> BuildTopIssues(const TopIssuesSpec& spec,
                                              const std::vector<CellRow>& cohort_rows,
                                              const std::vector<TermRow>& term_rows,
                                              int min_group_size);

}  // namespace doleances::analytics
