// WorkflowService.TransferCase: forwarding a misdirected complaint to the competent
// administration (CRPA L114-2).
#include "common/db/transaction.h"
#include "common/status/grpc_status.h"
#include "services/workflow/case_mapping.h"
#include "services/workflow/case_transfer.h"
#include "services/workflow/pg_case_store.h"
#include "services/workflow/workflow_rpc_support.h"
#include "services/workflow/workflow_service.h"

#include <absl/strings/str_cat.h>

namespace doleances::workflow {

grpc::Status WorkflowServiceImpl::TransferCase(grpc::ServerContext* context,
                                               const v1::TransferCaseRequest* request,
                                               v1::TransferCaseResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "TransferCase");
  if (!caller.ok()) {
    return common::ToGrpcStatus(caller.status());
  }
  std::vector<common::FieldViolation> violations;
  if (request->expected_version() <= 0) {
    violations.push_back({"expected_version", "is required (the version you read)"});
  }
  CheckUuid("target_administration_id", request->target_administration_id(), /*required=*/true,
            violations);
  CheckUuid("target_queue_id", request->target_queue_id(), /*required=*/false, violations);
  CheckMotive(request->motive(), violations);
  if (request->public_message().size() > 65536) {
    violations.push_back({"public_message", "must be at most 65,536 bytes"});
  }
  if (!violations.empty()) {
    return common::ToGrpcStatus(common::InvalidArguments(violations));
  }
  const auth::Principal& principal = *caller->principal;
  absl::StatusOr<CaseRecord> visible = VisibleCase(principal, request->case_id());
  if (!visible.ok()) {
    return common::ToGrpcStatus(visible.status());
  }
  const absl::Time now = clock_();
  absl::StatusOr<Transferred> transferred = db::RunInTransaction(
      store_.pool(), "workflow_transfer_case", [&](pqxx::work& tx) -> absl::StatusOr<Transferred> {
        absl::StatusOr<CaseRecord> current =
            PgCaseStore::LockAtVersion(tx, request->case_id(), request->expected_version());
        if (!current.ok()) {
          return current.status();
        }
        if (absl::Status allowed =
                CheckStaffTransition(principal, *current, type::v1::CASE_STATE_TRANSFERRED,
                                     /*has_motive=*/true, !request->public_message().empty());
            !allowed.ok()) {
          return allowed;
        }
        Transfer transfer;
        transfer.target_administration_id = request->target_administration_id();
        transfer.target_queue_id = request->target_queue_id();
        transfer.motive = request->motive();
        transfer.public_message = request->public_message();
        transfer.actor_kind = StaffKind(principal);
        transfer.actor_id = principal.id;
        transfer.texts = texts_;
        return TransferLocked(tx, *current, transfer, now);
      });
  if (!transferred.ok()) {
    return common::ToGrpcStatus(transferred.status());
  }
  notifier_.EventsCommitted();
  absl::StatusOr<v1::Case> shown = CaseWithClocks(transferred->old_case);
  *response->mutable_case_file() = shown.ok() ? *std::move(shown) : ToCase(transferred->old_case);
  response->set_new_case_id(transferred->new_case.case_id);
  return grpc::Status::OK;
}

}  // namespace doleances::workflow
