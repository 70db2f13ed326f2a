#pragma once

#include "common/events/event_log.h"
#include "doleances/events/v1/events.pb.h"
#include "services/workflow/case_record.h"

#include <absl/status/status.h>
#include <absl/time/time.h>
#include <pqxx/transaction>

#include <vector>

namespace doleances::workflow {

// The CaseTransitioned event of a transition, from the case as updated and its history entry
// as recorded (actor, states, motive code, public message); queue and department are the case's.
events::v1::Event CaseTransitionedEvent(const CaseRecord& after, const CaseHistoryEntry& recorded,
                                        absl::Time now);

// `event` as the log stores it; its type is the payload's message name ("ClockStarted").
events::NewEvent ToNewEvent(const events::v1::Event& event);

// Appends `payloads` (events with only their payload set) as the case's next events, with
// consecutive aggregate versions after record.event_version, which it advances. With
// `store_version`, also writes the case's new event_version (callers that rewrite the case row
// anyway pass false).
absl::Status AppendCaseEvents(pqxx::transaction_base& tx, CaseRecord& record, absl::Time now,
                              std::vector<events::v1::Event> payloads, bool store_version = true);

}  // namespace doleances::workflow
