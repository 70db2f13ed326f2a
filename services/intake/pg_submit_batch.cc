#include "services/intake/pg_submit_batch.h"

#include "common/db/pg_arrays.h"
#include "common/db/pg_time.h"
#include "services/intake/pg_complaint_rows.h"

#include <absl/strings/str_cat.h>
#include <pqxx/pqxx>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace doleances::intake::pg {
namespace {

// Set-based statements: one per step of a batch, whatever its size. Rows travel as arrays, and
// WITH ORDINALITY keeps the order in which they are given (the lock order, the events' order).
constexpr char kClaimKeys[] = "intake_claim_idempotency_keys";
constexpr char kSelectKeys[] = "intake_select_idempotency_keys";
constexpr char kRepointKeys[] = "intake_repoint_idempotency_keys";
constexpr char kReleaseKeys[] = "intake_release_idempotency_keys";
constexpr char kInsertComplaints[] = "intake_insert_complaints";
constexpr char kSelectByIds[] = "intake_select_complaints_by_ids";
constexpr char kSelectByReferences[] = "intake_select_complaints_by_external_references";
// Item by item, for the rare batch that a set-based statement refused.
constexpr char kClaimKey[] = "intake_claim_idempotency_key";
constexpr char kSelectKey[] = "intake_select_idempotency_key";
constexpr char kRepointKey[] = "intake_repoint_idempotency_key";
constexpr char kInsertComplaint[] = "intake_insert_complaint";
constexpr char kSelectByReference[] = "intake_select_complaint_by_external_reference";

constexpr char kComplaintInsertColumns[] =
    "INSERT INTO intake.complaints (complaint_id, tracking_code, submitter_id, administration_id,"
    " kind, channel, priority, category_hint, commune_code, department_code, external_reference,"
    " status, late_appeal, receive_time, acknowledgement_due_time, request_hash, body) ";

// A per-submitter natural key: the idempotency key, or the external reference.
using NaturalKey = std::pair<std::string, std::string>;

NaturalKey IdempotencyKeyOf(const Submission& item) {
  return {item.record.submitter_id, item.idempotency_key};
}

NaturalKey ReferenceOf(const Submission& item) {
  return {item.record.submitter_id, item.record.external_reference.value_or("")};
}

// Columns of (submitter, value) pairs, as array literals.
struct PairColumns {
  std::vector<std::string> submitters;
  std::vector<std::string> values;
  void Add(const NaturalKey& key) {
    submitters.push_back(key.first);
    values.push_back(key.second);
  }
  bool empty() const { return submitters.empty(); }
};

absl::Status KeyReusedError() {
  return absl::FailedPreconditionError(
      "idempotency_key was already used for a different complaint");
}

absl::Status ReferenceReusedError(const std::string& complaint_id) {
  return absl::AlreadyExistsError(absl::StrCat("external_reference was already used for complaint ",
                                               complaint_id, " with different content"));
}

absl::Status CollisionError() {
  return absl::AbortedError("tracking code collision, retry with a new code");
}

absl::Status DependsOnRefusedItemError() {
  return absl::AbortedError(
      "an item of the same batch with the same key or external reference was refused, retry");
}

}  // namespace

