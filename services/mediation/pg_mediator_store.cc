#include "services/mediation/pg_mediator_store.h"

#include "common/db/pg_arrays.h"
#include "common/db/pg_time.h"
#include "common/db/transaction.h"
#include "services/mediation/pg_rows.h"

#include <absl/strings/str_cat.h>
#include <pqxx/pqxx>

namespace doleances::mediation {
namespace {

constexpr char kInsertMediator[] = "mediation_insert_mediator";
constexpr char kLockMediator[] = "mediation_lock_mediator";
constexpr char kUpdateMediator[] = "mediation_update_mediator";
constexpr char kSelectMediatorByPrincipal[] = "mediation_select_mediator_by_principal";
constexpr char kListMediators[] = "mediation_list_mediators";
constexpr char kLockCandidates[] = "mediation_lock_candidate_mediators";

// Mediation state 3 is CLOSED (MediationState); the open count is what capacity limits.
constexpr char kColumns[] =
    "m.mediator_id::text, m.mediator_key, m.principal_id, m.display_name, m.administration_ids,"
    " m.specialties, m.territory_prefixes, m.capacity, m.window_starts, m.window_ends, m.active,"
    " m.conflict_department_ids,"
    " (SELECT count(*) FROM mediation.mediations o WHERE o.mediator_id = m.mediator_id"
    "  AND o.state <> 3)::int,"
    " m.version, (extract(epoch FROM m.create_time) * 1000000)::bigint,"
    " (extract(epoch FROM m.update_time) * 1000000)::bigint";

MediatorRecord RowToMediator(const pqxx::row& row) {
  MediatorRecord record;
  record.mediator_id = row[0].as<std::string>();
  record.mediator_key = row[1].as<int64_t>();
  record.principal_id = row[2].as<std::string>();
  record.display_name = row[3].as<std::string>();
  record.administration_ids = ReadTextArray(row[4]);
  record.specialties = ReadTextArray(row[5]);
  record.territory_prefixes = ReadTextArray(row[6]);
  record.capacity = row[7].as<int>();
  const std::vector<std::optional<absl::Time>> starts = ReadMicrosArray(row[8]);
  const std::vector<std::optional<absl::Time>> ends = ReadMicrosArray(row[9]);
  for (size_t i = 0; i < starts.size() && i < ends.size(); ++i) {
    record.availability_windows.push_back({starts[i], ends[i]});
  }
  record.active = row[10].as<bool>();
  record.conflict_department_ids = ReadTextArray(row[11]);
  record.open_mediation_count = row[12].as<int>();
  record.version = row[13].as<int64_t>();
  record.create_time = absl::FromUnixMicros(row[14].as<int64_t>());
  record.update_time = absl::FromUnixMicros(row[15].as<int64_t>());
  return record;
}

std::string WindowSide(const MediatorRecord& mediator, bool start) {
  std::vector<std::optional<absl::Time>> side;
  for (const Window& window : mediator.availability_windows) {
    side.push_back(start ? window.start : window.end);
  }
  return MicrosArrayLiteral(side);
}

}  // namespace

void PgMediatorStore::PrepareStatements(pqxx::connection& connection) {
  const std::string from = " FROM mediation.mediators m";
  connection.prepare(
      kInsertMediator,
      absl::StrCat("INSERT INTO mediation.mediators AS m (mediator_id, principal_id, display_name,"
                   " administration_ids, specialties, territory_prefixes, capacity,"
                   " window_starts, window_ends, conflict_department_ids, create_time,"
                   " update_time) VALUES ($1, $2, $3, $4::text[], $5::text[], $6::text[], $7,"
                   " $8::bigint[], $9::bigint[], $10::text[], ",
                   db::TimestampFromMicros("$11"), ", ", db::TimestampFromMicros("$11"),
                   ") RETURNING ", kColumns));
  connection.prepare(kLockMediator, absl::StrCat("SELECT ", kColumns, from,
                                                 " WHERE m.mediator_id = $1 FOR UPDATE"));
  connection.prepare(
      kUpdateMediator,
      absl::StrCat(
          "UPDATE mediation.mediators AS m SET display_name = $2,"
          " administration_ids = $3::text[], specialties = $4::text[],"
          " territory_prefixes = $5::text[], capacity = $6, window_starts = $7::bigint[],"
          " window_ends = $8::bigint[], active = $9, conflict_department_ids = $10::text[],"
          " version = m.version + 1, update_time = ",
          db::TimestampFromMicros("$11"), " WHERE m.mediator_id = $1 RETURNING ", kColumns));
  connection.prepare(kSelectMediatorByPrincipal,
                     absl::StrCat("SELECT ", kColumns, from, " WHERE m.principal_id = $1"));
  connection.prepare(
      kListMediators,
      absl::StrCat("SELECT ", kColumns, from,
                   " WHERE ($1 = '' OR $1 = ANY(m.administration_ids))"
                   " AND ($2 = '' OR m.specialties = '{}' OR $2 = ANY(m.specialties))"
                   " AND ($3 = '' OR m.territory_prefixes = '{}' OR EXISTS (SELECT 1 FROM"
                   "  unnest(m.territory_prefixes) p WHERE starts_with($3, p)))"
                   " AND ($4 OR m.active)"
                   " ORDER BY m.display_name, m.mediator_id OFFSET $5 LIMIT $6"));
  connection.prepare(kLockCandidates,
                     absl::StrCat("SELECT ", kColumns, from,
                                  " WHERE m.active AND $1 = ANY(m.administration_ids)"
                                  " ORDER BY m.mediator_id FOR UPDATE OF m"));
}

absl::StatusOr<MediatorRecord> PgMediatorStore::Create(const MediatorRecord& mediator,
                                                       absl::Time now) {
  return db::RunInTransaction(
      pool_, "mediation_create_mediator", [&](pqxx::work& tx) -> absl::StatusOr<MediatorRecord> {
        const pqxx::result taken =
            tx.exec_prepared(kSelectMediatorByPrincipal, mediator.principal_id);
        if (!taken.empty()) {
          return absl::AlreadyExistsError(
              absl::StrCat("mediator.principal_id ", mediator.principal_id, " is taken"));
        }
        return RowToMediator(tx.exec_prepared1(
            kInsertMediator, mediator.mediator_id, mediator.principal_id, mediator.display_name,
            db::TextArrayLiteral(mediator.administration_ids),
            db::TextArrayLiteral(mediator.specialties),
            db::TextArrayLiteral(mediator.territory_prefixes), mediator.capacity,
            WindowSide(mediator, true), WindowSide(mediator, false),
            db::TextArrayLiteral(mediator.conflict_department_ids), absl::ToUnixMicros(now)));
      });
}

absl::StatusOr<MediatorRecord> PgMediatorStore::Update(
    const std::string& mediator_id, int64_t expected_version,
    const std::function<absl::Status(MediatorRecord&)>& edit, absl::Time now) {
  return db::RunInTransaction(
      pool_, "mediation_update_mediator", [&](pqxx::work& tx) -> absl::StatusOr<MediatorRecord> {
        absl::StatusOr<MediatorRecord> current = Lock(tx, mediator_id);
        if (!current.ok()) {
          return current.status();
        }
        if (current->version != expected_version) {
          return absl::AbortedError(absl::StrCat("mediator ", mediator_id, " is at version ",
                                                 current->version, ", not ", expected_version,
                                                 ": read it again"));
        }
        MediatorRecord edited = *current;
        if (absl::Status status = edit(edited); !status.ok()) {
          return status;
        }
        return RowToMediator(tx.exec_prepared1(
            kUpdateMediator, mediator_id, edited.display_name,
            db::TextArrayLiteral(edited.administration_ids),
            db::TextArrayLiteral(edited.specialties),
            db::TextArrayLiteral(edited.territory_prefixes), edited.capacity,
            WindowSide(edited, true), WindowSide(edited, false), edited.active,
            db::TextArrayLiteral(edited.conflict_department_ids), absl::ToUnixMicros(now)));
      });
}

absl::StatusOr<MediatorRecord> PgMediatorStore::GetByPrincipal(const std::string& principal_id) {
  return db::RunInTransaction(
      pool_, "mediation_get_mediator_by_principal",
      [&](pqxx::work& tx) -> absl::StatusOr<MediatorRecord> {
        const pqxx::result rows = tx.exec_prepared(kSelectMediatorByPrincipal, principal_id);
        if (rows.empty()) {
          return absl::NotFoundError("the caller is not a registered mediator");
        }
        return RowToMediator(rows[0]);
      });
}

absl::StatusOr<std::vector<MediatorRecord>> PgMediatorStore::List(const MediatorFilter& filter,
                                                                  int offset, int limit) {
  return db::RunInTransaction(
      pool_, "mediation_list_mediators",
      [&](pqxx::work& tx) -> absl::StatusOr<std::vector<MediatorRecord>> {
        std::vector<MediatorRecord> mediators;
        for (const pqxx::row& row :
             tx.exec_prepared(kListMediators, filter.administration_id, filter.specialty,
                              filter.territory_code, filter.include_inactive, offset, limit)) {
          mediators.push_back(RowToMediator(row));
        }
        return mediators;
      });
}

std::vector<MediatorRecord> PgMediatorStore::LockCandidates(pqxx::transaction_base& tx,
                                                            const std::string& administration_id) {
  std::vector<MediatorRecord> candidates;
  for (const pqxx::row& row : tx.exec_prepared(kLockCandidates, administration_id)) {
    candidates.push_back(RowToMediator(row));
  }
  return candidates;
}

absl::StatusOr<MediatorRecord> PgMediatorStore::Lock(pqxx::transaction_base& tx,
                                                     const std::string& mediator_id) {
  const pqxx::result rows = tx.exec_prepared(kLockMediator, mediator_id);
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat("mediator ", mediator_id, " not found"));
  }
  return RowToMediator(rows[0]);
}

}  // namespace doleances::mediation
