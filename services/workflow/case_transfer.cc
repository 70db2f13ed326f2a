#include "services/workflow/case_transfer.h"

#include "common/status/grpc_status.h"
#include "services/workflow/case_events.h"
#include "services/workflow/case_mapping.h"
#include "services/workflow/case_opening.h"
#include "services/workflow/pg_case_store.h"

#include <absl/strings/str_cat.h>

namespace doleances::workflow {

absl::StatusOr<Transferred> TransferLocked(pqxx::transaction_base& tx, const CaseRecord& current,
                                           const Transfer& transfer, absl::Time now) {
  if (transfer.target_administration_id == current.administration_id) {
    return common::InvalidArguments(
        {{"target_administration_id", "is the case's own administration"}});
  }
  const std::string new_case_id = NewCaseId();
  CaseHistoryEntry entry;
  entry.to_state = type::v1::CASE_STATE_TRANSFERRED;
  entry.entry_type = v1::CASE_HISTORY_ENTRY_TYPE_TRANSFERRED;
  entry.actor_kind = transfer.actor_kind;
  entry.actor_id = transfer.actor_id;
  entry.motive_code = "transfer";
  entry.internal_note = transfer.motive;
  entry.public_message =
      transfer.public_message.empty() ? kStandardTransferNotice : transfer.public_message;
  entry.related_id = new_case_id;
  entry.occur_time = now;
  absl::StatusOr<CaseRecord> ended = PgCaseStore::TransitionLocked(
      tx, current, entry, [&](const CaseRecord& after, const CaseHistoryEntry& recorded) {
        events::v1::Event event = WorkflowEvent(after, now);
        event.mutable_actor()->set_kind(static_cast<type::v1::ActorKind>(transfer.actor_kind));
        event.mutable_actor()->set_actor_id(transfer.actor_id);
        events::v1::CaseTransferred* payload = event.mutable_case_transferred();
        payload->set_case_id(after.case_id);
        payload->set_new_case_id(new_case_id);
        payload->set_from_administration_id(current.administration_id);
        payload->set_to_administration_id(transfer.target_administration_id);
        payload->set_motive_code(recorded.motive_code);
        payload->set_history_entry_id(HistoryEntryId(after.case_id, recorded.entry_no));
        return ToNewEvent(event);
      });
  if (!ended.ok()) {
    return ended.status();
  }

  CaseOpening opening;
  opening.texts = transfer.texts;
  opening.queue_id = transfer.target_queue_id;
  opening.input.kind = current.kind;
  opening.input.category = current.category;
  opening.input.commune_code = current.commune_code;
  opening.input.department_code = current.department_code;
  opening.input.priority = current.priority;
  CaseRecord& record = opening.record;
  record.case_id = new_case_id;
  record.complaint_id = current.complaint_id;
  record.administration_id = transfer.target_administration_id;
  record.kind = current.kind;
  record.channel = current.channel;
  record.commune_code = current.commune_code;
  record.department_code = current.department_code;
  record.priority = current.priority;
  record.receive_time = current.receive_time;
  record.parent_case_id = current.case_id;
  record.transfer_time = now;
  // The complaint's events keep one increasing aggregate version across its cases.
  record.event_version = ended->event_version;
  opening.first_entry.actor_kind = transfer.actor_kind;
  opening.first_entry.actor_id = transfer.actor_id;
  opening.first_entry.motive_code = "transfer";
  opening.first_entry.internal_note =
      absl::StrCat("transferred from administration ", current.administration_id, " (case ",
                   current.case_id, "): ", transfer.motive);
  opening.first_entry.related_id = current.case_id;
  absl::StatusOr<std::optional<CaseRecord>> opened = OpenCase(tx, std::move(opening), now);
  if (!opened.ok()) {
    return opened.status();
  }
  if (!opened->has_value()) {
    return absl::InternalError(absl::StrCat("case ", current.case_id, " was transferred twice"));
  }
  Transferred result{*std::move(ended), **std::move(opened)};
  result.old_case.child_case_ids.push_back(new_case_id);
  return result;
}

}  // namespace doleances::workflow
