#pragma once

#include "doleances/workflow/v1/organisation.pb.h"
#include "services/workflow/assignment.h"

#include <absl/status/status.h>
#include <absl/time/time.h>
#include <pqxx/connection>
#include <pqxx/transaction>

#include <optional>
#include <string>
#include <vector>

namespace doleances::workflow {

// Which slice of a list to return: `limit` rows from `offset`.
struct ListWindow {
  int limit = 50;
  int offset = 0;
};

// PostgreSQL storage of departments, queues and agents (schema `workflow`). Every function works
// within the caller's transaction. Uniqueness (department name in the administration, queue name
// in the department, agent principal) is checked before writing, so that ALREADY_EXISTS says
// what clashed; the constraints remain the backstop against concurrent writers.
//
// An agent's open cases are the cases assigned to them in a state where work is pending:
// neither final nor RESPONDED (awaiting the appeal window only).
class PgOrganisationStore {
 public:
  static void PrepareStatements(pqxx::connection& connection);

  // Departments. Save* take a department with its id set; Insert creates it at version 1,
  // Update writes it at version + 1 (the caller checked the version under Lock*).
  static absl::Status CheckDepartmentNameFree(pqxx::transaction_base& tx,
                                              const v1::Department& department);
  static v1::Department InsertDepartment(pqxx::transaction_base& tx,
                                         const v1::Department& department, absl::Time now);
  static v1::Department UpdateDepartment(pqxx::transaction_base& tx,
                                         const v1::Department& department, absl::Time now);
  // The department, locked for the rest of `tx` when `lock`.
  static std::optional<v1::Department> FindDepartment(pqxx::transaction_base& tx,
                                                      const std::string& department_id,
                                                      bool lock = false);
  // By name, then id.
  static std::vector<v1::Department> ListDepartments(pqxx::transaction_base& tx,
                                                     const std::string& administration_id,
                                                     bool include_inactive, ListWindow window);

  // Queues, as departments.
  static absl::Status CheckQueueNameFree(pqxx::transaction_base& tx, const v1::Queue& queue);
  static v1::Queue InsertQueue(pqxx::transaction_base& tx, const v1::Queue& queue, absl::Time now);
  static v1::Queue UpdateQueue(pqxx::transaction_base& tx, const v1::Queue& queue, absl::Time now);
  static std::optional<v1::Queue> FindQueue(pqxx::transaction_base& tx, const std::string& queue_id,
                                            bool lock = false);
  // By department name, then queue name; `department_id` empty for every department.
  static std::vector<v1::Queue> ListQueues(pqxx::transaction_base& tx,
                                           const std::string& administration_id,
                                           const std::string& department_id, bool include_inactive,
                                           ListWindow window);

  // Agents, as departments; principal ids are unique across administrations.
  static absl::Status CheckPrincipalFree(pqxx::transaction_base& tx, const v1::Agent& agent);
  static v1::Agent InsertAgent(pqxx::transaction_base& tx, const v1::Agent& agent, absl::Time now);
  static v1::Agent UpdateAgent(pqxx::transaction_base& tx, const v1::Agent& agent, absl::Time now);
  static std::optional<v1::Agent> FindAgent(pqxx::transaction_base& tx, const std::string& agent_id,
                                            bool lock = false);
  static std::optional<v1::Agent> FindAgentByPrincipal(pqxx::transaction_base& tx,
                                                       const std::string& principal_id);
  // By display name, then id. Empty filters and role 0 match any.
  static std::vector<v1::Agent> ListAgents(pqxx::transaction_base& tx,
                                           const std::string& administration_id,
                                           const std::string& department_id,
                                           const std::string& queue_id, int role,
                                           bool include_inactive, ListWindow window);

  // The active agents of `department_id` with their open cases, locked for the rest of `tx` (in
  // agent_id order) so that concurrent automatic assignments never overfill one agent.
  static std::vector<AgentProfile> LockAssignableAgents(pqxx::transaction_base& tx,
                                                        const std::string& department_id);

  // Whether the queue asks for automatic assignment of the cases routed to it.
  static bool QueueAutoAssigns(pqxx::transaction_base& tx, const std::string& queue_id);

  // The queues whose cases `agent` may claim: theirs, or every active queue of their departments.
  static std::vector<std::string> ClaimableQueues(pqxx::transaction_base& tx,
                                                  const v1::Agent& agent);

  // The agent as assignment sees them.
  static AgentProfile ToProfile(const v1::Agent& agent);
};

}  // namespace doleances::workflow
