#include "services/workflow/case_assignment.h"

#include "common/log/log.h"
#include "services/workflow/case_mapping.h"
#include "services/workflow/case_state_machine.h"
#include "services/workflow/pg_assignment_store.h"
#include "services/workflow/pg_case_store.h"
#include "services/workflow/pg_organisation_store.h"

#include <absl/strings/str_cat.h>

namespace doleances::workflow {

absl::StatusOr<CaseRecord> AssignLocked(pqxx::transaction_base& tx, const CaseRecord& current,
                                        const Assignment& assignment) {
  CaseHistoryEntry entry;
  entry.to_state = type::v1::CASE_STATE_ASSIGNED;
  entry.entry_type = v1::CASE_HISTORY_ENTRY_TYPE_ASSIGNED;
  entry.actor_kind = assignment.actor_kind;
  entry.actor_id = assignment.actor_id;
  entry.internal_note = assignment.reason;
  entry.occur_time = assignment.now;
  absl::StatusOr<CaseRecord> assigned = PgCaseStore::TransitionLocked(
      tx, current, entry, [&](const CaseRecord& after, const CaseHistoryEntry&) {
        events::v1::Event event = WorkflowEvent(after, assignment.now);
        event.mutable_actor()->set_kind(assignment.actor_kind);
        event.mutable_actor()->set_actor_id(assignment.actor_id);
        events::v1::CaseAssigned* payload = event.mutable_case_assigned();
        payload->set_case_id(after.case_id);
        payload->set_agent_id(assignment.agent_id);
        payload->set_previous_agent_id(current.assignee_id.value_or(""));
        payload->set_method(assignment.method);
        payload->set_queue_id(after.queue_id.value_or(""));
        payload->set_department_id(after.department_id.value_or(""));
        return events::NewEvent{after.complaint_id, "CaseAssigned", event.SerializeAsString()};
      });
  if (!assigned.ok()) {
    return assigned;
  }
  PgAssignmentStore::SetAssignee(tx, current.case_id, assignment.agent_id);
  // Read back, with the assignee's principal.
  return *PgCaseStore::Lock(tx, current.case_id);
}

CaseToAssign CaseToAssignOf(const CaseRecord& record) {
  return {.department_id = record.department_id.value_or(""),
          .queue_id = record.queue_id.value_or(""),
          .category = record.category,
          .commune_code = record.commune_code,
          .department_code = record.department_code};
}

absl::StatusOr<AgentChoice> ChooseAgentLocked(pqxx::transaction_base& tx, const CaseRecord& current,
                                              absl::Time now) {
  if (!current.department_id.has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("case ", current.case_id, " is in no queue yet: route it first"));
  }
  return ChooseLeastLoaded(PgOrganisationStore::LockAssignableAgents(tx, *current.department_id),
                           CaseToAssignOf(current), now);
}

absl::Status AssignIfQueueAutoAssigns(pqxx::transaction_base& tx, const CaseRecord& routed,
                                      absl::Time now) {
  // Most queues do not auto-assign: ask that first, it spares routing a round trip.
  if (routed.state != type::v1::CASE_STATE_ROUTED ||
      !PgOrganisationStore::QueueAutoAssigns(tx, routed.queue_id.value_or(""))) {
    return absl::OkStatus();
  }
  // Clock events were appended since the case was created: read it again for its versions.
  const std::optional<CaseRecord> current = PgCaseStore::Lock(tx, routed.case_id);
  if (!current.has_value()) {
    return absl::OkStatus();
  }
  const std::string& case_id = routed.case_id;
  absl::StatusOr<AgentChoice> choice = ChooseAgentLocked(tx, *current, now);
  if (!choice.ok()) {
    log::Warning("automatic assignment found nobody: case waits in its queue",
                 {{"case_id", case_id}, {"why", std::string(choice.status().message())}});
    return absl::OkStatus();
  }
  return AssignLocked(tx, *current,
                      {.agent_id = choice->agent_id,
                       .method = type::v1::ASSIGNMENT_METHOD_AUTOMATIC,
                       .reason = choice->reason,
                       .actor_kind = type::v1::ACTOR_KIND_SYSTEM,
                       .now = now})
      .status();
}

}  // namespace doleances::workflow
