#pragma once

#include "common/db/connection_pool.h"
#include "common/events/event_log.h"
#include "services/intake/complaint_record.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace doleances::intake {

// The outcome of a submission: the stored complaint, and whether it was stored earlier (an
// identical replay under the same idempotency key or external reference).
struct SubmitResult {
  ComplaintRecord record;
  bool replayed = false;
};

// One page of a listing, newest first.
struct ListFilter {
  std::optional<std::string> submitter_id;                  // Only this system's complaints.
  std::optional<std::vector<std::string>> administrations;  // Only these (nullopt: any).
  std::vector<int> statuses;                                // Any of these (empty: any).
  std::vector<int> kinds;                                   // Any of these (empty: any).
  std::optional<std::string> external_reference;
  std::optional<absl::Time> created_after;   // Inclusive.
  std::optional<absl::Time> created_before;  // Exclusive.
};

// Keyset cursor: the (create_time, complaint_id) of the last row of the previous page.
struct ListCursor {
  absl::Time create_time;
  std::string complaint_id;
};

// PostgreSQL storage of intake's complaints (schema `intake`).
class PgComplaintStore {
 public:
  explicit PgComplaintStore(db::ConnectionPool& pool) : pool_(pool) {}

  static void PrepareStatements(pqxx::connection& connection);

  // One submission: the complaint to store, under `idempotency_key` of its submitter, and its
  // ComplaintReceived event.
  struct Submission {
    ComplaintRecord record;
    std::string idempotency_key;
    events::NewEvent event;
  };

  // Stores every new complaint of `items` and appends its event, in one transaction and with a
  // few set-based statements whatever the number of items (decision 0007). Results are in item
  // order, each item on its own:
  // - replays: the same key, or the same external reference, with the same request_hash returns
  //   the stored complaint (replayed = true), also between items of `items`;
  // - FAILED_PRECONDITION when the key was used for different content; ALREADY_EXISTS (the
  //   message names the existing complaint) when the external reference was;
  // - ABORTED on a tracking-code collision, or when an earlier item with the same key or
  //   reference was refused: prepare the item again (a new code) and resubmit it;
  // - a row the database refuses fails alone (the batch is then retried item by item).
  // The call itself fails only when the transaction does (then nothing is stored).
  absl::StatusOr<std::vector<absl::StatusOr<SubmitResult>>> SubmitBatch(
      const std::vector<Submission>& items);

  // NOT_FOUND when no complaint has this id.
  absl::StatusOr<ComplaintRecord> Get(const std::string& complaint_id);
  // The complaints of these ids that exist, in no particular order. The ids must be UUIDs.
  absl::StatusOr<std::vector<ComplaintRecord>> GetMany(
      const std::vector<std::string>& complaint_ids);

  // NOT_FOUND when no complaint has this (canonical) tracking code.
  absl::StatusOr<ComplaintRecord> GetByTrackingCode(const std::string& tracking_code);

  // Up to `limit` complaints matching `filter`, newest first, after `cursor`.
  absl::StatusOr<std::vector<ComplaintRecord>> List(const ListFilter& filter,
                                                    const std::optional<ListCursor>& cursor,
                                                    int limit);

  // Records a status change of `complaint_id` inside the caller's transaction (the event
  // consumer's): bumps the complaint's version and appends the change. NOT_FOUND for an unknown
  // complaint. `message`: the change's public text, if any.
  static absl::StatusOr<StatusChange> ApplyStatusChange(pqxx::transaction_base& tx,
                                                        const std::string& complaint_id, int status,
                                                        int entry_type, int actor_kind,
                                                        absl::Time change_time,
                                                        const std::string& message = "");

  // Withdraws the complaint and appends `event` (ComplaintWithdrawn), in one transaction.
  // FAILED_PRECONDITION unless the complaint is still open; NOT_FOUND for an unknown complaint.
  // `make_event` builds the event from the change once its version is known.
  absl::StatusOr<StatusChange> Withdraw(
      const std::string& complaint_id, absl::Time now,
      const std::function<events::NewEvent(const StatusChange&)>& make_event);

  // Stores a citizen message and appends `make_event`'s event (CitizenMessageReceived), in one
  // transaction, adding a CITIZEN_MESSAGE entry to the history. With an idempotency key already
  // used for this complaint, returns the stored message (replayed) and appends nothing.
  // FAILED_PRECONDITION on a final file; NOT_FOUND for an unknown complaint.
  absl::StatusOr<CitizenMessageRecord> AddCitizenMessage(
      const std::string& complaint_id, const CitizenMessageRecord& message,
      const std::optional<std::string>& idempotency_key, absl::Time now,
      const std::function<events::NewEvent(const StatusChange&)>& make_event);

  // The citizen messages of a complaint, oldest first, after `after_message_id` (a keyset
  // cursor; empty for the first page), at most `limit`.
  absl::StatusOr<std::vector<CitizenMessageRecord>> ListCitizenMessages(
      const std::string& complaint_id, const std::string& after_message_id, int limit);

  // Stores the survey and appends `make_event`'s event (FeedbackReceived), adding a FEEDBACK
  // entry to the history. FAILED_PRECONDITION before a response or closure; ALREADY_EXISTS when
  // the complaint already has one; NOT_FOUND for an unknown complaint.
  absl::StatusOr<FeedbackRecord> SubmitFeedback(
      const std::string& complaint_id, const FeedbackRecord& feedback, absl::Time now,
      const std::function<events::NewEvent(const StatusChange&)>& make_event);

  // Locks the complaint within `tx` and returns its status; nullopt for an unknown complaint.
  static std::optional<int> LockComplaint(pqxx::transaction_base& tx,
                                          const std::string& complaint_id);

  // The stored clock `clock` of a complaint, locked for update within `tx` (nullopt if none).
  static std::optional<std::string> LockDeadline(pqxx::transaction_base& tx,
                                                 const std::string& complaint_id, int clock);
  // Creates or replaces the clock `clock` of a complaint within `tx`.
  static void SaveDeadline(pqxx::transaction_base& tx, const std::string& complaint_id, int clock,
                           const std::string& deadline);
  // Every clock of a complaint (serialized Deadlines), by clock kind.
  absl::StatusOr<std::vector<std::string>> Deadlines(const std::string& complaint_id);

  // Changes of `complaint_id` with a version above `after_version`, oldest first.
  absl::StatusOr<std::vector<StatusChange>> ChangesAfter(const std::string& complaint_id,
                                                         int64_t after_version);

  // Deletes idempotency keys older than `retention`; returns how many.
  absl::StatusOr<int64_t> PurgeIdempotencyKeys(absl::Duration retention);

 private:
  db::ConnectionPool& pool_;
};

}  // namespace doleances::intake