void PrepareSubmitStatements(pqxx::connection& connection) {
  connection.prepare(
      kClaimKeys,
      "INSERT INTO intake.idempotency_keys (submitter_id, idempotency_key, request_hash,"
      " complaint_id) SELECT s, k, h, c::uuid FROM unnest($1::text[], $2::text[], $3::bytea[],"
      " $4::text[]) WITH ORDINALITY AS u(s, k, h, c, n) ORDER BY n "
      "ON CONFLICT DO NOTHING RETURNING submitter_id, idempotency_key");
  connection.prepare(
      kSelectKeys,
      "SELECT k.submitter_id, k.idempotency_key, k.request_hash, k.complaint_id::text"
      " FROM intake.idempotency_keys k JOIN unnest($1::text[], $2::text[]) AS"
      " u(s, v) ON k.submitter_id = u.s AND k.idempotency_key = u.v");
  connection.prepare(kRepointKeys,
                     "UPDATE intake.idempotency_keys k SET complaint_id = u.c::uuid FROM"
                     " unnest($1::text[], $2::text[], $3::text[]) AS u(s, v, c)"
                     " WHERE k.submitter_id = u.s AND k.idempotency_key = u.v");
  connection.prepare(kReleaseKeys,
                     "DELETE FROM intake.idempotency_keys k USING unnest($1::text[], $2::text[])"
                     " AS u(s, v) WHERE k.submitter_id = u.s AND k.idempotency_key = u.v");
  connection.prepare(
      kInsertComplaints,
      absl::StrCat(
          kComplaintInsertColumns,
          "SELECT id::uuid, code, s, a, k, ch, p, cat, com, dep, NULLIF(ref, ''), st, late, ",
          db::TimestampFromMicros("rt"), ", ", db::TimestampFromMicros("ack"),
          ", h, b FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[],"
          " $6::int[], $7::int[], $8::text[], $9::text[], $10::text[], $11::text[], $12::int[],"
          " $13::boolean[], $14::bigint[], $15::bigint[], $16::bytea[], $17::bytea[])"
          " WITH ORDINALITY AS u(id, code, s, a, k, ch, p, cat, com, dep, ref, st, late, rt, ack,"
          " h, b, n) ORDER BY n ON CONFLICT DO NOTHING RETURNING complaint_id::text,"
          " (extract(epoch FROM create_time) * 1000000)::bigint"));
  connection.prepare(kSelectByIds, absl::StrCat("SELECT ", kComplaintColumns,
                                                " FROM intake.complaints"
                                                " WHERE complaint_id = ANY ($1::uuid[])"));
  connection.prepare(
      kSelectByReferences,
      absl::StrCat("SELECT ", kComplaintColumns,
                   " FROM intake.complaints JOIN unnest($1::text[], $2::text[])"
                   " AS u(s, r) ON submitter_id = u.s AND external_reference = u.r"));
  connection.prepare(kClaimKey,
                     "INSERT INTO intake.idempotency_keys (submitter_id, idempotency_key,"
                     " request_hash, complaint_id) VALUES ($1, $2, $3, $4::uuid) "
                     "ON CONFLICT DO NOTHING RETURNING 1");
  connection.prepare(kSelectKey,
                     "SELECT request_hash, complaint_id::text FROM intake.idempotency_keys "
                     "WHERE submitter_id = $1 AND idempotency_key = $2");
  connection.prepare(kRepointKey,
                     "UPDATE intake.idempotency_keys SET complaint_id = $3::uuid "
                     "WHERE submitter_id = $1 AND idempotency_key = $2");
  connection.prepare(
      kInsertComplaint,
      absl::StrCat(kComplaintInsertColumns,
                   "VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, ",
                   db::TimestampFromMicros("$14"), ", ", db::TimestampFromMicros("$15"),
                   ", $16, $17) ON CONFLICT DO NOTHING RETURNING ", kComplaintColumns));
  connection.prepare(kSelectByReference,
                     absl::StrCat("SELECT ", kComplaintColumns,
                                  " FROM intake.complaints WHERE submitter_id = $1"
                                  " AND external_reference = $2"));
}

