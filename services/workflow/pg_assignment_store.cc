#include "services/workflow/pg_assignment_store.h"

#include "common/db/pg_arrays.h"

#include <pqxx/pqxx>

namespace doleances::workflow {
namespace {

constexpr char kSetAssignee[] = "workflow_update_case_assignee";
constexpr char kLockNextClaimable[] = "workflow_lock_next_claimable_case";

}  // namespace

void PgAssignmentStore::PrepareStatements(pqxx::connection& connection) {
  connection.prepare(kSetAssignee, "UPDATE workflow.cases SET assignee_id = $2 WHERE case_id = $1");
  // ROUTED = 2; the order is ListCases' default (most urgent first), served by cases_claimable.
  connection.prepare(kLockNextClaimable,
                     "SELECT case_id::text FROM workflow.cases WHERE queue_id = ANY($1::uuid[])"
                     " AND state = 2 AND assignee_id IS NULL"
                     " ORDER BY next_due_time NULLS LAST, priority DESC, receive_time, case_id"
                     " LIMIT 1 FOR UPDATE SKIP LOCKED");
}

void PgAssignmentStore::SetAssignee(pqxx::transaction_base& tx, const std::string& case_id,
                                    const std::string& agent_id) {
  tx.exec_prepared(kSetAssignee, case_id, agent_id);
}

std::optional<std::string> PgAssignmentStore::LockNextClaimable(
    pqxx::transaction_base& tx, const std::vector<std::string>& queue_ids) {
  const pqxx::result rows = tx.exec_prepared(kLockNextClaimable, db::TextArrayLiteral(queue_ids));
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows[0][0].as<std::string>();
}

}  // namespace doleances::workflow
