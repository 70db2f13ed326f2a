#pragma once

#include "doleances/events/v1/events.pb.h"
#include "doleances/workflow/v1/case.pb.h"
#include "services/workflow/case_record.h"

#include <absl/time/time.h>

#include <string>

namespace doleances::workflow {

std::string NewCaseId();

google::protobuf::Timestamp ToTimestamp(absl::Time time);
absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp);

// The case as the contract shows it.
v1::Case ToCase(const CaseRecord& record);

// One history entry as the contract shows it; PUBLIC views drop internal notes.
v1::CaseHistoryEntry ToHistoryEntry(const CaseRecord& record, const CaseHistoryEntry& entry,
                                    bool public_view);

// An event envelope of workflow about `record` (at its version), without payload or actor.
events::v1::Event WorkflowEvent(const CaseRecord& record, absl::Time now);

}  // namespace doleances::workflow