namespace {

// The complaints of `items` (each new, as given), inserted with one statement in the order
// given. Returns the creation time of each one inserted, by complaint id; a missing one hit a
// unique constraint (its external reference, or a tracking-code collision).
std::map<std::string, int64_t> InsertComplaints(pqxx::transaction_base& tx,
                                                const std::vector<Submission>& items,
                                                const std::vector<size_t>& order) {
  std::vector<std::string> ids, codes, submitters, administrations, categories, communes,
      departments, references, late, hashes, bodies;
  std::vector<int> kinds, channels, priorities, statuses;
  std::vector<int64_t> receive_times, acknowledgement_times;
  for (size_t i : order) {
    const ComplaintRecord& record = items[i].record;
    ids.push_back(record.complaint_id);
    codes.push_back(record.tracking_code);
    submitters.push_back(record.submitter_id);
    administrations.push_back(record.administration_id);
    kinds.push_back(record.kind);
    channels.push_back(record.channel);
    priorities.push_back(record.priority);
    categories.push_back(record.category_hint);
    communes.push_back(record.commune_code);
    departments.push_back(record.department_code);
    references.push_back(record.external_reference.value_or(""));  // '' becomes NULL.
    statuses.push_back(record.status);
    late.push_back(record.late_appeal ? "t" : "f");
    receive_times.push_back(Micros(record.receive_time));
    acknowledgement_times.push_back(Micros(record.acknowledgement_due_time));
    hashes.push_back(record.request_hash);
    bodies.push_back(record.body);
  }
  std::map<std::string, int64_t> inserted;
  for (const pqxx::row& row :
       tx.exec_prepared(kInsertComplaints, db::TextArrayLiteral(ids), db::TextArrayLiteral(codes),
                        db::TextArrayLiteral(submitters), db::TextArrayLiteral(administrations),
                        db::IntArrayLiteral(kinds), db::IntArrayLiteral(channels),
                        db::IntArrayLiteral(priorities), db::TextArrayLiteral(categories),
                        db::TextArrayLiteral(communes), db::TextArrayLiteral(departments),
                        db::TextArrayLiteral(references), db::IntArrayLiteral(statuses),
                        db::TextArrayLiteral(late), db::Int64ArrayLiteral(receive_times),
                        db::Int64ArrayLiteral(acknowledgement_times), db::ByteaArrayLiteral(hashes),
                        db::ByteaArrayLiteral(bodies))) {
    inserted.emplace(row[0].as<std::string>(), row[1].as<int64_t>());
  }
  return inserted;
}

// The stored complaints with these ids, by id.
std::map<std::string, ComplaintRecord> SelectByIds(pqxx::transaction_base& tx,
                                                   const std::set<std::string>& ids) {
  std::map<std::string, ComplaintRecord> records;
  if (ids.empty()) {
    return records;
  }
  for (const pqxx::row& row : tx.exec_prepared(
           kSelectByIds, db::TextArrayLiteral(std::vector<std::string>(ids.begin(), ids.end())))) {
    ComplaintRecord record = RowToRecord(row);
    std::string id = record.complaint_id;
    records.emplace(std::move(id), std::move(record));
  }
  return records;
}

}  // namespace

