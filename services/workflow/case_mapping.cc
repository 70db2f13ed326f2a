#include "services/workflow/case_mapping.h"

#include "common/util/proto_time.h"
#include "common/util/uuid.h"

#include <absl/strings/str_cat.h>

namespace doleances::workflow {

std::string NewCaseId() { return util::NewUuid(); }

google::protobuf::Timestamp ToTimestamp(absl::Time time) { return util::ToTimestamp(time); }

absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp) {
  return util::FromTimestamp(timestamp);
}

v1::Case ToCase(const CaseRecord& record) {
  v1::Case result;
  result.set_case_id(record.case_id);
  result.set_complaint_id(record.complaint_id);
  result.set_administration_id(record.administration_id);
  result.set_kind(static_cast<type::v1::ComplaintKind>(record.kind));
  result.set_channel(static_cast<type::v1::Channel>(record.channel));
  result.set_category(record.category);
  result.set_priority(static_cast<type::v1::Priority>(record.priority));
  result.mutable_territory()->set_commune_code(record.commune_code);
  result.mutable_territory()->set_department_code(record.department_code);
  result.set_state(static_cast<type::v1::CaseState>(record.state));
  result.set_queue_id(record.queue_id.value_or(""));
  result.set_assignee_id(record.assignee_id.value_or(""));
  result.set_routing_rule_id(record.routing_rule_id.value_or(""));
  result.set_department_id(record.department_id.value_or(""));
  result.set_mediation_id(record.mediation_id.value_or(""));
  result.set_last_response_id(record.last_response_id.value_or(""));
  result.set_escalation_level(record.escalation_level);
  result.set_parent_case_id(record.parent_case_id.value_or(""));
  for (const std::string& child : record.child_case_ids) {
    result.add_child_case_ids(child);
  }
  if (record.next_due_time.has_value()) {
    *result.mutable_next_due_time() = ToTimestamp(*record.next_due_time);
  }
  result.set_version(record.version);
  *result.mutable_create_time() = ToTimestamp(record.create_time);
  *result.mutable_update_time() = ToTimestamp(record.update_time);
  return result;
}

v1::CaseHistoryEntry ToHistoryEntry(const CaseRecord& record, const CaseHistoryEntry& entry,
                                    bool public_view) {
  v1::CaseHistoryEntry result;
  if (!entry.attachments.empty()) {
    result.ParseFromString(entry.attachments);  // Only its attachments are stored there.
  }
  const std::string& case_id = entry.case_id.empty() ? record.case_id : entry.case_id;
  result.set_entry_id(HistoryEntryId(case_id, entry.entry_no));
  result.set_case_id(case_id);
  *result.mutable_occur_time() = ToTimestamp(entry.occur_time);
  result.mutable_actor()->set_kind(static_cast<type::v1::ActorKind>(entry.actor_kind));
  if (!public_view) {
    result.mutable_actor()->set_actor_id(entry.actor_id);
  }
  // Entries stored before types were recorded: the first routed the case, the others moved it.
  int type = entry.entry_type;
  if (type == 0) {
    type = entry.version == 1 ? v1::CASE_HISTORY_ENTRY_TYPE_ROUTED
                              : v1::CASE_HISTORY_ENTRY_TYPE_TRANSITIONED;
  }
  result.set_type(static_cast<v1::CaseHistoryEntryType>(type));
  result.set_visibility(entry.public_message.empty() ? v1::VISIBILITY_INTERNAL
                                                     : v1::VISIBILITY_PUBLIC);
  result.set_version(entry.version);
  result.set_from_state(static_cast<type::v1::CaseState>(entry.from_state));
  result.set_to_state(static_cast<type::v1::CaseState>(entry.to_state));
  result.set_motive_code(entry.motive_code);
  result.set_related_id(entry.related_id);
  // The public message is what the citizen was told; internal notes never leave the agents.
  result.set_text(public_view || entry.internal_note.empty() ? entry.public_message
                                                             : entry.internal_note);
  return result;
}

events::v1::Event WorkflowEvent(const CaseRecord& record, absl::Time now) {
  events::v1::Event event;
  event.set_event_id(util::NewUuid());
  event.set_complaint_id(record.complaint_id);
  event.set_administration_id(record.administration_id);
  event.set_aggregate_version(record.event_version);
  *event.mutable_occur_time() = ToTimestamp(now);
  event.set_source(events::v1::EVENT_SOURCE_WORKFLOW);
  event.set_record_id(record.case_id);
  event.mutable_actor()->set_kind(type::v1::ACTOR_KIND_SYSTEM);
  return event;
}

}  // namespace doleances::workflow
