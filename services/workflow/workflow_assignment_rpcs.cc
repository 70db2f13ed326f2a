// WorkflowService RPCs that give cases to agents: AssignCase (a supervisor names the agent, or
// lets workflow pick the least-loaded qualified one present) and ClaimNextCase (an agent takes the
// most urgent waiting case of their queues). Agents are identified by their Agent record, found
// from the caller's principal; cases.assignee_id holds the agent_id.
#include "common/db/transaction.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "services/workflow/case_assignment.h"
#include "services/workflow/case_mapping.h"
#include "services/workflow/case_state_machine.h"
#include "services/workflow/pg_assignment_store.h"
#include "services/workflow/pg_organisation_store.h"
#include "services/workflow/workflow_rpc_support.h"
#include "services/workflow/workflow_service.h"

#include <absl/strings/str_cat.h>

#include <algorithm>

namespace doleances::workflow {
namespace {

constexpr size_t kMaxReasonCharacters = 1000;

grpc::Status Fail(const absl::Status& status) { return common::ToGrpcStatus(status); }

// The case after assignment and how it went, for the response.
struct Assigned {
  CaseRecord record;
  Assignment assignment;
};

}  // namespace

grpc::Status WorkflowServiceImpl::AssignCase(grpc::ServerContext* context,
                                             const v1::AssignCaseRequest* request,
                                             v1::AssignCaseResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "AssignCase");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  const auth::Principal& principal = *caller->principal;
  std::vector<common::FieldViolation> violations;
  CheckUuid("case_id", request->case_id(), true, violations);
  if (request->expected_version() <= 0) {
    violations.push_back({"expected_version", "is required (the version you read)"});
  }
  CheckUuid("agent_id", request->agent_id(), false, violations);
  if (!request->agent_id().empty() && request->reason().empty()) {
    violations.push_back({"reason", "is required when agent_id is set"});
  }
  if (CountCharacters(request->reason()) > kMaxReasonCharacters) {
    violations.push_back({"reason", "must be at most 1,000 characters"});
  }
  if (!violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  const absl::Time now = clock_();
  absl::StatusOr<Assigned> assigned = db::RunInTransaction(
      store_.pool(), "workflow_assign_case", [&](pqxx::work& tx) -> absl::StatusOr<Assigned> {
        const std::optional<CaseRecord> current = PgCaseStore::Lock(tx, request->case_id());
        if (!current.has_value() ||
            !principal.MayAccessAdministration(current->administration_id)) {
          return absl::NotFoundError(absl::StrCat("case ", request->case_id(), " not found"));
        }
        if (current->version != request->expected_version()) {
          return absl::AbortedError(absl::StrCat("case ", current->case_id, " is at version ",
                                                 current->version, ", not ",
                                                 request->expected_version(), ": read it again"));
        }
        // An ASSIGNED case is handed to someone else in place (the history keeps both
        // assignments), rather than sent back to the queue first.
        if (current->state != type::v1::CASE_STATE_ASSIGNED) {
          RETURN_IF_ERROR(CheckTransition(static_cast<type::v1::CaseState>(current->state),
                                          type::v1::CASE_STATE_ASSIGNED, Trigger::kSupervisor,
                                          false, false, absl::StrCat("case/", current->case_id)));
        }
        Assignment assignment{
            .actor_kind = StaffKind(principal), .actor_id = principal.id, .now = now};
        if (request->agent_id().empty()) {
          ASSIGN_OR_RETURN(AgentChoice choice, ChooseAgentLocked(tx, *current, now));
          assignment.agent_id = choice.agent_id;
          assignment.method = type::v1::ASSIGNMENT_METHOD_AUTOMATIC;
          assignment.reason = choice.reason;
        } else {
          const std::optional<v1::Agent> agent =
              PgOrganisationStore::FindAgent(tx, request->agent_id(), /*lock=*/true);
          if (!agent.has_value() || agent->administration_id() != current->administration_id) {
            return common::InvalidArguments(
                {{"agent_id", absl::StrCat("no agent of the case's administration has id ",
                                           request->agent_id())}});
          }
          const std::string why_not =
              Disqualification(PgOrganisationStore::ToProfile(*agent), CaseToAssignOf(*current),
                               now, AssignmentMode::kManual);
          if (!why_not.empty()) {
            return absl::FailedPreconditionError(
                absl::StrCat("agent ", agent->agent_id(), " cannot take this case: ", why_not));
          }
          assignment.agent_id = agent->agent_id();
          assignment.method = type::v1::ASSIGNMENT_METHOD_MANUAL;
          assignment.reason = request->reason();
        }
        if (current->assignee_id == assignment.agent_id) {
          return absl::FailedPreconditionError(absl::StrCat(
              "case ", current->case_id, " is already assigned to agent ", assignment.agent_id));
        }
        ASSIGN_OR_RETURN(CaseRecord record, AssignLocked(tx, *current, assignment));
        return Assigned{std::move(record), std::move(assignment)};
      });
  if (!assigned.ok()) {
    return Fail(assigned.status());
  }
  notifier_.EventsCommitted();
  absl::StatusOr<v1::Case> shown = CaseWithClocks(assigned->record);
  *response->mutable_case_file() = shown.ok() ? *std::move(shown) : ToCase(assigned->record);
  response->set_method(assigned->assignment.method);
  response->set_reason(assigned->assignment.reason);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::ClaimNextCase(grpc::ServerContext* context,
                                                const v1::ClaimNextCaseRequest* request,
                                                v1::ClaimNextCaseResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "ClaimNextCase");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  const auth::Principal& principal = *caller->principal;
  std::vector<common::FieldViolation> violations;
  for (int i = 0; i < request->queue_ids_size(); ++i) {
    CheckUuid(absl::StrCat("queue_ids[", i, "]"), request->queue_ids(i), true, violations);
  }
  if (!violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  const absl::Time now = clock_();
  absl::StatusOr<std::optional<CaseRecord>> claimed = db::RunInTransaction(
      store_.pool(), "workflow_claim_next_case",
      [&](pqxx::work& tx) -> absl::StatusOr<std::optional<CaseRecord>> {
        const std::optional<v1::Agent> agent =
            PgOrganisationStore::FindAgentByPrincipal(tx, principal.id);
        if (!agent.has_value() || !principal.MayAccessAdministration(agent->administration_id())) {
          return absl::FailedPreconditionError(
              "you are not registered as an agent (CreateAgent) of your administration");
        }
        if (!agent->active()) {
          return absl::FailedPreconditionError("your agent record is inactive");
        }
        std::vector<std::string> queues = PgOrganisationStore::ClaimableQueues(tx, *agent);
        if (!request->queue_ids().empty()) {
          for (const std::string& queue : request->queue_ids()) {
            if (std::find(queues.begin(), queues.end(), queue) == queues.end()) {
              return absl::PermissionDeniedError(
                  absl::StrCat("queue ", queue, " is not one of your active queues"));
            }
          }
          queues.assign(request->queue_ids().begin(), request->queue_ids().end());
        }
        const std::optional<std::string> case_id = PgAssignmentStore::LockNextClaimable(tx, queues);
        if (!case_id.has_value()) {
          return std::optional<CaseRecord>();
        }
        const std::optional<CaseRecord> current = PgCaseStore::Lock(tx, *case_id);
        RETURN_IF_ERROR(CheckTransition(static_cast<type::v1::CaseState>(current->state),
                                        type::v1::CASE_STATE_ASSIGNED, Trigger::kAssignee, false,
                                        false, absl::StrCat("case/", current->case_id)));
        ASSIGN_OR_RETURN(
            CaseRecord record,
            AssignLocked(
                tx, *current,
                {.agent_id = agent->agent_id(),
                 .method = type::v1::ASSIGNMENT_METHOD_CLAIMED,
                 .reason = "claimed: the most urgent unassigned case of the agent's queues",
                 .actor_kind = StaffKind(principal),
                 .actor_id = principal.id,
                 .now = now}));
        return std::optional<CaseRecord>(std::move(record));
      });
  if (!claimed.ok()) {
    return Fail(claimed.status());
  }
  if (!claimed->has_value()) {
    return grpc::Status::OK;  // Nothing waits.
  }
  notifier_.EventsCommitted();
  absl::StatusOr<v1::Case> shown = CaseWithClocks(**claimed);
  *response->mutable_case_file() = shown.ok() ? *std::move(shown) : ToCase(**claimed);
  return grpc::Status::OK;
}

}  // namespace doleances::workflow
