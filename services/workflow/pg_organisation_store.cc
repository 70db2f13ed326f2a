#include "services/workflow/pg_organisation_store.h"

#include "common/db/pg_arrays.h"
#include "common/db/pg_time.h"
#include "services/workflow/case_mapping.h"

#include <absl/strings/str_cat.h>
#include <pqxx/pqxx>

namespace doleances::workflow {
namespace {

constexpr char kDepartmentNameTaken[] = "workflow_select_department_by_name";
constexpr char kInsertDepartment[] = "workflow_insert_department";
constexpr char kUpdateDepartment[] = "workflow_update_department";
constexpr char kSelectDepartment[] = "workflow_select_department";
constexpr char kLockDepartment[] = "workflow_lock_department";
constexpr char kListDepartments[] = "workflow_list_departments";
constexpr char kQueueNameTaken[] = "workflow_select_queue_by_name";
constexpr char kInsertQueue[] = "workflow_insert_queue";
constexpr char kUpdateQueue[] = "workflow_update_queue";
constexpr char kSelectQueue[] = "workflow_select_queue";
constexpr char kLockQueue[] = "workflow_lock_queue";
constexpr char kListQueues[] = "workflow_list_queues";
constexpr char kQueueAutoAssigns[] = "workflow_select_queue_auto_assign";
constexpr char kClaimableQueues[] = "workflow_select_claimable_queues";
constexpr char kPrincipalTaken[] = "workflow_select_agent_by_principal_id";
constexpr char kInsertAgent[] = "workflow_insert_agent";
constexpr char kUpdateAgent[] = "workflow_update_agent";
constexpr char kSelectAgent[] = "workflow_select_agent";
constexpr char kLockAgent[] = "workflow_lock_agent";
constexpr char kSelectAgentByPrincipal[] = "workflow_select_agent_by_principal";
constexpr char kListAgents[] = "workflow_list_agents";
constexpr char kLockAssignableAgents[] = "workflow_lock_assignable_agents";

std::string Micros(absl::string_view column) {
  return absl::StrCat("(extract(epoch FROM ", column, ") * 1000000)::bigint");
}

const std::string& DepartmentColumns() {
  static const std::string* const columns = new std::string(absl::StrCat(
      "department_id::text, administration_id, name, coalesce(parent_department_id::text, ''),"
      " coalesce(escalation_queue_id::text, ''), active, version, ",
      Micros("create_time"), ", ", Micros("update_time")));
  return *columns;
}

// Final states (CLOSED, REJECTED, WITHDRAWN, TRANSFERRED) as SQL; an agent's load also leaves out
// RESPONDED, where only the citizen's appeal window runs.
constexpr char kFinalStates[] = "(7, 10, 12, 13)";
constexpr char kNotWorkStates[] = "(6, 7, 10, 12, 13)";

const std::string& QueueColumns() {
  static const std::string* const columns = new std::string(absl::StrCat(
      "q.queue_id::text, q.administration_id, q.department_id::text, q.name, q.description,"
      " q.auto_assign, q.active, (SELECT count(*) FROM workflow.cases c WHERE c.queue_id ="
      " q.queue_id AND c.state NOT IN ",
      kFinalStates, "), q.version, ", Micros("q.create_time"), ", ", Micros("q.update_time")));
  return *columns;
}

const std::string& AgentColumns() {
  static const std::string* const columns = new std::string(absl::StrCat(
      "a.agent_id::text, a.version, a.active, a.agent, (SELECT count(*) FROM workflow.cases c"
      " WHERE c.assignee_id = a.agent_id::text AND c.state NOT IN ",
      kNotWorkStates, ")::int"));
  return *columns;
}

std::optional<std::string> NullIfEmpty(const std::string& value) {
  return value.empty() ? std::nullopt : std::optional<std::string>(value);
}

v1::Department RowToDepartment(const pqxx::row& row) {
  v1::Department department;
  department.set_department_id(row[0].as<std::string>());
  department.set_administration_id(row[1].as<std::string>());
  department.set_name(row[2].as<std::string>());
  department.set_parent_department_id(row[3].as<std::string>());
  department.set_escalation_queue_id(row[4].as<std::string>());
  department.set_active(row[5].as<bool>());
  department.set_version(row[6].as<int64_t>());
  *department.mutable_create_time() = ToTimestamp(absl::FromUnixMicros(row[7].as<int64_t>()));
  *department.mutable_update_time() = ToTimestamp(absl::FromUnixMicros(row[8].as<int64_t>()));
  return department;
}

v1::Queue RowToQueue(const pqxx::row& row) {
  v1::Queue queue;
  queue.set_queue_id(row[0].as<std::string>());
  queue.set_administration_id(row[1].as<std::string>());
  queue.set_department_id(row[2].as<std::string>());
  queue.set_name(row[3].as<std::string>());
  queue.set_description(row[4].as<std::string>());
  queue.set_auto_assign(row[5].as<bool>());
  queue.set_active(row[6].as<bool>());
  queue.set_open_case_count(row[7].as<int64_t>());
  queue.set_version(row[8].as<int64_t>());
  *queue.mutable_create_time() = ToTimestamp(absl::FromUnixMicros(row[9].as<int64_t>()));
  *queue.mutable_update_time() = ToTimestamp(absl::FromUnixMicros(row[10].as<int64_t>()));
  return queue;
}

// The stored message, with what the columns own (id, version, active) and the computed load.
v1::Agent RowToAgent(const pqxx::row& row) {
  v1::Agent agent;
  agent.ParseFromString(pqxx::binarystring(row[3]).str());
  agent.set_agent_id(row[0].as<std::string>());
  agent.set_version(row[1].as<int64_t>());
  agent.set_active(row[2].as<bool>());
  agent.set_open_case_count(row[4].as<int>());
  return agent;
}

std::vector<std::string> Strings(const google::protobuf::RepeatedPtrField<std::string>& values) {
  return {values.begin(), values.end()};
}

// What goes into `agent` bytea: the message without what the columns own or compute.
std::string StoredAgent(v1::Agent agent) {
  agent.clear_version();
  agent.clear_open_case_count();
  const std::string bytes = agent.SerializeAsString();
  return bytes;
}

template <typename Convert>
auto FindOne(pqxx::transaction_base& tx, const char* statement, const std::string& id,
             Convert convert) -> std::optional<decltype(convert(std::declval<pqxx::row>()))> {
  const pqxx::result rows = tx.exec_prepared(statement, id);
  if (rows.empty()) {
    return std::nullopt;
  }
  return convert(rows[0]);
}

}  // namespace

void PgOrganisationStore::PrepareStatements(pqxx::connection& connection) {
  const std::string& d = DepartmentColumns();
  connection.prepare(kDepartmentNameTaken,
                     "SELECT department_id::text FROM workflow.departments"
                     " WHERE administration_id = $1 AND name = $2 AND department_id::text <> $3");
  connection.prepare(
      kInsertDepartment,
      absl::StrCat("INSERT INTO workflow.departments (department_id, administration_id, name,"
                   " parent_department_id, escalation_queue_id, active, version, create_time,"
                   " update_time) VALUES ($1, $2, $3, $4::uuid, $5::uuid, true, 1, ",
                   db::TimestampFromMicros("$6"), ", ", db::TimestampFromMicros("$6"),
                   ") RETURNING ", d));
  connection.prepare(
      kUpdateDepartment,
      absl::StrCat("UPDATE workflow.departments SET name = $2,"
                   " parent_department_id = $3::uuid, escalation_queue_id = $4::uuid,"
                   " active = $5, version = version + 1, update_time = ",
                   db::TimestampFromMicros("$6"), " WHERE department_id = $1 RETURNING ", d));
  connection.prepare(kSelectDepartment, absl::StrCat("SELECT ", d,
                                                     " FROM workflow.departments"
                                                     " WHERE department_id = $1"));
  connection.prepare(kLockDepartment, absl::StrCat("SELECT ", d,
                                                   " FROM workflow.departments"
                                                   " WHERE department_id = $1 FOR UPDATE"));
  connection.prepare(kListDepartments,
                     absl::StrCat("SELECT ", d,
                                  " FROM workflow.departments WHERE administration_id = $1"
                                  " AND (active OR $2) ORDER BY name, department_id"
                                  " LIMIT $3 OFFSET $4"));

  const std::string& q = QueueColumns();
  connection.prepare(kQueueNameTaken,
                     "SELECT queue_id::text FROM workflow.queues"
                     " WHERE department_id = $1 AND name = $2 AND queue_id::text <> $3");
  connection.prepare(
      kInsertQueue,
      absl::StrCat("INSERT INTO workflow.queues AS q (queue_id, administration_id, department_id,"
                   " name, description, auto_assign, active, version, create_time, update_time)"
                   " VALUES ($1, $2, $3, $4, $5, $6, true, 1, ",
                   db::TimestampFromMicros("$7"), ", ", db::TimestampFromMicros("$7"),
                   ") RETURNING ", q));
  connection.prepare(
      kUpdateQueue,
      absl::StrCat("UPDATE workflow.queues AS q SET name = $2, description = $3, auto_assign = $4,"
                   " active = $5, version = q.version + 1, update_time = ",
                   db::TimestampFromMicros("$6"), " WHERE q.queue_id = $1 RETURNING ", q));
  connection.prepare(kSelectQueue,
                     absl::StrCat("SELECT ", q, " FROM workflow.queues q WHERE q.queue_id = $1"));
  connection.prepare(kLockQueue, absl::StrCat("SELECT ", q,
                                              " FROM workflow.queues q WHERE q.queue_id = $1"
                                              " FOR UPDATE OF q"));
  connection.prepare(
      kListQueues,
      absl::StrCat("SELECT ", q,
                   " FROM workflow.queues q JOIN workflow.departments d"
                   " ON d.department_id = q.department_id WHERE q.administration_id = $1"
                   " AND ($2 = '' OR q.department_id::text = $2) AND (q.active OR $3)"
                   " ORDER BY d.name, q.department_id, q.name, q.queue_id LIMIT $4 OFFSET $5"));
  connection.prepare(kQueueAutoAssigns,
                     "SELECT auto_assign AND active FROM workflow.queues WHERE queue_id = $1");
  connection.prepare(kClaimableQueues,
                     "SELECT queue_id::text FROM workflow.queues WHERE active AND"
                     " CASE WHEN cardinality($2::uuid[]) > 0 THEN queue_id = ANY($2::uuid[])"
                     " ELSE department_id = ANY($1::uuid[]) END ORDER BY queue_id");

  const std::string& a = AgentColumns();
  connection.prepare(kPrincipalTaken,
                     "SELECT agent_id::text FROM workflow.agents"
                     " WHERE principal_id = $1 AND agent_id::text <> $2");
  connection.prepare(
      kInsertAgent,
      absl::StrCat("INSERT INTO workflow.agents AS a (agent_id, administration_id, principal_id,"
                   " display_name, role, active, department_ids, queue_ids, agent, version)"
                   " VALUES ($1, $2, $3, $4, $5, true, $6::uuid[], $7::uuid[], $8, 1)"
                   " RETURNING ",
                   a));
  connection.prepare(
      kUpdateAgent,
      absl::StrCat("UPDATE workflow.agents AS a SET display_name = $2, role = $3, active = $4,"
                   " department_ids = $5::uuid[], queue_ids = $6::uuid[], agent = $7,"
                   " version = a.version + 1 WHERE a.agent_id = $1 RETURNING ",
                   a));
  connection.prepare(kSelectAgent,
                     absl::StrCat("SELECT ", a, " FROM workflow.agents a WHERE a.agent_id = $1"));
  connection.prepare(kLockAgent, absl::StrCat("SELECT ", a,
                                              " FROM workflow.agents a WHERE a.agent_id = $1"
                                              " FOR UPDATE"));
  connection.prepare(
      kSelectAgentByPrincipal,
      absl::StrCat("SELECT ", a, " FROM workflow.agents a WHERE a.principal_id = $1"));
  // An agent works a queue they list, or any queue of their departments when they list none.
  connection.prepare(
      kListAgents,
      absl::StrCat(
          "SELECT ", a,
          " FROM workflow.agents a WHERE a.administration_id = $1"
          " AND ($2 = '' OR a.department_ids @> ARRAY[nullif($2, '')::uuid])"
          " AND ($3 = '' OR a.queue_ids @> ARRAY[nullif($3, '')::uuid] OR (a.queue_ids = '{}'"
          " AND EXISTS (SELECT 1 FROM workflow.queues q WHERE q.queue_id = nullif($3, '')::uuid"
          " AND q.department_id = ANY(a.department_ids))))"
          " AND ($4 = 0 OR a.role = $4) AND (a.active OR $5)"
          " ORDER BY a.display_name, a.agent_id LIMIT $6 OFFSET $7"));
  connection.prepare(kLockAssignableAgents, absl::StrCat("SELECT ", a,
                                                         " FROM workflow.agents a WHERE a.active"
                                                         " AND a.department_ids @> ARRAY[$1::uuid]"
                                                         " ORDER BY a.agent_id FOR UPDATE OF a"));
}

absl::Status PgOrganisationStore::CheckDepartmentNameFree(pqxx::transaction_base& tx,
                                                          const v1::Department& department) {
  const pqxx::result taken = tx.exec_prepared(kDepartmentNameTaken, department.administration_id(),
                                              department.name(), department.department_id());
  if (!taken.empty()) {
    return absl::AlreadyExistsError(absl::StrCat("department name '", department.name(),
                                                 "' is already used by department ",
                                                 taken[0][0].as<std::string>()));
  }
  return absl::OkStatus();
}

v1::Department PgOrganisationStore::InsertDepartment(pqxx::transaction_base& tx,
                                                     const v1::Department& department,
                                                     absl::Time now) {
  return RowToDepartment(tx.exec_prepared1(
      kInsertDepartment, department.department_id(), department.administration_id(),
      department.name(), NullIfEmpty(department.parent_department_id()),
      NullIfEmpty(department.escalation_queue_id()), absl::ToUnixMicros(now)));
}

v1::Department PgOrganisationStore::UpdateDepartment(pqxx::transaction_base& tx,
                                                     const v1::Department& department,
                                                     absl::Time now) {
  return RowToDepartment(tx.exec_prepared1(
      kUpdateDepartment, department.department_id(), department.name(),
      NullIfEmpty(department.parent_department_id()), NullIfEmpty(department.escalation_queue_id()),
      department.active(), absl::ToUnixMicros(now)));
}

std::optional<v1::Department> PgOrganisationStore::FindDepartment(pqxx::transaction_base& tx,
                                                                  const std::string& department_id,
                                                                  bool lock) {
  return FindOne(tx, lock ? kLockDepartment : kSelectDepartment, department_id, RowToDepartment);
}

std::vector<v1::Department> PgOrganisationStore::ListDepartments(
    pqxx::transaction_base& tx, const std::string& administration_id, bool include_inactive,
    ListWindow window) {
  std::vector<v1::Department> departments;
  for (const pqxx::row& row : tx.exec_prepared(kListDepartments, administration_id,
                                               include_inactive, window.limit, window.offset)) {
    departments.push_back(RowToDepartment(row));
  }
  return departments;
}

absl::Status PgOrganisationStore::CheckQueueNameFree(pqxx::transaction_base& tx,
                                                     const v1::Queue& queue) {
  const pqxx::result taken =
      tx.exec_prepared(kQueueNameTaken, queue.department_id(), queue.name(), queue.queue_id());
  if (!taken.empty()) {
    return absl::AlreadyExistsError(
        absl::StrCat("queue name '", queue.name(), "' is already used in department ",
                     queue.department_id(), " by queue ", taken[0][0].as<std::string>()));
  }
  return absl::OkStatus();
}

v1::Queue PgOrganisationStore::InsertQueue(pqxx::transaction_base& tx, const v1::Queue& queue,
                                           absl::Time now) {
  return RowToQueue(tx.exec_prepared1(kInsertQueue, queue.queue_id(), queue.administration_id(),
                                      queue.department_id(), queue.name(), queue.description(),
                                      queue.auto_assign(), absl::ToUnixMicros(now)));
}

v1::Queue PgOrganisationStore::UpdateQueue(pqxx::transaction_base& tx, const v1::Queue& queue,
                                           absl::Time now) {
  return RowToQueue(tx.exec_prepared1(kUpdateQueue, queue.queue_id(), queue.name(),
                                      queue.description(), queue.auto_assign(), queue.active(),
                                      absl::ToUnixMicros(now)));
}

std::optional<v1::Queue> PgOrganisationStore::FindQueue(pqxx::transaction_base& tx,
                                                        const std::string& queue_id, bool lock) {
  return FindOne(tx, lock ? kLockQueue : kSelectQueue, queue_id, RowToQueue);
}

std::vector<v1::Queue> PgOrganisationStore::ListQueues(pqxx::transaction_base& tx,
                                                       const std::string& administration_id,
                                                       const std::string& department_id,
                                                       bool include_inactive, ListWindow window) {
  std::vector<v1::Queue> queues;
  for (const pqxx::row& row : tx.exec_prepared(kListQueues, administration_id, department_id,
                                               include_inactive, window.limit, window.offset)) {
    queues.push_back(RowToQueue(row));
  }
  return queues;
}

absl::Status PgOrganisationStore::CheckPrincipalFree(pqxx::transaction_base& tx,
                                                     const v1::Agent& agent) {
  if (!tx.exec_prepared(kPrincipalTaken, agent.principal_id(), agent.agent_id()).empty()) {
    return absl::AlreadyExistsError(
        absl::StrCat("principal_id '", agent.principal_id(), "' is already an agent"));
  }
  return absl::OkStatus();
}

v1::Agent PgOrganisationStore::InsertAgent(pqxx::transaction_base& tx, const v1::Agent& agent,
                                           absl::Time now) {
  v1::Agent stored = agent;
  stored.set_active(true);
  *stored.mutable_create_time() = ToTimestamp(now);
  *stored.mutable_update_time() = ToTimestamp(now);
  const std::string bytes = StoredAgent(stored);
  return RowToAgent(tx.exec_prepared1(kInsertAgent, stored.agent_id(), stored.administration_id(),
                                      stored.principal_id(), stored.display_name(),
                                      static_cast<int>(stored.role()),
                                      db::TextArrayLiteral(Strings(stored.department_ids())),
                                      db::TextArrayLiteral(Strings(stored.queue_ids())),
                                      pqxx::binarystring(bytes.data(), bytes.size())));
}

v1::Agent PgOrganisationStore::UpdateAgent(pqxx::transaction_base& tx, const v1::Agent& agent,
                                           absl::Time now) {
  v1::Agent stored = agent;
  *stored.mutable_update_time() = ToTimestamp(now);
  const std::string bytes = StoredAgent(stored);
  return RowToAgent(tx.exec_prepared1(kUpdateAgent, stored.agent_id(), stored.display_name(),
                                      static_cast<int>(stored.role()), stored.active(),
                                      db::TextArrayLiteral(Strings(stored.department_ids())),
                                      db::TextArrayLiteral(Strings(stored.queue_ids())),
                                      pqxx::binarystring(bytes.data(), bytes.size())));
}

std::optional<v1::Agent> PgOrganisationStore::FindAgent(pqxx::transaction_base& tx,
                                                        const std::string& agent_id, bool lock) {
  return FindOne(tx, lock ? kLockAgent : kSelectAgent, agent_id, RowToAgent);
}

std::optional<v1::Agent> PgOrganisationStore::FindAgentByPrincipal(
    pqxx::transaction_base& tx, const std::string& principal_id) {
  return FindOne(tx, kSelectAgentByPrincipal, principal_id, RowToAgent);
}

std::vector<v1::Agent> PgOrganisationStore::ListAgents(pqxx::transaction_base& tx,
                                                       const std::string& administration_id,
                                                       const std::string& department_id,
                                                       const std::string& queue_id, int role,
                                                       bool include_inactive, ListWindow window) {
  std::vector<v1::Agent> agents;
  for (const pqxx::row& row :
       tx.exec_prepared(kListAgents, administration_id, department_id, queue_id, role,
                        include_inactive, window.limit, window.offset)) {
    agents.push_back(RowToAgent(row));
  }
  return agents;
}

std::vector<AgentProfile> PgOrganisationStore::LockAssignableAgents(
    pqxx::transaction_base& tx, const std::string& department_id) {
  std::vector<AgentProfile> profiles;
  for (const pqxx::row& row : tx.exec_prepared(kLockAssignableAgents, department_id)) {
    profiles.push_back(ToProfile(RowToAgent(row)));
  }
  return profiles;
}

bool PgOrganisationStore::QueueAutoAssigns(pqxx::transaction_base& tx,
                                           const std::string& queue_id) {
  const pqxx::result rows = tx.exec_prepared(kQueueAutoAssigns, queue_id);
  return !rows.empty() && rows[0][0].as<bool>();
}

std::vector<std::string> PgOrganisationStore::ClaimableQueues(pqxx::transaction_base& tx,
                                                              const v1::Agent& agent) {
  std::vector<std::string> queues;
  for (const pqxx::row& row :
       tx.exec_prepared(kClaimableQueues, db::TextArrayLiteral(Strings(agent.department_ids())),
                        db::TextArrayLiteral(Strings(agent.queue_ids())))) {
    queues.push_back(row[0].as<std::string>());
  }
  return queues;
}

AgentProfile PgOrganisationStore::ToProfile(const v1::Agent& agent) {
  AgentProfile profile;
  profile.agent_id = agent.agent_id();
  profile.active = agent.active();
  profile.department_ids = Strings(agent.department_ids());
  profile.queue_ids = Strings(agent.queue_ids());
  profile.categories = Strings(agent.categories());
  profile.territory_prefixes = Strings(agent.territory_prefixes());
  profile.capacity = agent.capacity();
  for (const type::v1::Interval& absence : agent.absences()) {
    Absence& period = profile.absences.emplace_back();
    if (absence.has_start_time()) {
      period.start = FromTimestamp(absence.start_time());
    }
    if (absence.has_end_time()) {
      period.end = FromTimestamp(absence.end_time());
    }
  }
  profile.open_cases = agent.open_case_count();
  return profile;
}

}  // namespace doleances::workflow
