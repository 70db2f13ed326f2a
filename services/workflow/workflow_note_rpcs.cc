// WorkflowService.AddCaseNote: internal notes and public messages that change no state.
#include "common/db/transaction.h"
#include "common/status/grpc_status.h"
#include "services/workflow/case_events.h"
#include "services/workflow/case_mapping.h"
#include "services/workflow/pg_case_store.h"
#include "services/workflow/workflow_rpc_support.h"
#include "services/workflow/workflow_service.h"

#include <absl/strings/str_cat.h>

namespace doleances::workflow {
namespace {

constexpr int kMaxAttachments = 20;

// Where the citizen can no longer be written to from this case.
bool ClosedToMessages(int state) {
  return state == type::v1::CASE_STATE_TRANSFERRED || state == type::v1::CASE_STATE_WITHDRAWN;
}

}  // namespace

grpc::Status WorkflowServiceImpl::AddCaseNote(grpc::ServerContext* context,
                                              const v1::AddCaseNoteRequest* request,
                                              v1::AddCaseNoteResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "AddCaseNote");
  if (!caller.ok()) {
    return common::ToGrpcStatus(caller.status());
  }
  std::vector<common::FieldViolation> violations;
  CheckUuid("case_id", request->case_id(), /*required=*/true, violations);
  if (request->text().empty() || request->text().size() > 65536) {
    violations.push_back({"text", "must be 1 to 65,536 bytes"});
  }
  const bool is_public = request->visibility() == v1::VISIBILITY_PUBLIC;
  if (!is_public && request->visibility() != v1::VISIBILITY_INTERNAL) {
    violations.push_back({"visibility", "must be INTERNAL or PUBLIC"});
  }
  if (request->attachments_size() > kMaxAttachments) {
    violations.push_back({"attachments", "at most 20"});
  }
  if (!violations.empty()) {
    return common::ToGrpcStatus(common::InvalidArguments(violations));
  }
  const auth::Principal& principal = *caller->principal;
  absl::StatusOr<CaseRecord> visible = VisibleCase(principal, request->case_id());
  if (!visible.ok()) {
    return common::ToGrpcStatus(visible.status());
  }
  const bool supervisor = principal.HasRole(auth::Role::kSupervisor);
  const absl::Time now = clock_();
  CaseHistoryEntry entry;
  entry.entry_type = is_public ? v1::CASE_HISTORY_ENTRY_TYPE_PUBLIC_MESSAGE
                               : v1::CASE_HISTORY_ENTRY_TYPE_INTERNAL_NOTE;
  entry.actor_kind = StaffKind(principal);
  entry.actor_id = principal.id;
  (is_public ? entry.public_message : entry.internal_note) = request->text();
  if (request->attachments_size() > 0) {
    v1::CaseHistoryEntry holder;
    *holder.mutable_attachments() = request->attachments();
    entry.attachments = holder.SerializeAsString();
  }
  entry.occur_time = now;
  absl::StatusOr<std::pair<CaseRecord, CaseHistoryEntry>> noted = db::RunInTransaction(
      store_.pool(), "workflow_add_case_note",
      [&](pqxx::work& tx) -> absl::StatusOr<std::pair<CaseRecord, CaseHistoryEntry>> {
        std::optional<CaseRecord> current = PgCaseStore::Lock(tx, request->case_id());
        if (!current.has_value()) {
          return absl::NotFoundError(absl::StrCat("case ", request->case_id(), " not found"));
        }
        if (is_public) {
          // Speaking to the citizen is the assignee's or a supervisor's job.
          if (!supervisor && current->assignee_id != principal.id &&
              current->assignee_principal_id != principal.id) {
            return absl::PermissionDeniedError(
                "only the case's assignee or a supervisor may write to the citizen");
          }
          if (ClosedToMessages(current->state)) {
            return absl::FailedPreconditionError(absl::StrCat(
                "case ", current->case_id, " is ",
                type::v1::CaseState_Name(static_cast<type::v1::CaseState>(current->state)),
                ": the citizen is no longer written to from it"));
          }
        }
        CaseHistoryEntry stored = PgCaseStore::AddEntryLocked(tx, *current, entry);
        if (is_public) {
          events::v1::Event posted;
          posted.mutable_actor()->set_kind(static_cast<type::v1::ActorKind>(entry.actor_kind));
          posted.mutable_actor()->set_actor_id(principal.id);
          posted.mutable_case_message_posted()->set_case_id(current->case_id);
          posted.mutable_case_message_posted()->set_history_entry_id(
              HistoryEntryId(current->case_id, stored.entry_no));
          if (absl::Status appended =
                  AppendCaseEvents(tx, *current, now, {posted}, /*store_version=*/true);
              !appended.ok()) {
            return appended;
          }
        }
        return std::make_pair(*std::move(current), std::move(stored));
      });
  if (!noted.ok()) {
    return common::ToGrpcStatus(noted.status());
  }
  if (is_public) {
    notifier_.EventsCommitted();
  }
  *response->mutable_entry() = ToHistoryEntry(noted->first, noted->second, /*public_view=*/false);
  return grpc::Status::OK;
}

}  // namespace doleances::workflow
