#include "services/workflow/workflow_service.h"

#include "common/status/grpc_status.h"
#include "services/workflow/case_events.h"
#include "services/workflow/case_mapping.h"
#include "services/workflow/case_state_machine.h"
#include "services/workflow/clock_keeper.h"
#include "services/workflow/clock_mapping.h"
#include "services/workflow/workflow_rpc_support.h"

#include "common/db/transaction.h"

#include <absl/strings/escaping.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_split.h>

namespace doleances::workflow {
namespace {

// States reached through their own RPC (with what it records), not through TransitionCase.
bool HasDedicatedRpc(type::v1::CaseState state) {
  return state == type::v1::CASE_STATE_RESPONDED || state == type::v1::CASE_STATE_ESCALATED ||
         state == type::v1::CASE_STATE_TRANSFERRED || state == type::v1::CASE_STATE_IN_MEDIATION;
}

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;

// The page token binds the keyset cursor to the filters it was issued for: it carries them
// (a few ids and enums), compared byte for byte, so it stays valid on every replica.
std::string ListDigest(const v1::ListCasesRequest& request) {
  v1::ListCasesRequest filters = request;
  filters.clear_page_size();
  filters.clear_page_token();
  filters.clear_breaching_within();  // Relative to now: may differ between pages.
  return filters.SerializeAsString();
}

}  // namespace

WorkflowServiceImpl::WorkflowServiceImpl(auth::Authorizer& authorizer, PgCaseStore& store,
                                         events::CommitNotifier& notifier,
                                         std::function<absl::Time()> clock,
                                         ComplaintTextSource* texts)
    : authorizer_(authorizer),
      store_(store),
      notifier_(notifier),
      clock_(std::move(clock)),
      texts_(texts) {}

absl::StatusOr<CaseRecord> WorkflowServiceImpl::VisibleCase(const auth::Principal& caller,
                                                            const std::string& case_id) {
  if (case_id.empty()) {
    return common::InvalidArguments({{"case_id", "is required"}});
  }
  absl::StatusOr<CaseRecord> record = store_.Get(case_id);
  if (record.ok() && !caller.MayAccessAdministration(record->administration_id)) {
    return absl::NotFoundError(absl::StrCat("case ", case_id, " not found"));
  }
  return record;
}

absl::Status WorkflowServiceImpl::CheckStaffTransition(const auth::Principal& caller,
                                                       const CaseRecord& current,
                                                       type::v1::CaseState target, bool has_motive,
                                                       bool has_public_message) {
  // A supervisor acts as such; an agent only on the cases assigned to them.
  Trigger trigger = Trigger::kSupervisor;
  if (!caller.HasRole(auth::Role::kSupervisor)) {
    if (current.assignee_id != caller.id && current.assignee_principal_id != caller.id) {
      return absl::PermissionDeniedError("only the case's assignee or a supervisor may");
    }
    trigger = Trigger::kAssignee;
  }
  return CheckTransition(static_cast<type::v1::CaseState>(current.state), target, trigger,
                         has_motive, has_public_message, absl::StrCat("case/", current.case_id));
}

absl::StatusOr<v1::Case> WorkflowServiceImpl::CaseWithClocks(const CaseRecord& record) {
  absl::StatusOr<ClockKeeper::Snapshot> snapshot =
      db::RunInTransaction(store_.pool(), "workflow_case_clocks",
                           [&](pqxx::work& tx) { return ClockKeeper::Load(tx, record); });
  if (!snapshot.ok()) {
    return snapshot.status();
  }
  v1::Case result = ToCase(record);
  std::optional<absl::Time> next_due;
  for (const ClockRecord& clock : snapshot->clocks) {
    *result.add_deadlines() = ToDeadline(clock);
    if (clock.running() && clock.due_time.has_value() &&
        (!next_due.has_value() || *clock.due_time < *next_due)) {
      next_due = clock.due_time;
    }
  }
  if (next_due.has_value()) {
    *result.mutable_next_due_time() = ToTimestamp(*next_due);
  }
  return result;
}

grpc::Status WorkflowServiceImpl::GetCase(grpc::ServerContext* context,
                                          const v1::GetCaseRequest* request,
                                          v1::GetCaseResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "GetCase");
  if (!caller.ok()) {
    return common::ToGrpcStatus(caller.status());
  }
  absl::StatusOr<CaseRecord> record = VisibleCase(*caller->principal, request->case_id());
  if (!record.ok()) {
    return common::ToGrpcStatus(record.status());
  }
  absl::StatusOr<v1::Case> shown = CaseWithClocks(*record);
  if (!shown.ok()) {
    return common::ToGrpcStatus(shown.status());
  }
  *response->mutable_case_file() = *std::move(shown);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::TransitionCase(grpc::ServerContext* context,
                                                 const v1::TransitionCaseRequest* request,
                                                 v1::TransitionCaseResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "TransitionCase");
  if (!caller.ok()) {
    return common::ToGrpcStatus(caller.status());
  }
  const auth::Principal& principal = *caller->principal;
  const type::v1::CaseState target = request->target_state();
  std::vector<common::FieldViolation> violations;
  if (target == type::v1::CASE_STATE_UNSPECIFIED || !type::v1::CaseState_IsValid(target)) {
    violations.push_back({"target_state", "must be a known case state"});
  } else if (HasDedicatedRpc(target)) {
    violations.push_back({"target_state", absl::StrCat("use the RPC that moves a case to ",
                                                       type::v1::CaseState_Name(target))});
  }
  if (request->expected_version() <= 0) {
    violations.push_back({"expected_version", "is required (the version you read)"});
  }
  if (!violations.empty()) {
    return common::ToGrpcStatus(common::InvalidArguments(violations));
  }
  absl::StatusOr<CaseRecord> visible = VisibleCase(principal, request->case_id());
  if (!visible.ok()) {
    return common::ToGrpcStatus(visible.status());
  }
  const absl::Time now = clock_();
  CaseHistoryEntry entry;
  entry.to_state = target;
  entry.actor_kind = StaffKind(principal);
  entry.actor_id = principal.id;
  entry.motive_code = request->motive_code();
  entry.public_message = request->public_message();
  entry.internal_note = request->internal_note();
  entry.occur_time = now;
  absl::StatusOr<CaseRecord> updated = store_.Transition(
      request->case_id(), request->expected_version(), entry,
      [&](const CaseRecord& current) {
        return CheckStaffTransition(principal, current, target, !request->motive().empty(),
                                    !request->public_message().empty());
      },
      [&](const CaseRecord& after, const CaseHistoryEntry& recorded) {
        return ToNewEvent(CaseTransitionedEvent(after, recorded, now));
      });
  if (!updated.ok()) {
    return common::ToGrpcStatus(updated.status());
  }
  notifier_.EventsCommitted();
  absl::StatusOr<v1::Case> shown = CaseWithClocks(*updated);
  *response->mutable_case_file() = shown.ok() ? *std::move(shown) : ToCase(*updated);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::ListCases(grpc::ServerContext* context,
                                            const v1::ListCasesRequest* request,
                                            v1::ListCasesResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "ListCases");
  if (!caller.ok()) {
    return common::ToGrpcStatus(caller.status());
  }
  std::vector<common::FieldViolation> violations;
  if (request->administration_id().empty()) {
    violations.push_back({"administration_id", "is required"});
  }
  if (request->page_size() < 0 || request->page_size() > kMaxPageSize) {
    violations.push_back({"page_size", "must be 0 (default 50) to 500"});
  }
  if (!request->assignee_id().empty() && request->unassigned_only()) {
    violations.push_back({"unassigned_only", "cannot be combined with assignee_id"});
  }
  if (request->breaching_within().seconds() < 0) {
    violations.push_back({"breaching_within", "must not be negative"});
  }
  for (int state : request->states()) {
    if (state == 0 || !type::v1::CaseState_IsValid(state)) {
      violations.push_back({"states", "must hold known case states"});
      break;
    }
  }
  if (!v1::CaseOrder_IsValid(request->order_by())) {
    violations.push_back({"order_by", "unknown order"});
  }
  const std::string digest = ListDigest(*request);
  std::string cursor;
  if (!request->page_token().empty()) {
    std::string decoded;
    std::vector<std::string> parts;
    if (!absl::WebSafeBase64Unescape(request->page_token(), &decoded) ||
        (parts = absl::StrSplit(decoded, absl::MaxSplits('|', 1))).size() != 2 ||
        parts[1] != digest) {
      violations.push_back({"page_token", "is not a token of this query; start again without it"});
    } else {
      cursor = parts[0];
    }
  }
  if (!violations.empty()) {
    return common::ToGrpcStatus(common::InvalidArguments(violations));
  }
  if (absl::Status allowed = CheckAdministration(*caller->principal, request->administration_id());
      !allowed.ok()) {
    return common::ToGrpcStatus(allowed);
  }
  CaseFilter filter;
  filter.administration_id = request->administration_id();
  filter.queue_ids.assign(request->queue_ids().begin(), request->queue_ids().end());
  filter.states.assign(request->states().begin(), request->states().end());
  if (!request->assignee_id().empty()) {
    filter.assignee_id = request->assignee_id();
  }
  filter.unassigned_only = request->unassigned_only();
  if (request->has_breaching_within()) {
    filter.due_before = clock_() + absl::Seconds(request->breaching_within().seconds());
  }
  if (!request->complaint_id().empty()) {
    filter.complaint_id = request->complaint_id();
  }
  filter.kinds.assign(request->kinds().begin(), request->kinds().end());
  filter.categories.assign(request->categories().begin(), request->categories().end());
  filter.order = request->order_by();
  const int page_size = request->page_size() == 0 ? kDefaultPageSize : request->page_size();
  absl::StatusOr<PgCaseStore::Page> page = store_.List(filter, cursor, page_size);
  if (!page.ok()) {
    return common::ToGrpcStatus(page.status());
  }
  for (const CaseRecord& record : page->cases) {
    *response->add_cases() = ToCase(record);
  }
  if (!page->next_cursor.empty()) {
    response->set_next_page_token(
        absl::WebSafeBase64Escape(absl::StrCat(page->next_cursor, "|", digest)));
  }
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::GetCaseHistory(grpc::ServerContext* context,
                                                 const v1::GetCaseHistoryRequest* request,
                                                 v1::GetCaseHistoryResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "GetCaseHistory");
  if (!caller.ok()) {
    return common::ToGrpcStatus(caller.status());
  }
  absl::StatusOr<CaseRecord> record = VisibleCase(*caller->principal, request->case_id());
  if (!record.ok()) {
    return common::ToGrpcStatus(record.status());
  }
  // Other services (intake) only ever get the public view.
  const bool public_view = request->view() == v1::CASE_HISTORY_VIEW_PUBLIC ||
                           caller->principal->HasRole(auth::Role::kService);
  absl::StatusOr<std::vector<CaseHistoryEntry>> history = store_.History(record->case_id);
  if (!history.ok()) {
    return common::ToGrpcStatus(history.status());
  }
  for (const CaseHistoryEntry& entry : *history) {
    if (public_view && entry.public_message.empty() && entry.entry_no != 1) {
      continue;  // An internal step: nothing the citizen was told.
    }
    *response->add_entries() = ToHistoryEntry(*record, entry, public_view);
  }
  return grpc::Status::OK;
}

}  // namespace doleances::workflow
