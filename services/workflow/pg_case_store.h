#pragma once

#include "common/db/connection_pool.h"
#include "common/events/event_log.h"
#include "services/workflow/case_record.h"

#include <absl/status/statusor.h>
#include <pqxx/transaction>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace doleances::workflow {

// PostgreSQL storage of workflow's cases and routing configuration (schema `workflow`).
class PgCaseStore {
 public:
  explicit PgCaseStore(db::ConnectionPool& pool) : pool_(pool) {}

  static void PrepareStatements(pqxx::connection& connection);

  // The pool the store runs on, for RPCs that combine several stores in one transaction.
  db::ConnectionPool& pool() { return pool_; }

  // The administration's enabled rules and default queue, read within `tx`.
  static RoutingConfig LoadRoutingConfig(pqxx::transaction_base& tx,
                                         const std::string& administration_id);

  // Creates `record` with its first history entry within `tx` and fills in its department (its
  // queue's); false (and nothing written) when the complaint already has a case, so that a
  // redelivered ComplaintReceived changes nothing.
  static bool CreateCase(pqxx::transaction_base& tx, CaseRecord& record,
                         const CaseHistoryEntry& first_entry);

  // Within `tx`, adds to the locked case `current` an entry that changes neither its state nor
  // its version (a note). Returns the entry as stored.
  static CaseHistoryEntry AddEntryLocked(pqxx::transaction_base& tx, const CaseRecord& current,
                                         CaseHistoryEntry entry);

  // The case, locked for the rest of `tx` (SELECT ... FOR UPDATE); empty if there is none.
  static std::optional<CaseRecord> Lock(pqxx::transaction_base& tx, const std::string& case_id);

  // Lock for a caller who read `expected_version`: NOT_FOUND without the case, ABORTED when it
  // has moved on since.
  static absl::StatusOr<CaseRecord> LockAtVersion(pqxx::transaction_base& tx,
                                                  const std::string& case_id,
                                                  int64_t expected_version);

  // NOT_FOUND when no case has this id.
  absl::StatusOr<CaseRecord> Get(const std::string& case_id);

  // The complaint's current case (its newest, after transfers); NOT_FOUND when workflow has not
  // created it (yet).
  absl::StatusOr<CaseRecord> GetByComplaint(const std::string& complaint_id);

  // Builds the event announcing a transition from the case as updated and the entry as recorded
  // (with the state the case actually left).
  using EventMaker =
      std::function<events::NewEvent(const CaseRecord& updated, const CaseHistoryEntry& entry)>;

  // Within `tx`, moves the locked case `current` to `entry.to_state`: the state and versions,
  // the history entry, `make_event`'s event, then the clocks as the transition's clock effect
  // says, their events after the transition's. Returns the case as it now is.
  static absl::StatusOr<CaseRecord> TransitionLocked(pqxx::transaction_base& tx,
                                                     const CaseRecord& current,
                                                     CaseHistoryEntry entry,
                                                     const EventMaker& make_event);

  // TransitionLocked in a transaction of its own: ABORTED when `expected_version` is not the
  // current version; `check(current)` may refuse (its status is returned, nothing is written);
  // `also`, if given, writes what goes with the transition in the same transaction.
  absl::StatusOr<CaseRecord> Transition(
      const std::string& case_id, int64_t expected_version, CaseHistoryEntry entry,
      const std::function<absl::Status(const CaseRecord& current)>& check,
      const EventMaker& make_event,
      const std::function<absl::Status(pqxx::transaction_base&, const CaseRecord&)>& also =
          nullptr);

  // One page of cases matching `filter` in its order, after `cursor` (empty for the first page;
  // otherwise the next_cursor of the previous page). INVALID_ARGUMENT for a cursor this did not
  // issue.
  struct Page {
    std::vector<CaseRecord> cases;
    std::string next_cursor;  // Empty when there are no more.
  };
  absl::StatusOr<Page> List(const CaseFilter& filter, const std::string& cursor, int limit);

  // The case's history, oldest first, after the entries of the earlier cases of its transfer or
  // appeal chain.
  absl::StatusOr<std::vector<CaseHistoryEntry>> History(const std::string& case_id);

 private:
  db::ConnectionPool& pool_;
};

}  // namespace doleances::workflow
