#pragma once

#include <pqxx/connection>
#include <pqxx/transaction>

#include <optional>
#include <string>
#include <vector>

namespace doleances::workflow {

// PostgreSQL statements of case assignment (schema `workflow`), within the caller's transaction.
class PgAssignmentStore {
 public:
  static void PrepareStatements(pqxx::connection& connection);

  // Records `agent_id` as the case's assignee (the transition that goes with it is the caller's).
  static void SetAssignee(pqxx::transaction_base& tx, const std::string& case_id,
                          const std::string& agent_id);

  // The most urgent unassigned ROUTED case of `queue_ids` (earliest next_due_time, cases without
  // one last, then highest priority, then oldest receipt), locked for the rest of `tx`. Cases
  // another transaction holds are skipped (FOR UPDATE SKIP LOCKED), so concurrent claimers never
  // get the same case and never wait for each other. Empty when none waits.
  static std::optional<std::string> LockNextClaimable(pqxx::transaction_base& tx,
                                                      const std::vector<std::string>& queue_ids);
};

}  // namespace doleances::workflow
