// Giving a case to an agent, the one way AssignCase, ClaimNextCase and automatic assignment on
// routing all do it: the ASSIGNED transition (history, event, clocks) and the assignee together.
#pragma once

#include "doleances/type/v1/actor.pb.h"
#include "services/workflow/assignment.h"
#include "services/workflow/case_record.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <pqxx/transaction>

#include <string>

namespace doleances::workflow {

// Who gets the case, how they were chosen and by whom.
struct Assignment {
  std::string agent_id;
  type::v1::AssignmentMethod method = type::v1::ASSIGNMENT_METHOD_UNSPECIFIED;
  // Recorded as the history entry's internal note.
  std::string reason;
  type::v1::ActorKind actor_kind = type::v1::ACTOR_KIND_SYSTEM;
  std::string actor_id;
  absl::Time now;
};

// Within `tx`, moves the locked case `current` to ASSIGNED through PgCaseStore::TransitionLocked
// (history entry with the reason, CaseAssigned as the transition's event, the clock effect) and
// makes `assignment.agent_id` its assignee. The caller has checked that the transition is allowed.
absl::StatusOr<CaseRecord> AssignLocked(pqxx::transaction_base& tx, const CaseRecord& current,
                                        const Assignment& assignment);

// What of `record` decides who may take it.
CaseToAssign CaseToAssignOf(const CaseRecord& record);

// The least-loaded qualified agent present for the locked case `current` among the active agents
// of its department (locked too, so that concurrent assignments never overfill one agent).
// FAILED_PRECONDITION saying why when nobody qualifies.
absl::StatusOr<AgentChoice> ChooseAgentLocked(pqxx::transaction_base& tx, const CaseRecord& current,
                                              absl::Time now);

// Automatic assignment on routing: if the queue of the case just routed (`routed`) asks for it
// (Queue.auto_assign), assigns it to the least-loaded qualified agent present. When nobody
// qualifies the case stays ROUTED for ClaimNextCase or a supervisor, and this still succeeds.
absl::Status AssignIfQueueAutoAssigns(pqxx::transaction_base& tx, const CaseRecord& routed,
                                      absl::Time now);

}  // namespace doleances::workflow
