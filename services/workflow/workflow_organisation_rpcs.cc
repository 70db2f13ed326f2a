// WorkflowService RPCs of the organisation: departments, queues, agents. Records addressed by id
// that belong to another administration are NOT_FOUND; a request naming another administration
// is PERMISSION_DENIED; a reference in a record (a parent department, a queue's department, an
// agent's departments and queues) to something not of the administration is INVALID_ARGUMENT.
#include "common/db/transaction.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "common/util/uuid.h"
#include "services/workflow/case_mapping.h"
#include "services/workflow/pg_organisation_store.h"
#include "services/workflow/workflow_rpc_support.h"
#include "services/workflow/workflow_service.h"

#include <absl/strings/ascii.h>
#include <absl/strings/str_cat.h>

#include <algorithm>

namespace doleances::workflow {
namespace {

constexpr size_t kMaxNameCharacters = 200;
constexpr size_t kMaxQueueDescriptionCharacters = 1000;
constexpr size_t kMaxPrincipalCharacters = 256;
constexpr int kMaxCapacity = 10000;
constexpr size_t kMaxTerritoryPrefix = 5;
// Parent chains longer than this are refused (and guard the cycle check).
constexpr int kMaxDepartmentDepth = 32;

grpc::Status Fail(const absl::Status& status) { return common::ToGrpcStatus(status); }

void CheckName(const std::string& field, const std::string& name, size_t max,
               std::vector<common::FieldViolation>& violations) {
  const size_t length = CountCharacters(name);
  if (length == 0 || length > max) {
    violations.push_back({field, absl::StrCat("must be 1-", max, " characters")});
  }
}

const std::vector<std::string>& MutableDepartmentPaths() {
  static const auto* const paths =
      new std::vector<std::string>{"name", "parent_department_id", "escalation_queue_id", "active"};
  return *paths;
}

const std::vector<std::string>& MutableQueuePaths() {
  static const auto* const paths =
      new std::vector<std::string>{"name", "description", "auto_assign", "active"};
  return *paths;
}

const std::vector<std::string>& MutableAgentPaths() {
  static const auto* const paths = new std::vector<std::string>{"display_name",
                                                                "role",
                                                                "department_ids",
                                                                "queue_ids",
                                                                "supervised_department_ids",
                                                                "categories",
                                                                "territory_prefixes",
                                                                "capacity",
                                                                "absences",
                                                                "active"};
  return *paths;
}

// UpdateAgent by a supervisor (workflow_service.proto).
const std::vector<std::string>& SupervisorAgentPaths() {
  static const auto* const paths =
      new std::vector<std::string>{"capacity", "absences", "queue_ids"};
  return *paths;
}

std::vector<common::FieldViolation> DepartmentViolations(const v1::Department& department) {
  std::vector<common::FieldViolation> violations;
  CheckUuid("department.administration_id", department.administration_id(), true, violations);
  CheckName("department.name", department.name(), kMaxNameCharacters, violations);
  CheckUuid("department.parent_department_id", department.parent_department_id(), false,
            violations);
  CheckUuid("department.escalation_queue_id", department.escalation_queue_id(), false, violations);
  return violations;
}

// The parent must be a department of the same administration, and not the department itself or
// one of its descendants.
absl::Status CheckDepartmentReferences(pqxx::transaction_base& tx,
                                       const v1::Department& department) {
  std::string ancestor = department.parent_department_id();
  for (int depth = 0; !ancestor.empty(); ++depth) {
    if (ancestor == department.department_id() || depth == kMaxDepartmentDepth) {
      return common::InvalidArguments(
          {{"department.parent_department_id", "would make a cycle in the hierarchy"}});
    }
    const std::optional<v1::Department> parent = PgOrganisationStore::FindDepartment(tx, ancestor);
    if (!parent.has_value() || parent->administration_id() != department.administration_id()) {
      return common::InvalidArguments(
          {{"department.parent_department_id",
            absl::StrCat("no department of administration ", department.administration_id(),
                         " has id ", ancestor)}});
    }
    ancestor = parent->parent_department_id();
  }
  if (!department.escalation_queue_id().empty() &&
      !PgOrganisationStore::FindQueue(tx, department.escalation_queue_id()).has_value()) {
    return common::InvalidArguments({{"department.escalation_queue_id", "no queue has this id"}});
  }
  return absl::OkStatus();
}

std::vector<common::FieldViolation> QueueViolations(const v1::Queue& queue) {
  std::vector<common::FieldViolation> violations;
  CheckUuid("queue.department_id", queue.department_id(), true, violations);
  CheckName("queue.name", queue.name(), kMaxNameCharacters, violations);
  if (CountCharacters(queue.description()) > kMaxQueueDescriptionCharacters) {
    violations.push_back({"queue.description", "must be at most 1,000 characters"});
  }
  return violations;
}

// The department a queue (to be) belongs to, as INVALID_ARGUMENT if `caller` may not use it.
absl::StatusOr<v1::Department> QueueDepartment(pqxx::transaction_base& tx,
                                               const auth::Principal& caller,
                                               const std::string& department_id) {
  std::optional<v1::Department> department = PgOrganisationStore::FindDepartment(tx, department_id);
  if (!department.has_value() || !caller.MayAccessAdministration(department->administration_id())) {
    return common::InvalidArguments(
        {{"queue.department_id", absl::StrCat("no department you manage has id ", department_id)}});
  }
  return *std::move(department);
}

std::vector<common::FieldViolation> AgentViolations(const v1::Agent& agent) {
  std::vector<common::FieldViolation> violations;
  CheckUuid("agent.administration_id", agent.administration_id(), true, violations);
  CheckName("agent.principal_id", agent.principal_id(), kMaxPrincipalCharacters, violations);
  CheckName("agent.display_name", agent.display_name(), kMaxNameCharacters, violations);
  if (agent.role() == v1::AGENT_ROLE_UNSPECIFIED || !v1::AgentRole_IsValid(agent.role())) {
    violations.push_back({"agent.role", "must be AGENT or SUPERVISOR"});
  }
  if (agent.department_ids().empty()) {
    violations.push_back({"agent.department_ids", "must list at least one department"});
  }
  const auto check_ids = [&](const char* field,
                             const google::protobuf::RepeatedPtrField<std::string>& ids) {
    for (int i = 0; i < ids.size(); ++i) {
      CheckUuid(absl::StrCat("agent.", field, "[", i, "]"), ids[i], true, violations);
    }
  };
  check_ids("department_ids", agent.department_ids());
  check_ids("queue_ids", agent.queue_ids());
  check_ids("supervised_department_ids", agent.supervised_department_ids());
  if (agent.role() != v1::AGENT_ROLE_SUPERVISOR && !agent.supervised_department_ids().empty()) {
    violations.push_back({"agent.supervised_department_ids", "only supervisors supervise"});
  }
  for (int i = 0; i < agent.categories_size(); ++i) {
    if (agent.categories(i).empty()) {
      violations.push_back({absl::StrCat("agent.categories[", i, "]"), "is empty"});
    }
  }
  for (int i = 0; i < agent.territory_prefixes_size(); ++i) {
    const std::string& prefix = agent.territory_prefixes(i);
    if (prefix.empty() || prefix.size() > kMaxTerritoryPrefix ||
        !std::all_of(prefix.begin(), prefix.end(), absl::ascii_isalnum)) {
      violations.push_back(
          {absl::StrCat("agent.territory_prefixes[", i, "]"), "must be 1-5 letters or digits"});
    }
  }
  if (agent.capacity() < 0 || agent.capacity() > kMaxCapacity) {
    violations.push_back({"agent.capacity", "must be 0-10,000"});
  }
  for (int i = 0; i < agent.absences_size(); ++i) {
    const type::v1::Interval& absence = agent.absences(i);
    if (absence.has_start_time() && absence.has_end_time() &&
        FromTimestamp(absence.end_time()) < FromTimestamp(absence.start_time())) {
      violations.push_back(
          {absl::StrCat("agent.absences[", i, "]"), "end_time must not be before start_time"});
    }
  }
  return violations;
}

// Departments and queues an agent names must be the administration's, queues of their departments.
absl::Status CheckAgentReferences(pqxx::transaction_base& tx, const v1::Agent& agent) {
  const auto check_departments =
      [&](const char* field,
          const google::protobuf::RepeatedPtrField<std::string>& ids) -> absl::Status {
    for (int i = 0; i < ids.size(); ++i) {
      const std::optional<v1::Department> department =
          PgOrganisationStore::FindDepartment(tx, ids[i]);
      if (!department.has_value() || department->administration_id() != agent.administration_id()) {
        return common::InvalidArguments(
            {{absl::StrCat("agent.", field, "[", i, "]"),
              absl::StrCat("no department of administration ", agent.administration_id(),
                           " has id ", ids[i])}});
      }
    }
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(check_departments("department_ids", agent.department_ids()));
  RETURN_IF_ERROR(
      check_departments("supervised_department_ids", agent.supervised_department_ids()));
  for (int i = 0; i < agent.queue_ids_size(); ++i) {
    const std::optional<v1::Queue> queue = PgOrganisationStore::FindQueue(tx, agent.queue_ids(i));
    if (!queue.has_value() ||
        std::find(agent.department_ids().begin(), agent.department_ids().end(),
                  queue->department_id()) == agent.department_ids().end()) {
      return common::InvalidArguments({{absl::StrCat("agent.queue_ids[", i, "]"),
                                        "is not a queue of the agent's departments"}});
    }
  }
  return absl::OkStatus();
}

// Whether supervisor `caller` supervises a department of `agent` (their supervised departments,
// else their own).
absl::Status CheckSupervises(pqxx::transaction_base& tx, const auth::Principal& caller,
                             const v1::Agent& agent) {
  const std::optional<v1::Agent> supervisor =
      PgOrganisationStore::FindAgentByPrincipal(tx, caller.id);
  if (!supervisor.has_value() || !supervisor->active() ||
      supervisor->role() != v1::AGENT_ROLE_SUPERVISOR) {
    return absl::PermissionDeniedError("you are not registered as an active supervisor");
  }
  const auto& supervised = supervisor->supervised_department_ids().empty()
                               ? supervisor->department_ids()
                               : supervisor->supervised_department_ids();
  for (const std::string& department : agent.department_ids()) {
    if (std::find(supervised.begin(), supervised.end(), department) != supervised.end()) {
      return absl::OkStatus();
    }
  }
  return absl::PermissionDeniedError(
      absl::StrCat("agent ", agent.agent_id(), " is in no department you supervise"));
}

// PERMISSION_DENIED if a supervisor's mask names a field only admins may change.
absl::Status CheckSupervisorMask(const google::protobuf::FieldMask& mask) {
  for (const std::string& path : mask.paths()) {
    const std::vector<std::string>& allowed = SupervisorAgentPaths();
    if (std::find(allowed.begin(), allowed.end(), path) == allowed.end() &&
        std::find(MutableAgentPaths().begin(), MutableAgentPaths().end(), path) !=
            MutableAgentPaths().end()) {
      return absl::PermissionDeniedError(
          absl::StrCat("supervisors may change only capacity, absences and queue_ids, not ", path));
    }
  }
  return absl::OkStatus();
}

// The validation violations and the administration check shared by every List* of this file.
absl::Status CheckListRequest(const auth::Principal& caller, const std::string& administration_id,
                              std::vector<common::FieldViolation> violations) {
  CheckUuid("administration_id", administration_id, true, violations);
  if (!violations.empty()) {
    return common::InvalidArguments(violations);
  }
  return CheckAdministration(caller, administration_id);
}

}  // namespace

grpc::Status WorkflowServiceImpl::CreateDepartment(grpc::ServerContext* context,
                                                   const v1::CreateDepartmentRequest* request,
                                                   v1::CreateDepartmentResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "CreateDepartment");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  v1::Department department = request->department();
  if (std::vector<common::FieldViolation> violations = DepartmentViolations(department);
      !violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  if (absl::Status allowed =
          CheckAdministration(*caller->principal, department.administration_id());
      !allowed.ok()) {
    return Fail(allowed);
  }
  department.set_department_id(util::NewUuid());
  const absl::Time now = clock_();
  absl::StatusOr<v1::Department> created = db::RunInTransaction(
      store_.pool(), "workflow_create_department",
      [&](pqxx::work& tx) -> absl::StatusOr<v1::Department> {
        RETURN_IF_ERROR(CheckDepartmentReferences(tx, department));
        RETURN_IF_ERROR(PgOrganisationStore::CheckDepartmentNameFree(tx, department));
        return PgOrganisationStore::InsertDepartment(tx, department, now);
      });
  if (!created.ok()) {
    return Fail(created.status());
  }
  *response->mutable_department() = *std::move(created);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::UpdateDepartment(grpc::ServerContext* context,
                                                   const v1::UpdateDepartmentRequest* request,
                                                   v1::UpdateDepartmentResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "UpdateDepartment");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  const v1::Department& requested = request->department();
  std::vector<common::FieldViolation> violations;
  CheckUuid("department.department_id", requested.department_id(), true, violations);
  if (requested.version() <= 0) {
    violations.push_back({"department.version", "is required (the version you read)"});
  }
  if (!violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  const absl::Time now = clock_();
  absl::StatusOr<v1::Department> updated = db::RunInTransaction(
      store_.pool(), "workflow_update_department",
      [&](pqxx::work& tx) -> absl::StatusOr<v1::Department> {
        std::optional<v1::Department> stored =
            PgOrganisationStore::FindDepartment(tx, requested.department_id(), /*lock=*/true);
        RETURN_IF_ERROR(CheckStoredVersion(stored, *caller->principal, "department",
                                           requested.department_id(), requested.version()));
        v1::Department department = *stored;
        RETURN_IF_ERROR(ApplyUpdateMask(requested, request->update_mask(), MutableDepartmentPaths(),
                                        department));
        if (std::vector<common::FieldViolation> invalid = DepartmentViolations(department);
            !invalid.empty()) {
          return common::InvalidArguments(invalid);
        }
        RETURN_IF_ERROR(CheckDepartmentReferences(tx, department));
        RETURN_IF_ERROR(PgOrganisationStore::CheckDepartmentNameFree(tx, department));
        return PgOrganisationStore::UpdateDepartment(tx, department, now);
      });
  if (!updated.ok()) {
    return Fail(updated.status());
  }
  *response->mutable_department() = *std::move(updated);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::ListDepartments(grpc::ServerContext* context,
                                                  const v1::ListDepartmentsRequest* request,
                                                  v1::ListDepartmentsResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "ListDepartments");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  std::vector<common::FieldViolation> violations;
  const ListWindow window = PageWindow(request->page_size(), request->page_token(), violations);
  if (absl::Status valid =
          CheckListRequest(*caller->principal, request->administration_id(), violations);
      !valid.ok()) {
    return Fail(valid);
  }
  return Fail(db::RunInTransaction(
      store_.pool(), "workflow_list_departments", [&](pqxx::work& tx) -> absl::Status {
        std::vector<v1::Department> departments = PgOrganisationStore::ListDepartments(
            tx, request->administration_id(), request->include_inactive(), window);
        response->set_next_page_token(TrimPage(departments, window));
        for (v1::Department& department : departments) {
          *response->add_departments() = std::move(department);
        }
        return absl::OkStatus();
      }));
}

grpc::Status WorkflowServiceImpl::CreateQueue(grpc::ServerContext* context,
                                              const v1::CreateQueueRequest* request,
                                              v1::CreateQueueResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "CreateQueue");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  v1::Queue queue = request->queue();
  if (std::vector<common::FieldViolation> violations = QueueViolations(queue);
      !violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  queue.set_queue_id(util::NewUuid());
  const absl::Time now = clock_();
  absl::StatusOr<v1::Queue> created = db::RunInTransaction(
      store_.pool(), "workflow_create_queue", [&](pqxx::work& tx) -> absl::StatusOr<v1::Queue> {
        ASSIGN_OR_RETURN(const v1::Department department,
                         QueueDepartment(tx, *caller->principal, queue.department_id()));
        queue.set_administration_id(department.administration_id());
        RETURN_IF_ERROR(PgOrganisationStore::CheckQueueNameFree(tx, queue));
        return PgOrganisationStore::InsertQueue(tx, queue, now);
      });
  if (!created.ok()) {
    return Fail(created.status());
  }
  *response->mutable_queue() = *std::move(created);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::UpdateQueue(grpc::ServerContext* context,
                                              const v1::UpdateQueueRequest* request,
                                              v1::UpdateQueueResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "UpdateQueue");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  const v1::Queue& requested = request->queue();
  std::vector<common::FieldViolation> violations;
  CheckUuid("queue.queue_id", requested.queue_id(), true, violations);
  if (requested.version() <= 0) {
    violations.push_back({"queue.version", "is required (the version you read)"});
  }
  if (!violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  const absl::Time now = clock_();
  absl::StatusOr<v1::Queue> updated = db::RunInTransaction(
      store_.pool(), "workflow_update_queue", [&](pqxx::work& tx) -> absl::StatusOr<v1::Queue> {
        std::optional<v1::Queue> stored =
            PgOrganisationStore::FindQueue(tx, requested.queue_id(), /*lock=*/true);
        RETURN_IF_ERROR(CheckStoredVersion(stored, *caller->principal, "queue",
                                           requested.queue_id(), requested.version()));
        v1::Queue queue = *stored;
        RETURN_IF_ERROR(
            ApplyUpdateMask(requested, request->update_mask(), MutableQueuePaths(), queue));
        if (std::vector<common::FieldViolation> invalid = QueueViolations(queue);
            !invalid.empty()) {
          return common::InvalidArguments(invalid);
        }
        RETURN_IF_ERROR(PgOrganisationStore::CheckQueueNameFree(tx, queue));
        return PgOrganisationStore::UpdateQueue(tx, queue, now);
      });
  if (!updated.ok()) {
    return Fail(updated.status());
  }
  *response->mutable_queue() = *std::move(updated);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::ListQueues(grpc::ServerContext* context,
                                             const v1::ListQueuesRequest* request,
                                             v1::ListQueuesResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "ListQueues");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  std::vector<common::FieldViolation> violations;
  CheckUuid("department_id", request->department_id(), false, violations);
  const ListWindow window = PageWindow(request->page_size(), request->page_token(), violations);
  if (absl::Status valid =
          CheckListRequest(*caller->principal, request->administration_id(), violations);
      !valid.ok()) {
    return Fail(valid);
  }
  return Fail(db::RunInTransaction(
      store_.pool(), "workflow_list_queues", [&](pqxx::work& tx) -> absl::Status {
        std::vector<v1::Queue> queues = PgOrganisationStore::ListQueues(
            tx, request->administration_id(), request->department_id(), request->include_inactive(),
            window);
        response->set_next_page_token(TrimPage(queues, window));
        for (v1::Queue& queue : queues) {
          *response->add_queues() = std::move(queue);
        }
        return absl::OkStatus();
      }));
}

grpc::Status WorkflowServiceImpl::CreateAgent(grpc::ServerContext* context,
                                              const v1::CreateAgentRequest* request,
                                              v1::CreateAgentResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "CreateAgent");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  v1::Agent agent = request->agent();
  if (std::vector<common::FieldViolation> violations = AgentViolations(agent);
      !violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  if (absl::Status allowed = CheckAdministration(*caller->principal, agent.administration_id());
      !allowed.ok()) {
    return Fail(allowed);
  }
  agent.set_agent_id(util::NewUuid());
  const absl::Time now = clock_();
  absl::StatusOr<v1::Agent> created = db::RunInTransaction(
      store_.pool(), "workflow_create_agent", [&](pqxx::work& tx) -> absl::StatusOr<v1::Agent> {
        RETURN_IF_ERROR(CheckAgentReferences(tx, agent));
        RETURN_IF_ERROR(PgOrganisationStore::CheckPrincipalFree(tx, agent));
        return PgOrganisationStore::InsertAgent(tx, agent, now);
      });
  if (!created.ok()) {
    return Fail(created.status());
  }
  *response->mutable_agent() = *std::move(created);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::UpdateAgent(grpc::ServerContext* context,
                                              const v1::UpdateAgentRequest* request,
                                              v1::UpdateAgentResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "UpdateAgent");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  const auth::Principal& principal = *caller->principal;
  const bool as_admin = principal.HasRole(auth::Role::kAdmin);
  const v1::Agent& requested = request->agent();
  std::vector<common::FieldViolation> violations;
  CheckUuid("agent.agent_id", requested.agent_id(), true, violations);
  if (requested.version() <= 0) {
    violations.push_back({"agent.version", "is required (the version you read)"});
  }
  if (!violations.empty()) {
    return Fail(common::InvalidArguments(violations));
  }
  if (!as_admin) {
    if (absl::Status allowed = CheckSupervisorMask(request->update_mask()); !allowed.ok()) {
      return Fail(allowed);
    }
  }
  const absl::Time now = clock_();
  absl::StatusOr<v1::Agent> updated = db::RunInTransaction(
      store_.pool(), "workflow_update_agent", [&](pqxx::work& tx) -> absl::StatusOr<v1::Agent> {
        std::optional<v1::Agent> stored =
            PgOrganisationStore::FindAgent(tx, requested.agent_id(), /*lock=*/true);
        RETURN_IF_ERROR(CheckStoredVersion(stored, principal, "agent", requested.agent_id(),
                                           requested.version()));
        if (!as_admin) {
          RETURN_IF_ERROR(CheckSupervises(tx, principal, *stored));
        }
        v1::Agent agent = *stored;
        RETURN_IF_ERROR(ApplyUpdateMask(requested, request->update_mask(),
                                        as_admin ? MutableAgentPaths() : SupervisorAgentPaths(),
                                        agent));
        if (std::vector<common::FieldViolation> invalid = AgentViolations(agent);
            !invalid.empty()) {
          return common::InvalidArguments(invalid);
        }
        RETURN_IF_ERROR(CheckAgentReferences(tx, agent));
        return PgOrganisationStore::UpdateAgent(tx, agent, now);
      });
  if (!updated.ok()) {
    return Fail(updated.status());
  }
  *response->mutable_agent() = *std::move(updated);
  return grpc::Status::OK;
}

grpc::Status WorkflowServiceImpl::ListAgents(grpc::ServerContext* context,
                                             const v1::ListAgentsRequest* request,
                                             v1::ListAgentsResponse* response) {
  absl::StatusOr<auth::Caller> caller = authorizer_.Authorize(*context, "ListAgents");
  if (!caller.ok()) {
    return Fail(caller.status());
  }
  std::vector<common::FieldViolation> violations;
  CheckUuid("department_id", request->department_id(), false, violations);
  CheckUuid("queue_id", request->queue_id(), false, violations);
  if (!v1::AgentRole_IsValid(request->role())) {
    violations.push_back({"role", "must be a known role, or UNSPECIFIED for both"});
  }
  const ListWindow window = PageWindow(request->page_size(), request->page_token(), violations);
  if (absl::Status valid =
          CheckListRequest(*caller->principal, request->administration_id(), violations);
      !valid.ok()) {
    return Fail(valid);
  }
  return Fail(db::RunInTransaction(
      store_.pool(), "workflow_list_agents", [&](pqxx::work& tx) -> absl::Status {
        std::vector<v1::Agent> agents = PgOrganisationStore::ListAgents(
            tx, request->administration_id(), request->department_id(), request->queue_id(),
            request->role(), request->include_inactive(), window);
        response->set_next_page_token(TrimPage(agents, window));
        for (v1::Agent& agent : agents) {
          *response->add_agents() = std::move(agent);
        }
        return absl::OkStatus();
      }));
}

}  // namespace doleances::workflow