absl::StatusOr<SubmitResults> SubmitSetInTransaction(pqxx::transaction_base& tx,
                                                     const std::vector<Submission>& items) {
  const size_t count = items.size();
  SubmitResults results(count, absl::InternalError("submission left undecided"));

  // 1. Claim each distinct idempotency key once, for its first item. Concurrent batches claiming
  //    the same key queue on its unique index until the first commits: one complaint per key.
  std::map<NaturalKey, size_t> key_owner;  // Sorted: the lock order.
  for (size_t i = 0; i < count; ++i) {
    key_owner.emplace(IdempotencyKeyOf(items[i]), i);
  }
  PairColumns claim;
  std::vector<std::string> claim_hashes, claim_ids;
  for (const auto& [key, i] : key_owner) {
    claim.Add(key);
    claim_hashes.push_back(items[i].record.request_hash);
    claim_ids.push_back(items[i].record.complaint_id);
  }
  std::set<NaturalKey> claimed;
  for (const pqxx::row& row : tx.exec_prepared(
           kClaimKeys, db::TextArrayLiteral(claim.submitters), db::TextArrayLiteral(claim.values),
           db::ByteaArrayLiteral(claim_hashes), db::TextArrayLiteral(claim_ids))) {
    claimed.emplace(row[0].as<std::string>(), row[1].as<std::string>());
  }

  // 2. Keys stored earlier: their hash and complaint decide every item that uses them.
  struct StoredKey {
    std::string request_hash;
    std::string complaint_id;
  };
  std::map<NaturalKey, StoredKey> stored_keys;
  PairColumns existing;
  for (const auto& [key, i] : key_owner) {
    if (claimed.count(key) == 0) {
      existing.Add(key);
    }
  }
  if (!existing.empty()) {
    for (const pqxx::row& row :
         tx.exec_prepared(kSelectKeys, db::TextArrayLiteral(existing.submitters),
                          db::TextArrayLiteral(existing.values))) {
      stored_keys[{row[0].as<std::string>(), row[1].as<std::string>()}] = {
          pqxx::binarystring(row[2]).str(), row[3].as<std::string>()};
    }
  }

  // 3. Insert the complaints of claimed keys, one per distinct external reference (sorted, the
  //    lock order), then those without one.
  std::map<NaturalKey, size_t> reference_owner;
  std::vector<size_t> to_insert;
  std::vector<size_t> reference_followers;  // Same reference as an earlier new item.
  for (size_t i = 0; i < count; ++i) {
    if (key_owner[IdempotencyKeyOf(items[i])] != i ||
        claimed.count(IdempotencyKeyOf(items[i])) == 0) {
      continue;
    }
    if (!items[i].record.external_reference.has_value()) {
      to_insert.push_back(i);
    } else if (!reference_owner.emplace(ReferenceOf(items[i]), i).second) {
      reference_followers.push_back(i);
    }
  }
  std::vector<size_t> insert_order;
  for (const auto& [reference, i] : reference_owner) {
    insert_order.push_back(i);
  }
  insert_order.insert(insert_order.end(), to_insert.begin(), to_insert.end());
  std::map<std::string, int64_t> inserted;
  if (!insert_order.empty()) {
    inserted = InsertComplaints(tx, items, insert_order);
  }

  // 4. The complaint that holds each external reference now: a new one of this batch, or the
  //    one stored earlier (read only when an insert hit it).
  std::map<NaturalKey, ComplaintRecord> reference_holder;
  std::vector<size_t> events_of;  // Items whose complaint is new, in item order.
  PairColumns conflicting_references;
  for (size_t i : insert_order) {
    const auto created = inserted.find(items[i].record.complaint_id);
    if (created == inserted.end()) {
      if (items[i].record.external_reference.has_value()) {
        conflicting_references.Add(ReferenceOf(items[i]));
      }
      continue;
    }
    ComplaintRecord record = items[i].record;
    record.create_time = record.update_time = absl::FromUnixMicros(created->second);
    record.version = 1;
    if (record.external_reference.has_value()) {
      reference_holder[ReferenceOf(items[i])] = record;
    }
    results[i] = SubmitResult{std::move(record), false};
  }
  if (!conflicting_references.empty()) {
    for (const pqxx::row& row : tx.exec_prepared(
             kSelectByReferences, db::TextArrayLiteral(conflicting_references.submitters),
             db::TextArrayLiteral(conflicting_references.values))) {
      ComplaintRecord record = RowToRecord(row);
      NaturalKey reference{record.submitter_id, record.external_reference.value_or("")};
      reference_holder[std::move(reference)] = std::move(record);
    }
  }

  // 5. Items whose complaint was not inserted: an identical one under the same reference is a
  //    replay (the key now points at it), other content is refused, and no holder at all means
  //    the tracking code collided. A refused item's claimed key is released.
  PairColumns repoint, release;
  std::vector<std::string> repoint_ids;
  auto decide_by_reference = [&](size_t i) {
    const Submission& item = items[i];
    const auto holder = reference_holder.find(ReferenceOf(item));
    if (!item.record.external_reference.has_value() || holder == reference_holder.end()) {
      release.Add(IdempotencyKeyOf(item));
      results[i] = CollisionError();
    } else if (holder->second.request_hash != item.record.request_hash) {
      release.Add(IdempotencyKeyOf(item));
      results[i] = ReferenceReusedError(holder->second.complaint_id);
    } else {
      repoint.Add(IdempotencyKeyOf(item));
      repoint_ids.push_back(holder->second.complaint_id);
      results[i] = SubmitResult{holder->second, true};
    }
  };
  for (size_t i : insert_order) {
    if (inserted.count(items[i].record.complaint_id) == 0) {
      decide_by_reference(i);
    }
  }
  for (size_t i : reference_followers) {
    const absl::Status& first = results[reference_owner[ReferenceOf(items[i])]].status();
    if (first.code() == absl::StatusCode::kAborted) {
      release.Add(IdempotencyKeyOf(items[i]));
      results[i] = DependsOnRefusedItemError();
    } else {
      decide_by_reference(i);
    }
  }

  // 6. Items of keys stored earlier replay that key's complaint if their content is the same;
  //    later items of a claimed key follow its first item.
  std::vector<std::pair<size_t, std::string>> replays;  // Item, complaint id to read.
  for (size_t i = 0; i < count; ++i) {
    const NaturalKey key = IdempotencyKeyOf(items[i]);
    const size_t owner = key_owner[key];
    if (claimed.count(key) == 0) {
      const auto stored = stored_keys.find(key);
      if (stored == stored_keys.end()) {
        results[i] = DependsOnRefusedItemError();  // Released meanwhile (purged): go again.
      } else if (stored->second.request_hash != items[i].record.request_hash) {
        results[i] = KeyReusedError();
      } else {
        replays.emplace_back(i, stored->second.complaint_id);
      }
    } else if (owner != i) {
      const absl::StatusOr<SubmitResult>& first = results[owner];
      if (!first.ok()) {
        results[i] = DependsOnRefusedItemError();  // Its key was released with it.
      } else if (items[owner].record.request_hash != items[i].record.request_hash) {
        results[i] = KeyReusedError();
      } else {
        results[i] = SubmitResult{first->record, true};
      }
    }
  }
  if (!replays.empty()) {
    std::set<std::string> ids;
    for (const auto& [i, id] : replays) {
      ids.insert(id);
    }
    const std::map<std::string, ComplaintRecord> records = SelectByIds(tx, ids);
    for (const auto& [i, id] : replays) {
      const auto record = records.find(id);
      results[i] = record == records.end()
                       ? absl::StatusOr<SubmitResult>(DependsOnRefusedItemError())
                       : SubmitResult{record->second, true};
    }
  }

  // 7. Keys that now point elsewhere or were released, then the events of the new complaints,
  //    in item order (each is the first event of its own complaint).
  if (!repoint.empty()) {
    tx.exec_prepared(kRepointKeys, db::TextArrayLiteral(repoint.submitters),
                     db::TextArrayLiteral(repoint.values), db::TextArrayLiteral(repoint_ids));
  }
  if (!release.empty()) {
    tx.exec_prepared(kReleaseKeys, db::TextArrayLiteral(release.submitters),
                     db::TextArrayLiteral(release.values));
  }
  std::vector<events::NewEvent> events;
  for (size_t i = 0; i < count; ++i) {
    if (results[i].ok() && !results[i]->replayed) {
      events.push_back(items[i].event);
    }
  }
  if (absl::Status appended = events::EventLog::AppendAll(tx, events); !appended.ok()) {
    return appended;
  }
  return results;
}

