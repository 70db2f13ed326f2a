#pragma once

#include "common/auth/authorizer.h"
#include "common/events/commit_notifier.h"
#include "doleances/workflow/v1/workflow_service.grpc.pb.h"
#include "services/workflow/pg_case_store.h"

#include <absl/time/time.h>

#include <functional>

namespace doleances::workflow {

// doleances.workflow.v1.WorkflowService. Served so far: cases (GetCase, ListCases,
// TransitionCase, GetCaseHistory) in workflow_service.cc; deadline policies, calendars and
// ExplainDeadlines in workflow_deadline_rpcs.cc; mediation in workflow_mediation_rpcs.cc; standard
// responses in workflow_response_rpcs.cc. The other RPCs answer UNIMPLEMENTED until they land.
class WorkflowServiceImpl final : public v1::WorkflowService::Service {
 public:
  WorkflowServiceImpl(auth::Authorizer& authorizer, PgCaseStore& store,
                      events::CommitNotifier& notifier, std::function<absl::Time()> clock);

  grpc::Status GetCase(grpc::ServerContext* context, const v1::GetCaseRequest* request,
                       v1::GetCaseResponse* response) override;
  grpc::Status ListCases(grpc::ServerContext* context, const v1::ListCasesRequest* request,
                         v1::ListCasesResponse* response) override;
  grpc::Status TransitionCase(grpc::ServerContext* context,
                              const v1::TransitionCaseRequest* request,
                              v1::TransitionCaseResponse* response) override;
  grpc::Status GetCaseHistory(grpc::ServerContext* context,
                              const v1::GetCaseHistoryRequest* request,
                              v1::GetCaseHistoryResponse* response) override;

  grpc::Status RespondToCase(grpc::ServerContext* context, const v1::RespondToCaseRequest* request,
                             v1::RespondToCaseResponse* response) override;
  grpc::Status CreateResponseTemplate(grpc::ServerContext* context,
                                      const v1::CreateResponseTemplateRequest* request,
                                      v1::CreateResponseTemplateResponse* response) override;
  grpc::Status UpdateResponseTemplate(grpc::ServerContext* context,
                                      const v1::UpdateResponseTemplateRequest* request,
                                      v1::UpdateResponseTemplateResponse* response) override;
  grpc::Status GetResponseTemplate(grpc::ServerContext* context,
                                   const v1::GetResponseTemplateRequest* request,
                                   v1::GetResponseTemplateResponse* response) override;
  grpc::Status ListResponseTemplates(grpc::ServerContext* context,
                                     const v1::ListResponseTemplatesRequest* request,
                                     v1::ListResponseTemplatesResponse* response) override;
  grpc::Status ArchiveResponseTemplate(grpc::ServerContext* context,
                                       const v1::ArchiveResponseTemplateRequest* request,
                                       v1::ArchiveResponseTemplateResponse* response) override;

  grpc::Status SendToMediation(grpc::ServerContext* context,
                               const v1::SendToMediationRequest* request,
                               v1::SendToMediationResponse* response) override;
  grpc::Status ReportMediationOutcome(grpc::ServerContext* context,
                                      const v1::ReportMediationOutcomeRequest* request,
                                      v1::ReportMediationOutcomeResponse* response) override;

  grpc::Status SetDeadlinePolicy(grpc::ServerContext* context,
                                 const v1::SetDeadlinePolicyRequest* request,
                                 v1::SetDeadlinePolicyResponse* response) override;
  grpc::Status ListDeadlinePolicies(grpc::ServerContext* context,
                                    const v1::ListDeadlinePoliciesRequest* request,
                                    v1::ListDeadlinePoliciesResponse* response) override;
  grpc::Status DeleteDeadlinePolicy(grpc::ServerContext* context,
                                    const v1::DeleteDeadlinePolicyRequest* request,
                                    v1::DeleteDeadlinePolicyResponse* response) override;
  grpc::Status SetCalendar(grpc::ServerContext* context, const v1::SetCalendarRequest* request,
                           v1::SetCalendarResponse* response) override;
  grpc::Status GetCalendar(grpc::ServerContext* context, const v1::GetCalendarRequest* request,
                           v1::GetCalendarResponse* response) override;
  grpc::Status ExplainDeadlines(grpc::ServerContext* context,
                                const v1::ExplainDeadlinesRequest* request,
                                v1::ExplainDeadlinesResponse* response) override;

 private:
  // The case if `caller` may see it (its administration), NOT_FOUND otherwise.
  absl::StatusOr<CaseRecord> VisibleCase(const auth::Principal& caller, const std::string& case_id);

  // Whether `caller` may move `current` to `target` (the state machine, with the caller as a
  // supervisor, or as the case's assignee).
  static absl::Status CheckStaffTransition(const auth::Principal& caller, const CaseRecord& current,
                                           type::v1::CaseState target, bool has_motive,
                                           bool has_public_message);

  // The case as the contract shows it, with its clocks.
  absl::StatusOr<v1::Case> CaseWithClocks(const CaseRecord& record);

  auth::Authorizer& authorizer_;
  PgCaseStore& store_;
  events::CommitNotifier& notifier_;
  const std::function<absl::Time()> clock_;
};

}  // namespace doleances::workflow
