#pragma once

#include "doleances/type/v1/deadline.pb.h"
#include "services/workflow/case_record.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <pqxx/transaction>

#include <string>

namespace doleances::workflow {

// Who escalates and why.
struct Escalation {
  std::string target_queue_id;  // Empty: the department's escalation queue.
  std::string motive;
  std::string public_message;
  int actor_kind = 0;  // type::v1::ActorKind
  std::string actor_id;
  // Set for an automatic escalation on a breach: the clock whose deadline passed.
  type::v1::ClockKind breached_clock = type::v1::CLOCK_KIND_UNSPECIFIED;
};

// Within `tx`, moves the locked case `current` (already checked against the state machine) to
// the hierarchical authority: ESCALATED, in the target queue, unassigned, one level higher,
// its processing clocks restarted (the state machine's clock effect). Announces CaseTransitioned
// (what the citizen sees) and CaseEscalated. FAILED_PRECONDITION when no target queue is given
// and the department has no escalation queue; INVALID_ARGUMENT for a target queue that is not an
// active queue of the case's administration.
absl::StatusOr<CaseRecord> EscalateLocked(pqxx::transaction_base& tx, const CaseRecord& current,
                                          const Escalation& escalation, absl::Time now);

}  // namespace doleances::workflow
