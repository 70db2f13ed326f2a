#pragma once

#include "common/auth/authorizer.h"
#include "common/events/commit_notifier.h"
#include "doleances/workflow/v1/workflow_service.grpc.pb.h"
#include "services/workflow/complaint_texts.h"
#include "services/workflow/pg_case_store.h"
#include "services/workflow/routing.h"

#include <absl/time/time.h>

#include <functional>

namespace doleances::workflow {

// doleances.workflow.v1.WorkflowService. Served so far: cases (GetCase, ListCases,
// TransitionCase, GetCaseHistory) in workflow_service.cc; deadline policies, calendars and
// ExplainDeadlines in workflow_deadline_rpcs.cc; mediation in workflow_mediation_rpcs.cc; standard
// responses in workflow_response_rpcs.cc; notes in workflow_note_rpcs.cc; transfers in
// workflow_transfer_rpcs.cc; the others in workflow_*_rpcs.cc by subject.
class WorkflowServiceImpl final : public v1::WorkflowService::Service {
 public:
  // `texts` (optional) gives routing the complaint's words when a transfer is routed by the
  // target's keyword rules.
  WorkflowServiceImpl(auth::Authorizer& authorizer, PgCaseStore& store,
                      events::CommitNotifier& notifier, std::function<absl::Time()> clock,
                      ComplaintTextSource* texts = nullptr);

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
  // workflow_note_rpcs.cc
  grpc::Status AddCaseNote(grpc::ServerContext* context, const v1::AddCaseNoteRequest* request,
                           v1::AddCaseNoteResponse* response) override;
  // workflow_transfer_rpcs.cc
  grpc::Status TransferCase(grpc::ServerContext* context, const v1::TransferCaseRequest* request,
                            v1::TransferCaseResponse* response) override;

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

  grpc::Status EscalateCase(grpc::ServerContext* context, const v1::EscalateCaseRequest* request,
                            v1::EscalateCaseResponse* response) override;

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

  // Routing rules and PreviewRoute: workflow_routing_rpcs.cc.
  grpc::Status CreateRoutingRule(grpc::ServerContext* context,
                                 const v1::CreateRoutingRuleRequest* request,
                                 v1::CreateRoutingRuleResponse* response) override;
  grpc::Status UpdateRoutingRule(grpc::ServerContext* context,
                                 const v1::UpdateRoutingRuleRequest* request,
                                 v1::UpdateRoutingRuleResponse* response) override;
  grpc::Status DisableRoutingRule(grpc::ServerContext* context,
                                  const v1::DisableRoutingRuleRequest* request,
                                  v1::DisableRoutingRuleResponse* response) override;
  grpc::Status EnableRoutingRule(grpc::ServerContext* context,
                                 const v1::EnableRoutingRuleRequest* request,
                                 v1::EnableRoutingRuleResponse* response) override;
  grpc::Status ListRoutingRules(grpc::ServerContext* context,
                                const v1::ListRoutingRulesRequest* request,
                                v1::ListRoutingRulesResponse* response) override;
  grpc::Status SetDefaultQueue(grpc::ServerContext* context,
                               const v1::SetDefaultQueueRequest* request,
                               v1::SetDefaultQueueResponse* response) override;
  grpc::Status PreviewRoute(grpc::ServerContext* context, const v1::PreviewRouteRequest* request,
                            v1::PreviewRouteResponse* response) override;

  // Departments, queues and agents: workflow_organisation_rpcs.cc.
  grpc::Status CreateDepartment(grpc::ServerContext* context,
                                const v1::CreateDepartmentRequest* request,
                                v1::CreateDepartmentResponse* response) override;
  grpc::Status UpdateDepartment(grpc::ServerContext* context,
                                const v1::UpdateDepartmentRequest* request,
                                v1::UpdateDepartmentResponse* response) override;
  grpc::Status ListDepartments(grpc::ServerContext* context,
                               const v1::ListDepartmentsRequest* request,
                               v1::ListDepartmentsResponse* response) override;
  grpc::Status CreateQueue(grpc::ServerContext* context, const v1::CreateQueueRequest* request,
                           v1::CreateQueueResponse* response) override;
  grpc::Status UpdateQueue(grpc::ServerContext* context, const v1::UpdateQueueRequest* request,
                           v1::UpdateQueueResponse* response) override;
  grpc::Status ListQueues(grpc::ServerContext* context, const v1::ListQueuesRequest* request,
                          v1::ListQueuesResponse* response) override;
  grpc::Status CreateAgent(grpc::ServerContext* context, const v1::CreateAgentRequest* request,
                           v1::CreateAgentResponse* response) override;
  grpc::Status UpdateAgent(grpc::ServerContext* context, const v1::UpdateAgentRequest* request,
                           v1::UpdateAgentResponse* response) override;
  grpc::Status ListAgents(grpc::ServerContext* context, const v1::ListAgentsRequest* request,
                          v1::ListAgentsResponse* response) override;

  // AssignCase and ClaimNextCase: workflow_assignment_rpcs.cc.
  grpc::Status AssignCase(grpc::ServerContext* context, const v1::AssignCaseRequest* request,
                          v1::AssignCaseResponse* response) override;
  grpc::Status ClaimNextCase(grpc::ServerContext* context, const v1::ClaimNextCaseRequest* request,
                             v1::ClaimNextCaseResponse* response) override;

 private:
  // What routing matches on for a stored complaint, read from intake (PreviewRoute); NOT_FOUND
  // for a complaint of an administration the caller may not see.
  absl::StatusOr<RouteInput> StoredComplaintInput(const auth::Principal& caller,
                                                  const std::string& complaint_id);
  // The case if `caller` may see it (its administration), NOT_FOUND otherwise.
  absl::StatusOr<CaseRecord> VisibleCase(const auth::Principal& caller, const std::string& case_id);

  // Whether `caller` may move `current` to `target` (the state machine, with the caller as a
  // supervisor, or as the case's assignee).
  static absl::Status CheckStaffTransition(const auth::Principal& caller, const CaseRecord& current,
                                           type::v1::CaseState target, bool has_motive,
                                           bool has_public_message);

  // The case as the contract shows it, with its clocks.
  absl::StatusOr<v1::Case> CaseWithClocks(const CaseRecord& record);

  // DisableRoutingRule and EnableRoutingRule: sets the rule's enabled flag (a no-op if already
  // so); ALREADY_EXISTS when enabling it would clash with an enabled rule.
  absl::StatusOr<v1::RoutingRule> SetRoutingRuleEnabled(const auth::Principal& caller,
                                                        const std::string& routing_rule_id,
                                                        int64_t expected_version, bool enabled);

  auth::Authorizer& authorizer_;
  PgCaseStore& store_;
  events::CommitNotifier& notifier_;
  const std::function<absl::Time()> clock_;
  ComplaintTextSource* const texts_;
};

}  // namespace doleances::workflow
