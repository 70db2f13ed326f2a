#include "services/intake/pg_complaint_store.h"

#include "common/db/pg_arrays.h"
#include "common/db/pg_status.h"
#include "common/db/pg_time.h"
#include "common/db/transaction.h"
#include "services/intake/complaint_mapping.h"
#include "services/intake/pg_complaint_rows.h"
#include "services/intake/pg_submit_batch.h"

#include <absl/strings/str_cat.h>
#include <pqxx/pqxx>

namespace doleances::intake {
namespace {

constexpr char kSelectById[] = "intake_select_complaint_by_id";
constexpr char kSelectByIds[] = "intake_select_complaints_by_ids";
constexpr char kSelectByTrackingCode[] = "intake_select_complaint_by_tracking_code";
constexpr char kList[] = "intake_list_complaints";
constexpr char kPurgeKeys[] = "intake_purge_idempotency_keys";
constexpr char kLockStatus[] = "intake_lock_complaint_status";
constexpr char kBumpVersion[] = "intake_bump_complaint_version";
constexpr char kInsertChange[] = "intake_insert_status_change";
constexpr char kChangesAfter[] = "intake_select_status_changes";
constexpr char kInsertMessage[] = "intake_insert_citizen_message";
constexpr char kSelectMessageByKey[] = "intake_select_citizen_message_by_key";
constexpr char kListMessages[] = "intake_list_citizen_messages";
constexpr char kInsertFeedback[] = "intake_insert_feedback";
constexpr char kLockDeadline[] = "intake_lock_deadline";
constexpr char kSaveDeadline[] = "intake_save_deadline";
constexpr char kSelectDeadlines[] = "intake_select_deadlines";

using pg::Bytes;
using pg::kComplaintColumns;
using pg::Micros;
using pg::RowToRecord;

// Statement errors that come from the rows themselves (a constraint, a value the database
// refuses), as opposed to the connection or a timeout: another try, item by item, isolates them.
bool IsRefusedRow(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInternal ||
         status.code() == absl::StatusCode::kAlreadyExists ||
         status.code() == absl::StatusCode::kInvalidArgument;
}

std::optional<int64_t> OptionalMicros(const std::optional<absl::Time>& time) {
  if (!time.has_value()) {
    return std::nullopt;
  }
  return Micros(*time);
}

std::optional<std::string> ArrayLiteral(const std::optional<std::vector<std::string>>& values) {
  if (!values.has_value()) {
    return std::nullopt;
  }
  return db::TextArrayLiteral(*values);
}

}  // namespace

void PgComplaintStore::PrepareStatements(pqxx::connection& connection) {
  pg::PrepareSubmitStatements(connection);
  connection.prepare(kSelectById, absl::StrCat("SELECT ", kComplaintColumns,
                                               " FROM intake.complaints WHERE complaint_id = $1"));
  // Ids compared as uuid (the primary key's type); the caller validated them.
  connection.prepare(kSelectByIds,
                     absl::StrCat("SELECT ", kComplaintColumns,
                                  " FROM intake.complaints WHERE complaint_id = ANY ($1::uuid[])"));
  connection.prepare(kSelectByTrackingCode,
                     absl::StrCat("SELECT ", kComplaintColumns,
                                  " FROM intake.complaints WHERE tracking_code = $1"));
  connection.prepare(
      kList,
      absl::StrCat("SELECT ", kComplaintColumns,
                   " FROM intake.complaints WHERE ($1::text IS NULL OR submitter_id = $1)"
                   " AND ($2::text[] IS NULL OR administration_id = ANY ($2::text[]))"
                   " AND (cardinality($3::int[]) = 0 OR status = ANY ($3::int[]))"
                   " AND (cardinality($4::int[]) = 0 OR kind = ANY ($4::int[]))"
                   " AND ($5::bigint IS NULL OR create_time >= ",
                   db::TimestampFromMicros("$5"), ")", " AND ($6::bigint IS NULL OR create_time < ",
                   db::TimestampFromMicros("$6"), ")",
                   " AND ($7::bigint IS NULL OR (create_time, complaint_id) < (",
                   db::TimestampFromMicros("$7"),
                   ", $8::uuid))"
                   " AND ($10::text IS NULL OR external_reference = $10)"
                   " ORDER BY create_time DESC, complaint_id DESC LIMIT $9"));
  connection.prepare(kLockStatus,
                     "SELECT status FROM intake.complaints WHERE complaint_id = $1 FOR UPDATE");
  connection.prepare(
      kBumpVersion,
      absl::StrCat("UPDATE intake.complaints SET status = $2, version = version + 1,"
                   " update_time = ",
                   db::TimestampFromMicros("$3"), " WHERE complaint_id = $1 RETURNING version"));
  connection.prepare(
      kInsertChange,
      absl::StrCat("INSERT INTO intake.status_changes (complaint_id, version, status,"
                   " previous_status, entry_type, actor_kind, message, change_time)"
                   " VALUES ($1, $2, $3, $4, $5, $6, $7, ",
                   db::TimestampFromMicros("$8"), ")"));
  connection.prepare(kChangesAfter,
                     "SELECT version, status, previous_status, entry_type, actor_kind,"
                     " (extract(epoch FROM change_time) * 1000000)::bigint, message"
                     " FROM intake.status_changes WHERE complaint_id = $1 AND version > $2"
                     " ORDER BY version");
  connection.prepare(kInsertMessage,
                     "INSERT INTO intake.citizen_messages (message_id, complaint_id,"
                     " idempotency_key, body) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"
                     " RETURNING (extract(epoch FROM create_time) * 1000000)::bigint");
  connection.prepare(kSelectMessageByKey,
                     "SELECT message_id::text, body,"
                     " (extract(epoch FROM create_time) * 1000000)::bigint"
                     " FROM intake.citizen_messages WHERE complaint_id = $1"
                     " AND idempotency_key = $2");
  connection.prepare(kListMessages,
                     "SELECT message_id::text, body,"
                     " (extract(epoch FROM create_time) * 1000000)::bigint"
                     " FROM intake.citizen_messages WHERE complaint_id = $1 AND ($2::uuid IS NULL"
                     " OR (create_time, message_id) > (SELECT create_time, message_id FROM"
                     " intake.citizen_messages WHERE message_id = $2::uuid))"
                     " ORDER BY create_time, message_id LIMIT $3");
  connection.prepare(kInsertFeedback,
                     "INSERT INTO intake.feedback (feedback_id, complaint_id, satisfaction,"
                     " problem_solved, comment) VALUES ($1, $2, $3, $4, $5)"
                     " ON CONFLICT (complaint_id) DO NOTHING"
                     " RETURNING (extract(epoch FROM create_time) * 1000000)::bigint");
  connection.prepare(kLockDeadline,
                     "SELECT deadline FROM intake.deadlines WHERE complaint_id = $1 AND clock = $2"
                     " FOR UPDATE");
  connection.prepare(kSaveDeadline,
                     "INSERT INTO intake.deadlines (complaint_id, clock, deadline)"
                     " VALUES ($1, $2, $3) ON CONFLICT (complaint_id, clock)"
                     " DO UPDATE SET deadline = excluded.deadline");
  connection.prepare(
      kSelectDeadlines,
      "SELECT deadline FROM intake.deadlines WHERE complaint_id = $1 ORDER BY clock");
  connection.prepare(kPurgeKeys,
                     "DELETE FROM intake.idempotency_keys WHERE created_at < now() -"
                     " make_interval(secs => $1)");
}

absl::StatusOr<std::vector<absl::StatusOr<SubmitResult>>> PgComplaintStore::SubmitBatch(
    const std::vector<Submission>& items) {
  using Results = std::vector<absl::StatusOr<SubmitResult>>;
  absl::StatusOr<Results> set_based =
      db::RunInTransaction(pool_, "intake_submit_complaints",
                           [&](pqxx::work& tx) { return pg::SubmitSetInTransaction(tx, items); });
  if (set_based.ok() || !IsRefusedRow(set_based.status())) {
    return set_based;
  }
  // A row the database refused failed a whole set statement: go again item by item, each in a
  // savepoint, so that it fails alone (a few round trips per item, but rare). The savepoints are
  // plain statements: libpqxx 6's subtransaction never sends SAVEPOINT before exec_prepared
  // (jtv/libpqxx#512), so one failed item would silently roll back the whole batch at COMMIT.
  return db::RunInTransaction(
      pool_, "intake_submit_complaints_one_by_one", [&](pqxx::work& tx) -> absl::StatusOr<Results> {
        Results results;
        results.reserve(items.size());
        for (const Submission& item : items) {
          tx.exec0("SAVEPOINT intake_submit_item");
          absl::StatusOr<SubmitResult> result = absl::UnknownError("not run");
          try {
            result = pg::SubmitOneInTransaction(tx, item);
          } catch (const pqxx::broken_connection&) {
            throw;  // The whole transaction is lost: let the helper report it.
          } catch (...) {
            result = db::CurrentPgExceptionToStatus("submit complaint");
          }
          tx.exec0(result.ok() ? "RELEASE SAVEPOINT intake_submit_item"
                               : "ROLLBACK TO SAVEPOINT intake_submit_item");
          results.push_back(std::move(result));
        }
        return results;
      });
}

// Single reads run outside a transaction block: one round trip instead of three.
absl::StatusOr<ComplaintRecord> PgComplaintStore::Get(const std::string& complaint_id) {
  return db::RunWithoutTransaction(
      pool_, "intake_get_complaint",
      [&](pqxx::nontransaction& tx) -> absl::StatusOr<ComplaintRecord> {
        const pqxx::result rows = tx.exec_prepared(kSelectById, complaint_id);
        if (rows.empty()) {
          return absl::NotFoundError(absl::StrCat("complaint ", complaint_id, " not found"));
        }
        return RowToRecord(rows[0]);
      });
}

absl::StatusOr<std::vector<ComplaintRecord>> PgComplaintStore::GetMany(
    const std::vector<std::string>& complaint_ids) {
  return db::RunWithoutTransaction(
      pool_, "intake_get_complaints",
      [&](pqxx::nontransaction& tx) -> absl::StatusOr<std::vector<ComplaintRecord>> {
        std::vector<ComplaintRecord> records;
        for (const pqxx::row& row :
             tx.exec_prepared(kSelectByIds, db::TextArrayLiteral(complaint_ids))) {
          records.push_back(RowToRecord(row));
        }
        return records;
      });
}

absl::StatusOr<ComplaintRecord> PgComplaintStore::GetByTrackingCode(
    const std::string& tracking_code) {
  return db::RunWithoutTransaction(
      pool_, "intake_track_complaint",
      [&](pqxx::nontransaction& tx) -> absl::StatusOr<ComplaintRecord> {
        const pqxx::result rows = tx.exec_prepared(kSelectByTrackingCode, tracking_code);
        if (rows.empty()) {
          // The code is a credential: never echo it back.
          return absl::NotFoundError("no complaint has this tracking code");
        }
        return RowToRecord(rows[0]);
      });
}

absl::StatusOr<std::vector<ComplaintRecord>> PgComplaintStore::List(
    const ListFilter& filter, const std::optional<ListCursor>& cursor, int limit) {
  return db::RunInTransaction(
      pool_, "intake_list_complaints",
      [&](pqxx::work& tx) -> absl::StatusOr<std::vector<ComplaintRecord>> {
        std::vector<ComplaintRecord> records;
        const pqxx::result rows = tx.exec_prepared(
            kList, filter.submitter_id, ArrayLiteral(filter.administrations),
            db::IntArrayLiteral(filter.statuses), db::IntArrayLiteral(filter.kinds),
            OptionalMicros(filter.created_after), OptionalMicros(filter.created_before),
            cursor.has_value() ? std::optional<int64_t>(Micros(cursor->create_time)) : std::nullopt,
            cursor.has_value() ? std::optional<std::string>(cursor->complaint_id) : std::nullopt,
            limit, filter.external_reference);
        for (const pqxx::row& row : rows) {
          records.push_back(RowToRecord(row));
        }
        return records;
      });
}

absl::StatusOr<StatusChange> PgComplaintStore::ApplyStatusChange(
    pqxx::transaction_base& tx, const std::string& complaint_id, int status, int entry_type,
    int actor_kind, absl::Time change_time, const std::string& message) {
  const pqxx::result locked = tx.exec_prepared(kLockStatus, complaint_id);
  if (locked.empty()) {
    return absl::NotFoundError(absl::StrCat("complaint ", complaint_id, " not found"));
  }
  StatusChange change;
  change.previous_status = locked[0][0].as<int>();
  change.status = status;
  change.entry_type = entry_type;
  change.actor_kind = actor_kind;
  change.change_time = change_time;
  change.message = message;
  change.version =
      tx.exec_prepared1(kBumpVersion, complaint_id, status, Micros(change_time))[0].as<int64_t>();
  tx.exec_prepared(kInsertChange, complaint_id, change.version, status, change.previous_status,
                   entry_type, actor_kind, message, Micros(change_time));
  return change;
}

namespace {

// Records a citizen's act on the file (its history entry, the new version) and announces it,
// within `tx`.
absl::StatusOr<StatusChange> RecordCitizenAct(
    pqxx::transaction_base& tx, const std::string& complaint_id, int status, int entry_type,
    absl::Time now, const std::function<events::NewEvent(const StatusChange&)>& make_event) {
  absl::StatusOr<StatusChange> change = PgComplaintStore::ApplyStatusChange(
      tx, complaint_id, status, entry_type, type::v1::ACTOR_KIND_CITIZEN, now);
  if (!change.ok()) {
    return change.status();
  }
  if (absl::Status appended = events::EventLog::Append(tx, make_event(*change)); !appended.ok()) {
    return appended;
  }
  return change;
}

}  // namespace

absl::StatusOr<StatusChange> PgComplaintStore::Withdraw(
    const std::string& complaint_id, absl::Time now,
    const std::function<events::NewEvent(const StatusChange&)>& make_event) {
  return db::RunInTransaction(
      pool_, "intake_withdraw_complaint", [&](pqxx::work& tx) -> absl::StatusOr<StatusChange> {
        const pqxx::result locked = tx.exec_prepared(kLockStatus, complaint_id);
        if (locked.empty()) {
          return absl::NotFoundError(absl::StrCat("complaint ", complaint_id, " not found"));
        }
        if (IsFinalStatus(locked[0][0].as<int>())) {
          return absl::FailedPreconditionError(
              "the complaint is already closed, rejected, withdrawn or transferred");
        }
        return RecordCitizenAct(tx, complaint_id, type::v1::CASE_STATE_WITHDRAWN,
                                v1::PUBLIC_HISTORY_ENTRY_TYPE_WITHDRAWN, now, make_event);
      });
}

absl::StatusOr<CitizenMessageRecord> PgComplaintStore::AddCitizenMessage(
    const std::string& complaint_id, const CitizenMessageRecord& message,
    const std::optional<std::string>& idempotency_key, absl::Time now,
    const std::function<events::NewEvent(const StatusChange&)>& make_event) {
  return db::RunInTransaction(
      pool_, "intake_add_citizen_message",
      [&](pqxx::work& tx) -> absl::StatusOr<CitizenMessageRecord> {
        const pqxx::result locked = tx.exec_prepared(kLockStatus, complaint_id);
        if (locked.empty()) {
          return absl::NotFoundError(absl::StrCat("complaint ", complaint_id, " not found"));
        }
        const int status = locked[0][0].as<int>();
        const pqxx::result inserted = tx.exec_prepared(
            kInsertMessage, message.message_id, complaint_id, idempotency_key, Bytes(message.body));
        if (inserted.empty()) {  // Same key: the retry of a message already stored.
          if (!idempotency_key.has_value()) {
            return absl::AbortedError("message id collision, retry");
          }
          const pqxx::row row =
              tx.exec_prepared1(kSelectMessageByKey, complaint_id, *idempotency_key);
          return CitizenMessageRecord{row[0].as<std::string>(), pqxx::binarystring(row[1]).str(),
                                      absl::FromUnixMicros(row[2].as<int64_t>()), true};
        }
        if (IsFinalStatus(status)) {
          return absl::FailedPreconditionError(
              "the file is closed, rejected, withdrawn or transferred");
        }
        absl::StatusOr<StatusChange> change =
            RecordCitizenAct(tx, complaint_id, status,
                             v1::PUBLIC_HISTORY_ENTRY_TYPE_CITIZEN_MESSAGE, now, make_event);
        if (!change.ok()) {
          return change.status();
        }
        CitizenMessageRecord stored = message;
        stored.create_time = absl::FromUnixMicros(inserted[0][0].as<int64_t>());
        return stored;
      });
}

absl::StatusOr<std::vector<CitizenMessageRecord>> PgComplaintStore::ListCitizenMessages(
    const std::string& complaint_id, const std::string& after_message_id, int limit) {
  return db::RunInTransaction(
      pool_, "intake_list_citizen_messages",
      [&](pqxx::work& tx) -> absl::StatusOr<std::vector<CitizenMessageRecord>> {
        std::vector<CitizenMessageRecord> messages;
        const std::optional<std::string> after =
            after_message_id.empty() ? std::nullopt : std::optional<std::string>(after_message_id);
        for (const pqxx::row& row : tx.exec_prepared(kListMessages, complaint_id, after, limit)) {
          messages.push_back({row[0].as<std::string>(), pqxx::binarystring(row[1]).str(),
                              absl::FromUnixMicros(row[2].as<int64_t>()), false});
        }
        return messages;
      });
}

absl::StatusOr<FeedbackRecord> PgComplaintStore::SubmitFeedback(
    const std::string& complaint_id, const FeedbackRecord& feedback, absl::Time now,
    const std::function<events::NewEvent(const StatusChange&)>& make_event) {
  return db::RunInTransaction(
      pool_, "intake_submit_feedback", [&](pqxx::work& tx) -> absl::StatusOr<FeedbackRecord> {
        const pqxx::result locked = tx.exec_prepared(kLockStatus, complaint_id);
        if (locked.empty()) {
          return absl::NotFoundError(absl::StrCat("complaint ", complaint_id, " not found"));
        }
        const int status = locked[0][0].as<int>();
        if (status != type::v1::CASE_STATE_RESPONDED && status != type::v1::CASE_STATE_CLOSED) {
          return absl::FailedPreconditionError(
              "feedback is accepted once the administration has responded");
        }
        const pqxx::result inserted =
            tx.exec_prepared(kInsertFeedback, feedback.feedback_id, complaint_id,
                             feedback.satisfaction, feedback.problem_solved, feedback.comment);
        if (inserted.empty()) {
          return absl::AlreadyExistsError("feedback was already given for this complaint");
        }
        absl::StatusOr<StatusChange> change = RecordCitizenAct(
            tx, complaint_id, status, v1::PUBLIC_HISTORY_ENTRY_TYPE_FEEDBACK, now, make_event);
        if (!change.ok()) {
          return change.status();
        }
        FeedbackRecord stored = feedback;
        stored.create_time = absl::FromUnixMicros(inserted[0][0].as<int64_t>());
        return stored;
      });
}

std::optional<int> PgComplaintStore::LockComplaint(pqxx::transaction_base& tx,
                                                   const std::string& complaint_id) {
  const pqxx::result locked = tx.exec_prepared(kLockStatus, complaint_id);
  if (locked.empty()) {
    return std::nullopt;
  }
  return locked[0][0].as<int>();
}

std::optional<std::string> PgComplaintStore::LockDeadline(pqxx::transaction_base& tx,
                                                          const std::string& complaint_id,
                                                          int clock) {
  const pqxx::result rows = tx.exec_prepared(kLockDeadline, complaint_id, clock);
  if (rows.empty()) {
    return std::nullopt;
  }
  return pqxx::binarystring(rows[0][0]).str();
}

void PgComplaintStore::SaveDeadline(pqxx::transaction_base& tx, const std::string& complaint_id,
                                    int clock, const std::string& deadline) {
  tx.exec_prepared(kSaveDeadline, complaint_id, clock, Bytes(deadline));
}

absl::StatusOr<std::vector<std::string>> PgComplaintStore::Deadlines(
    const std::string& complaint_id) {
  return db::RunInTransaction(
      pool_, "intake_select_deadlines",
      [&](pqxx::work& tx) -> absl::StatusOr<std::vector<std::string>> {
        std::vector<std::string> deadlines;
        for (const pqxx::row& row : tx.exec_prepared(kSelectDeadlines, complaint_id)) {
          deadlines.push_back(pqxx::binarystring(row[0]).str());
        }
        return deadlines;
      });
}

absl::StatusOr<std::vector<StatusChange>> PgComplaintStore::ChangesAfter(
    const std::string& complaint_id, int64_t after_version) {
  return db::RunInTransaction(
      pool_, "intake_watch_complaint",
      [&](pqxx::work& tx) -> absl::StatusOr<std::vector<StatusChange>> {
        std::vector<StatusChange> changes;
        for (const pqxx::row& row : tx.exec_prepared(kChangesAfter, complaint_id, after_version)) {
          changes.push_back({row[0].as<int64_t>(), row[1].as<int>(), row[2].as<int>(),
                             row[3].as<int>(), row[4].as<int>(),
                             absl::FromUnixMicros(row[5].as<int64_t>()), row[6].as<std::string>()});
        }
        return changes;
      });
}

absl::StatusOr<int64_t> PgComplaintStore::PurgeIdempotencyKeys(absl::Duration retention) {
  return db::RunInTransaction(
      pool_, "intake_purge_idempotency_keys", [&](pqxx::work& tx) -> absl::StatusOr<int64_t> {
        return static_cast<int64_t>(
            tx.exec_prepared(kPurgeKeys, absl::ToDoubleSeconds(retention)).affected_rows());
      });
}

}  // namespace doleances::intake