absl::StatusOr<SubmitResult> SubmitOneInTransaction(pqxx::transaction_base& tx,
                                                    const Submission& item) {
  const ComplaintRecord& record = item.record;
  // Concurrent retries with one key queue here on the key's unique index until the first
  // commits, then find its answer below: one complaint, however many retries.
  if (tx.exec_prepared(kClaimKey, record.submitter_id, item.idempotency_key,
                       Bytes(record.request_hash), record.complaint_id)
          .empty()) {
    const pqxx::row key = tx.exec_prepared1(kSelectKey, record.submitter_id, item.idempotency_key);
    if (pqxx::binarystring(key[0]).str() != record.request_hash) {
      return KeyReusedError();
    }
    return SubmitResult{RowToRecord(tx.exec_prepared1(
                            kSelectByIds, db::TextArrayLiteral({key[1].as<std::string>()}))),
                        true};
  }
  const pqxx::result inserted = tx.exec_prepared(
      kInsertComplaint, record.complaint_id, record.tracking_code, record.submitter_id,
      record.administration_id, record.kind, record.channel, record.priority, record.category_hint,
      record.commune_code, record.department_code, record.external_reference, record.status,
      record.late_appeal, Micros(record.receive_time), Micros(record.acknowledgement_due_time),
      Bytes(record.request_hash), Bytes(record.body));
  if (inserted.empty()) {
    const pqxx::result existing =
        record.external_reference.has_value()
            ? tx.exec_prepared(kSelectByReference, record.submitter_id, *record.external_reference)
            : pqxx::result();
    if (existing.empty()) {
      return CollisionError();
    }
    ComplaintRecord original = RowToRecord(existing[0]);
    if (original.request_hash != record.request_hash) {
      return ReferenceReusedError(original.complaint_id);
    }
    tx.exec_prepared(kRepointKey, record.submitter_id, item.idempotency_key, original.complaint_id);
    return SubmitResult{std::move(original), true};
  }
  if (absl::Status appended = events::EventLog::Append(tx, item.event); !appended.ok()) {
    return appended;
  }
  return SubmitResult{RowToRecord(inserted[0]), false};
}

}  // namespace doleances::intake::pg
