// Case clocks as the contract shows them: Deadline (GetCase) and DeadlineExplanation
// (ExplainDeadlines).
#pragma once

#include "common/calendar/deadline.h"
#include "doleances/type/v1/deadline.pb.h"
#include "services/workflow/clock_record.h"

namespace doleances::workflow {

type::v1::Deadline ToDeadline(const ClockRecord& clock);

// `deadline`: the clock recomputed on today's calendar (ClockEngine::Compute).
type::v1::DeadlineExplanation ToExplanation(const ClockRecord& clock,
                                            const calendar::Deadline& deadline);

}  // namespace doleances::workflow
