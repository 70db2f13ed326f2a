#include "services/workflow/case_events.h"

#include "common/events/event_log.h"
#include "services/workflow/case_mapping.h"

#include <absl/strings/str_cat.h>

namespace doleances::workflow {

events::v1::Event CaseTransitionedEvent(const CaseRecord& after, const CaseHistoryEntry& recorded,
                                        absl::Time now) {
  events::v1::Event event = WorkflowEvent(after, now);
  event.mutable_actor()->set_kind(static_cast<type::v1::ActorKind>(recorded.actor_kind));
  event.mutable_actor()->set_actor_id(recorded.actor_id);
  events::v1::CaseTransitioned* transitioned = event.mutable_case_transitioned();
  transitioned->set_case_id(after.case_id);
  transitioned->set_from_state(static_cast<type::v1::CaseState>(recorded.from_state));
  transitioned->set_to_state(static_cast<type::v1::CaseState>(recorded.to_state));
  transitioned->set_motive_code(recorded.motive_code);
  transitioned->set_queue_id(after.queue_id.value_or(""));
  transitioned->set_department_id(after.department_id.value_or(""));
  transitioned->set_has_public_message(!recorded.public_message.empty());
  if (!recorded.public_message.empty()) {
    transitioned->set_history_entry_id(HistoryEntryId(after.case_id, recorded.entry_no));
  }
  return event;
}

events::NewEvent ToNewEvent(const events::v1::Event& event) {
  const std::string type =
      event.GetDescriptor()->FindFieldByNumber(event.payload_case())->message_type()->name();
  return {event.complaint_id(), type, event.SerializeAsString()};
}

absl::Status AppendCaseEvents(pqxx::transaction_base& tx, CaseRecord& record, absl::Time now,
                              std::vector<events::v1::Event> payloads, bool store_version) {
  std::vector<events::NewEvent> appended;
  appended.reserve(payloads.size());
  for (events::v1::Event& payload : payloads) {
    ++record.event_version;
    events::v1::Event event = WorkflowEvent(record, now);
    event.MergeFrom(payload);
    appended.push_back(ToNewEvent(event));
  }
  // One statement for all: routing a complaint starts five clocks, each announced.
  if (absl::Status status = events::EventLog::AppendAll(tx, appended); !status.ok()) {
    return status;
  }
  if (store_version && !payloads.empty()) {
    tx.exec_params("UPDATE workflow.cases SET event_version = $2 WHERE case_id = $1",
                   record.case_id, record.event_version);
  }
  return absl::OkStatus();
}

}  // namespace doleances::workflow
