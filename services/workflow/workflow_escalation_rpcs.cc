// WorkflowService.EscalateCase: hierarchical recourse to the supervising authority's queue.
#include "common/db/transaction.h"
#include "common/status/grpc_status.h"
#include "services/workflow/case_escalation.h"
#include "services/workflow/case_mapping.h"
#include "services/workflow/pg_case_store.h"
#include "services/workflow/workflow_rpc_support.h"
#include "services/workflow/workflow_service.h"

#include <absl/strings/str_cat.h>

namespace doleances::workflow {

grpc::Status WorkflowServiceImpl::EscalateCase(grpc::ServerContext* context,
                                               const v1::EscalateCaseRequest* request,
                                               v1::EscalateCaseResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "EscalateCase");
  if (!caller.ok()) {
    return common::ToGrpcStatus(caller.status());
  }
  std::vector<common::FieldViolation> violations;
  if (request->expected_version() <= 0) {
    violations.push_back({"expected_version", "is required (the version you read)"});
  }
  CheckMotive(request->motive(), violations);
  CheckUuid("target_queue_id", request->target_queue_id(), /*required=*/false, violations);
  if (!violations.empty()) {
    return common::ToGrpcStatus(common::InvalidArguments(violations));
  }
  const auth::Principal& principal = *caller->principal;
  absl::StatusOr<CaseRecord> visible = VisibleCase(principal, request->case_id());
  if (!visible.ok()) {
    return common::ToGrpcStatus(visible.status());
  }
  const absl::Time now = clock_();
  absl::StatusOr<CaseRecord> escalated = db::RunInTransaction(
      store_.pool(), "workflow_escalate_case", [&](pqxx::work& tx) -> absl::StatusOr<CaseRecord> {
        absl::StatusOr<CaseRecord> current =
            PgCaseStore::LockAtVersion(tx, request->case_id(), request->expected_version());
        if (!current.ok()) {
          return current.status();
        }
        if (absl::Status allowed =
                CheckStaffTransition(principal, *current, type::v1::CASE_STATE_ESCALATED,
                                     /*has_motive=*/true, !request->public_message().empty());
            !allowed.ok()) {
          return allowed;
        }
        Escalation escalation;
        escalation.target_queue_id = request->target_queue_id();
        escalation.motive = request->motive();
        escalation.public_message = request->public_message();
        escalation.actor_kind = StaffKind(principal);
        escalation.actor_id = principal.id;
        return EscalateLocked(tx, *current, escalation, now);
      });
  if (!escalated.ok()) {
    return common::ToGrpcStatus(escalated.status());
  }
  notifier_.EventsCommitted();
  absl::StatusOr<v1::Case> shown = CaseWithClocks(*escalated);
  *response->mutable_case_file() = shown.ok() ? *std::move(shown) : ToCase(*escalated);
  return grpc::Status::OK;
}

}  // namespace doleances::workflow
