#pragma once

#include "common/db/connection_pool.h"
#include "common/events/event_log.h"
#include "services/mediation/mediation_record.h"

#include <absl/status/statusor.h>
#include <pqxx/transaction>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace doleances::mediation {

// Builds one event of a change once the mediation's new version is known: `aggregate_version`
// is the version the event announces (consecutive for the events of one change).
using EventMaker =
    std::function<events::NewEvent(const MediationRecord& after, int64_t aggregate_version)>;

// What a change did: the events to append, in order. No events means nothing changed on the
// mediation itself (a replayed request, a note): its row and version stay as they were.
using ChangeBody = std::function<absl::StatusOr<std::vector<EventMaker>>(
    pqxx::transaction_base& tx, MediationRecord& mediation)>;

// Filters of ListMediations, already narrowed to what the caller may see.
struct MediationFilter {
  std::vector<std::string> administration_ids;  // Empty: any.
  std::string mediator_id;                      // Empty: any.
  std::vector<int> states;                      // Empty: any.
  std::string complaint_id;                     // Empty: any.
  bool unassigned_only = false;
};

// PostgreSQL storage of mediations and what hangs from them (schema `mediation`).
class PgMediationStore {
 public:
  explicit PgMediationStore(db::ConnectionPool& pool) : pool_(pool) {}

  static void PrepareStatements(pqxx::connection& connection);

  // Inserts `mediation` unless its complaint already has one, then runs `after_insert` on the
  // new row (automatic assignment) and appends its events. Returns the mediation and whether
  // this call created it; a concurrent or retried call gets the existing one, unchanged.
  absl::StatusOr<std::pair<MediationRecord, bool>> Open(const MediationRecord& mediation,
                                                        const ChangeBody& after_insert);

  // Runs `body` on the mediation under a row lock, in one transaction: NOT_FOUND if unknown,
  // ABORTED if `expected_version` (0 skips the check) is not current. When `body` returns
  // events, the mediation's row is rewritten with its version advanced by their number and the
  // events are appended with consecutive versions.
  absl::StatusOr<MediationRecord> Change(const std::string& mediation_id, int64_t expected_version,
                                         absl::string_view transaction_name,
                                         const ChangeBody& body);

  // The mediation with its sessions and proposals; NOT_FOUND if unknown.
  absl::StatusOr<MediationFile> Get(const std::string& mediation_id);

  // The mediation a session belongs to; NOT_FOUND if no session has this id.
  absl::StatusOr<std::string> MediationOfSession(const std::string& session_id);

  // A page of mediations with their sessions and proposals, most urgent running deadline first.
  absl::StatusOr<std::vector<MediationFile>> List(const MediationFilter& filter, int offset,
                                                  int limit);

  // A page of notes, oldest first.
  absl::StatusOr<std::vector<NoteRecord>> ListNotes(const std::string& mediation_id, int offset,
                                                    int limit);

  // Open mediations per administration, for the gauge.
  absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> CountOpenByAdministration();

  // Statements for use inside a ChangeBody.
  // The session with this request id, if any.
  static std::optional<SessionRecord> FindSessionByRequest(pqxx::transaction_base& tx,
                                                           const std::string& mediation_id,
                                                           const std::string& request_id);
  // Inserts a SCHEDULED session; FAILED_PRECONDITION (MEDIATOR_BUSY) if the mediator already
  // has an overlapping scheduled session, even one committed concurrently.
  static absl::Status InsertSession(pqxx::transaction_base& tx, const SessionRecord& session);
  // The session locked until `tx` ends; NOT_FOUND if unknown.
  static absl::StatusOr<SessionRecord> LockSession(pqxx::transaction_base& tx,
                                                   const std::string& session_id);
  // Rewrites the session's time, place, state and motive; same MEDIATOR_BUSY rule.
  static absl::Status UpdateSession(pqxx::transaction_base& tx, const SessionRecord& session);
  // Cancels the mediation's sessions that start after `now` (the mediation closed).
  static void CancelFutureSessions(pqxx::transaction_base& tx, const std::string& mediation_id,
                                   absl::Time now);
  // Inserts an OPEN proposal, superseding the mediation's earlier open ones.
  static void InsertProposal(pqxx::transaction_base& tx, const ProposalRecord& proposal);
  // The proposal with its responses, locked; NOT_FOUND if not one of this mediation's.
  static absl::StatusOr<ProposalRecord> LockProposal(pqxx::transaction_base& tx,
                                                     const std::string& mediation_id,
                                                     const std::string& proposal_id);
  // Records a response and the proposal's resulting state.
  static void RecordResponse(pqxx::transaction_base& tx, const ProposalRecord& proposal,
                             const ProposalResponseRecord& response);
  // Supersedes the mediation's open proposals (the mediation closed).
  static void SupersedeOpenProposals(pqxx::transaction_base& tx, const std::string& mediation_id);
  static void InsertNote(pqxx::transaction_base& tx, const NoteRecord& note);

  // Statements of a timer pass (MediationDeadlineTimer), inside its transaction.
  // Locks and returns up to `limit` mediations with a timer due at `now`, skipping those another
  // transaction holds (FOR UPDATE SKIP LOCKED), so two replicas never claim one at once.
  static std::vector<MediationRecord> ClaimDueTimers(pqxx::transaction_base& tx, absl::Time now,
                                                     int limit);
  // The mediation's OPEN proposals, oldest first.
  static std::vector<ProposalRecord> OpenProposals(pqxx::transaction_base& tx,
                                                   const std::string& mediation_id);
  // Stores what a timer pass marked on a claimed mediation and its `proposals` (fired flags,
  // EXPIRED), re-arms its next timer and appends `makers`' events, advancing the version by their
  // number. Returns the mediation as written.
  static absl::StatusOr<MediationRecord> WriteFired(pqxx::transaction_base& tx,
                                                    const MediationRecord& fired,
                                                    const std::vector<ProposalRecord>& proposals,
                                                    const std::vector<EventMaker>& makers);

 private:
  db::ConnectionPool& pool_;
};

}  // namespace doleances::mediation
