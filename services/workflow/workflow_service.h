#pragma once

#include "common/auth/authorizer.h"
#include "common/events/commit_notifier.h"
#include "doleances/workflow/v1/workflow_service.grpc.pb.h"
#include "services/workflow/pg_case_store.h"

#include <absl/time/time.h>

#include <functional>

namespace doleances::workflow {

// doleances.workflow.v1.WorkflowService. This slice serves cases (GetCase, TransitionCase,
// GetCaseHistory); the other RPCs answer UNIMPLEMENTED until they land.
class WorkflowServiceImpl final : public v1::WorkflowService::Service {
 public:
  WorkflowServiceImpl(auth::Authorizer& authorizer, PgCaseStore& store,
                      events::CommitNotifier& notifier, std::function<absl::Time()> clock);

  grpc::Status GetCase(grpc::ServerContext* context, const v1::GetCaseRequest* request,
                       v1::GetCaseResponse* response) override;
  grpc::Status TransitionCase(grpc::ServerContext* context,
                              const v1::TransitionCaseRequest* request,
                              v1::TransitionCaseResponse* response) override;
  grpc::Status GetCaseHistory(grpc::ServerContext* context,
                              const v1::GetCaseHistoryRequest* request,
                              v1::GetCaseHistoryResponse* response) override;

 private:
  // The case if `caller` may see it (its administration), NOT_FOUND otherwise.
  absl::StatusOr<CaseRecord> VisibleCase(const auth::Principal& caller, const std::string& case_id);

  auth::Authorizer& authorizer_;
  PgCaseStore& store_;
  events::CommitNotifier& notifier_;
  const std::function<absl::Time()> clock_;
};

}  // namespace doleances::workflow
