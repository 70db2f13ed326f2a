#include "services/workflow/case_escalation.h"

#include "services/workflow/case_events.h"
#include "services/workflow/case_mapping.h"
#include "services/workflow/pg_case_store.h"

#include <absl/strings/str_cat.h>
#include <pqxx/pqxx>

namespace doleances::workflow {
namespace {

// The queue the case goes to, and its department.
struct Target {
  std::string queue_id;
  std::string department_id;
};

absl::StatusOr<Target> TargetOf(pqxx::transaction_base& tx, const CaseRecord& current,
                                const std::string& requested_queue) {
  std::string queue_id = requested_queue;
  if (queue_id.empty()) {
    const pqxx::result department = tx.exec_params(
        "SELECT escalation_queue_id::text FROM workflow.departments WHERE department_id = $1",
        current.department_id.value_or("00000000-0000-0000-0000-000000000000"));
    if (department.empty() || department[0][0].is_null()) {
      return absl::FailedPreconditionError(
          "the case's department has no escalation queue: name target_queue_id");
    }
    queue_id = department[0][0].as<std::string>();
  }
  const pqxx::result queue = tx.exec_params(
      "SELECT department_id::text FROM workflow.queues WHERE queue_id::text = $1 AND"
      " administration_id = $2 AND active",
      queue_id, current.administration_id);
  if (queue.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "target_queue_id: ", queue_id, " is not an active queue of this administration"));
  }
  return Target{queue_id, queue[0][0].as<std::string>()};
}

}  // namespace

absl::StatusOr<CaseRecord> EscalateLocked(pqxx::transaction_base& tx, const CaseRecord& current,
                                          const Escalation& escalation, absl::Time now) {
  absl::StatusOr<Target> target = TargetOf(tx, current, escalation.target_queue_id);
  if (!target.ok()) {
    return target.status();
  }
  CaseHistoryEntry entry;
  entry.to_state = type::v1::CASE_STATE_ESCALATED;
  entry.entry_type = v1::CASE_HISTORY_ENTRY_TYPE_ESCALATED;
  entry.actor_kind = escalation.actor_kind;
  entry.actor_id = escalation.actor_id;
  entry.motive_code = "escalation";
  entry.public_message = escalation.public_message;
  entry.internal_note = escalation.motive;
  entry.occur_time = now;
  absl::StatusOr<CaseRecord> moved = PgCaseStore::TransitionLocked(
      tx, current, entry, [&](const CaseRecord& after, const CaseHistoryEntry& recorded) {
        // Announced in the queue and department the case goes to.
        events::v1::Event event = CaseTransitionedEvent(after, recorded, now);
        event.mutable_case_transitioned()->set_queue_id(target->queue_id);
        event.mutable_case_transitioned()->set_department_id(target->department_id);
        return ToNewEvent(event);
      });
  if (!moved.ok()) {
    return moved.status();
  }
  const pqxx::row level = tx.exec_params1(
      "UPDATE workflow.cases SET queue_id = $2::uuid, assignee_id = NULL,"
      " escalation_level = escalation_level + 1 WHERE case_id = $1 RETURNING escalation_level",
      current.case_id, target->queue_id);
  CaseRecord escalated = *std::move(moved);
  escalated.queue_id = target->queue_id;
  escalated.department_id = target->department_id;
  escalated.assignee_id.reset();
  escalated.assignee_principal_id.reset();
  escalated.escalation_level = level[0].as<int>();

  events::v1::Event event;
  events::v1::CaseEscalated* payload = event.mutable_case_escalated();
  payload->set_case_id(current.case_id);
  payload->set_from_queue_id(current.queue_id.value_or(""));
  payload->set_to_queue_id(target->queue_id);
  payload->set_from_department_id(current.department_id.value_or(""));
  payload->set_to_department_id(target->department_id);
  payload->set_automatic(escalation.breached_clock != type::v1::CLOCK_KIND_UNSPECIFIED);
  payload->set_breached_clock(escalation.breached_clock);
  payload->set_escalation_level(escalated.escalation_level);
  if (absl::Status appended = AppendCaseEvents(tx, escalated, now, {event}); !appended.ok()) {
    return appended;
  }
  return escalated;
}

}  // namespace doleances::workflow
