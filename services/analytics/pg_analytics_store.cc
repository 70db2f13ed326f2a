#include "services/analytics/pg_analytics_store.h"

#include "common/db/pg_arrays.h"
#include "common/db/transaction.h"

#include <absl/strings/escaping.h>
#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_join.h>
#include <absl/strings/str_split.h>
#include <absl/strings/strip.h>
#include <pqxx/pqxx>

namespace doleances::analytics {
namespace {

constexpr char kLockFact[] = "analytics_lock_fact";
constexpr char kSaveFact[] = "analytics_save_fact";
constexpr char kLockCells[] = "analytics_lock_cells";
constexpr char kWriteCells[] = "analytics_write_cells";
constexpr char kAddTerm[] = "analytics_add_term";
constexpr char kDeleteEmptyTerm[] = "analytics_delete_empty_term";
constexpr char kReadCells[] = "analytics_read_cells";
constexpr char kReadTerms[] = "analytics_read_terms";
constexpr char kReadAllAdministrations[] = "analytics_read_all_administrations";

constexpr char kKeySeparator = '\x1f';  // Never in a routing keyword.

constexpr char kDimensionColumns[] =
    "administration_id, kind, channel, priority, category, department_id, department_code,"
    " region_code";

// Filter on $1-$8 (see FilterArguments), for the cell and term readers.
constexpr char kFilterSql[] =
    "administration_id = ANY($1::text[])"
    " AND (cardinality($2::int[]) = 0 OR kind = ANY($2::int[]))"
    " AND (cardinality($3::int[]) = 0 OR channel = ANY($3::int[]))"
    " AND (cardinality($4::int[]) = 0 OR priority = ANY($4::int[]))"
    " AND (cardinality($5::text[]) = 0 OR category = ANY($5::text[]))"
    " AND (cardinality($6::text[]) = 0 OR department_id = ANY($6::text[]))"
    " AND (cardinality($7::text[]) = 0 OR department_code = ANY($7::text[]))"
    " AND (cardinality($8::text[]) = 0 OR region_code = ANY($8::text[]))";

std::string Int64ArrayLiteral(const std::vector<int64_t>& values) {
  return absl::StrCat("{", absl::StrJoin(values, ","), "}");
}

std::vector<int64_t> ParseInt64Array(const std::string& literal) {
  std::vector<int64_t> values;
  if (literal.size() < 2) {
    return values;
  }
  for (absl::string_view part : absl::StrSplit(
           absl::string_view(literal).substr(1, literal.size() - 2), ',', absl::SkipEmpty())) {
    int64_t value = 0;
    if (absl::SimpleAtoi(part, &value)) {
      values.push_back(value);
    }
  }
  return values;
}

FactDimensions DimensionsOf(const pqxx::row& row, int first) {
  FactDimensions dimensions;
  dimensions.administration_id = row[first].as<std::string>();
  dimensions.kind = row[first + 1].as<int>();
  dimensions.channel = row[first + 2].as<int>();
  dimensions.priority = row[first + 3].as<int>();
  dimensions.category = row[first + 4].as<std::string>();
  dimensions.department_id = row[first + 5].as<std::string>();
  dimensions.department_code = row[first + 6].as<std::string>();
  dimensions.region_code = row[first + 7].as<std::string>();
  return dimensions;
}

}  // namespace

std::string CellsText(const Cells& cells) {
  return absl::StrCat("\\x", absl::BytesToHexString(EncodeCells(cells)));
}

namespace {

// Decodes kpi_cells.cells as PostgreSQL prints a bytea ("\x" and hex digits).
CellList ParseCells(absl::string_view text) {
  CellList cells;
  if (absl::ConsumePrefix(&text, "\\x") && !DecodeCells(absl::HexStringToBytes(text), cells)) {
    cells.clear();  // Written by EncodeCells only: cannot happen short of corruption.
  }
  return cells;
}

// Parallel arrays of aggregate row keys: $1-$10 of kLockCells and kWriteCells.
struct KeyArrays {
  std::vector<std::string> administrations, categories, department_ids, department_codes,
      region_codes;
  std::vector<int> bases, days, kinds, channels, priorities;

  void Add(const CellKey& key) {
    const auto& [d, basis, day] = key;
    administrations.push_back(d.administration_id);
    bases.push_back(static_cast<int>(basis));
    days.push_back(static_cast<int>(day));
    kinds.push_back(d.kind);
    channels.push_back(d.channel);
    priorities.push_back(d.priority);
    categories.push_back(d.category);
    department_ids.push_back(d.department_id);
    department_codes.push_back(d.department_code);
    region_codes.push_back(d.region_code);
  }
};

// Runs `statement` with the key arrays as $1-$10, then `more`.
template <typename... More>
pqxx::result ExecWithKeys(pqxx::work& tx, const char* statement, const KeyArrays& k, More... more) {
  return tx.exec_prepared(
      statement, db::TextArrayLiteral(k.administrations), db::IntArrayLiteral(k.bases),
      db::IntArrayLiteral(k.days), db::IntArrayLiteral(k.kinds), db::IntArrayLiteral(k.channels),
      db::IntArrayLiteral(k.priorities), db::TextArrayLiteral(k.categories),
      db::TextArrayLiteral(k.department_ids), db::TextArrayLiteral(k.department_codes),
      db::TextArrayLiteral(k.region_codes), more...);
}

// unnest() of the key arrays as u(a, b, d, k, c, p, cat, dep, dc, rc), then `extra`.
std::string KeysUnnest(absl::string_view extra) {
  return absl::StrCat(
      "unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::text[],"
      " $8::text[], $9::text[], $10::text[]",
      extra, ") AS u(a, b, d, k, c, p, cat, dep, dc, rc", extra.empty() ? "" : ", cells", ")");
}

}  // namespace

void PgAnalyticsStore::PrepareStatements(pqxx::connection& connection) {
  const std::string day = "date '1970-01-01' + $9::int";
  connection.prepare(
      kLockFact,
      absl::StrCat("SELECT ", kDimensionColumns,
                   ", slots::text, wait_starts::text, wait_ends::text, satisfaction,"
                   " problem_solved, array_to_string(keywords, E'\\x1f')"
                   " FROM analytics.complaint_facts WHERE complaint_id = $1 FOR UPDATE"));
  connection.prepare(
      kSaveFact,
      absl::StrCat("INSERT INTO analytics.complaint_facts (complaint_id, ", kDimensionColumns,
                   ", slots, wait_starts, wait_ends, satisfaction, problem_solved, keywords)"
                   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::bigint[], $11::bigint[],"
                   " $12::bigint[], $13, $14, string_to_array($15, E'\\x1f'))"
                   " ON CONFLICT (complaint_id) DO UPDATE SET"
                   " (",
                   kDimensionColumns,
                   ", slots, wait_starts, wait_ends, satisfaction, problem_solved, keywords) ="
                   " (excluded.administration_id, excluded.kind, excluded.channel,"
                   " excluded.priority, excluded.category, excluded.department_id,"
                   " excluded.department_code, excluded.region_code, excluded.slots,"
                   " excluded.wait_starts, excluded.wait_ends, excluded.satisfaction,"
                   " excluded.problem_solved, excluded.keywords)"));
  const std::string key_values = absl::StrCat("$1, $2, $3, $4, $5, $6, $7, $8, ", day);
  const std::string key_match = absl::StrCat(
      "administration_id = $1 AND kind = $2 AND channel = $3 AND priority = $4"
      " AND category = $5 AND department_id = $6 AND department_code = $7"
      " AND region_code = $8 AND day = ",
      day);
  // Locks every row of a delta in key order (ORDER BY: concurrent consumers take shared rows in
  // one order), creating missing ones empty, and returns their cells. DO UPDATE rather than a
  // separate SELECT ... FOR UPDATE: one round trip, and a row created by a concurrent
  // transaction is waited for and then locked instead of missed.
  connection.prepare(
      kLockCells,
      absl::StrCat("INSERT INTO analytics.kpi_cells AS t (", kDimensionColumns,
                   ", basis, day, cells) SELECT u.a, u.k, u.c, u.p, u.cat, u.dep, u.dc, u.rc, u.b,"
                   " date '1970-01-01' + u.d, ''::bytea FROM ",
                   KeysUnnest(""),
                   " ORDER BY u.a, u.b, u.d, u.k, u.c, u.p, u.cat, u.dep, u.dc, u.rc"
                   " ON CONFLICT ON CONSTRAINT kpi_cells_pkey DO UPDATE SET cells = t.cells"
                   " RETURNING ",
                   kDimensionColumns, ", basis, day - date '1970-01-01', cells"));
  // Writes the merged cells back. An upsert on the primary key rather than UPDATE ... FROM
  // unnest(): the join's cached generic plan picked the (basis, day) index and filtered every
  // row of the day (4 ms a batch under load); the arbiter index always probes by key.
  connection.prepare(
      kWriteCells,
      absl::StrCat(
          "INSERT INTO analytics.kpi_cells AS t (", kDimensionColumns,
          ", basis, day, cells) SELECT u.a, u.k, u.c, u.p, u.cat, u.dep, u.dc, u.rc, u.b,"
          " date '1970-01-01' + u.d, decode(u.cells, 'hex') FROM ",
          KeysUnnest(", $11::text[]"),
          " ON CONFLICT ON CONSTRAINT kpi_cells_pkey DO UPDATE SET cells = excluded.cells"));
  connection.prepare(
      kAddTerm, absl::StrCat("INSERT INTO analytics.term_counts (", kDimensionColumns,
                             ", day, term, complaints) VALUES (", key_values,
                             ", $10, $11) ON CONFLICT ON CONSTRAINT term_counts_pkey DO UPDATE SET"
                             " complaints = term_counts.complaints + excluded.complaints"
                             " RETURNING complaints = 0"));
  connection.prepare(kDeleteEmptyTerm,
                     absl::StrCat("DELETE FROM analytics.term_counts WHERE ", key_match,
                                  " AND term = $10 AND complaints = 0"));
  connection.prepare(
      kReadCells,
      absl::StrCat("SELECT day - date '1970-01-01', ", kDimensionColumns,
                   ", cells FROM analytics.kpi_cells WHERE basis = $9 AND ", kFilterSql,
                   " AND day BETWEEN date '1970-01-01' + $10::int AND date '1970-01-01' + "
                   "$11::int"));
  connection.prepare(
      kReadAllAdministrations,
      absl::StrCat("SELECT day - date '1970-01-01', ", kDimensionColumns,
                   ", cells FROM analytics.kpi_cells WHERE basis = $1"
                   " AND day BETWEEN date '1970-01-01' + $2::int AND date '1970-01-01' + $3::int"));
  connection.prepare(
      kReadTerms,
      absl::StrCat("SELECT day - date '1970-01-01', ", kDimensionColumns,
                   ", term, complaints FROM analytics.term_counts WHERE ", kFilterSql,
                   " AND day BETWEEN date '1970-01-01' + $9::int AND date '1970-01-01' + "
                   "$10::int"));
}

std::optional<ComplaintFact> PgAnalyticsStore::LockFact(pqxx::work& tx,
                                                        const std::string& complaint_id) {
  const pqxx::result result = tx.exec_prepared(kLockFact, complaint_id);
  if (result.empty()) {
    return std::nullopt;
  }
  const pqxx::row& row = result[0];
  ComplaintFact fact;
  fact.complaint_id = complaint_id;
  fact.dimensions = DimensionsOf(row, 0);
  const std::vector<int64_t> slots = ParseInt64Array(row[8].as<std::string>());
  for (size_t i = 0; i < slots.size() && i < fact.slots.size(); ++i) {
    fact.slots[i] = slots[i];
  }
  fact.wait_starts = ParseInt64Array(row[9].as<std::string>());
  fact.wait_ends = ParseInt64Array(row[10].as<std::string>());
  fact.satisfaction = row[11].as<int>();
  fact.problem_solved = row[12].as<bool>();
  const std::string keywords = row[13].as<std::string>();
  if (!keywords.empty()) {
    fact.keywords = absl::StrSplit(keywords, kKeySeparator);
  }
  return fact;
}

void PgAnalyticsStore::SaveFact(pqxx::work& tx, const ComplaintFact& fact) {
  const FactDimensions& d = fact.dimensions;
  tx.exec_prepared(kSaveFact, fact.complaint_id, d.administration_id, d.kind, d.channel, d.priority,
                   d.category, d.department_id, d.department_code, d.region_code,
                   Int64ArrayLiteral({fact.slots.begin(), fact.slots.end()}),
                   Int64ArrayLiteral(fact.wait_starts), Int64ArrayLiteral(fact.wait_ends),
                   fact.satisfaction, fact.problem_solved,
                   absl::StrJoin(fact.keywords, std::string(1, kKeySeparator)));
}

void PgAnalyticsStore::AddCells(pqxx::work& tx, const absl::btree_map<CellKey, Cells>& deltas) {
  KeyArrays keys;
  for (const auto& [key, delta] : deltas) {
    if (!delta.empty()) {
      keys.Add(key);
    }
  }
  if (keys.bases.empty()) {
    return;
  }
  absl::btree_map<CellKey, std::string> merged;
  for (const pqxx::row& row : ExecWithKeys(tx, kLockCells, keys)) {
    CellKey key{DimensionsOf(row, 0), static_cast<Basis>(row[8].as<int>()), row[9].as<int64_t>()};
    Cells cells = deltas.at(key);
    analytics::AddCells(cells, ParseCells(row[10].c_str()));
    merged.emplace(std::move(key), absl::BytesToHexString(EncodeCells(cells)));
  }
  KeyArrays written;
  std::vector<std::string> values;
  for (const auto& [key, hex] : merged) {
    written.Add(key);
    values.push_back(hex);
  }
  ExecWithKeys(tx, kWriteCells, written, db::TextArrayLiteral(values));
}

void PgAnalyticsStore::AddTerm(pqxx::work& tx, const FactDimensions& d, int64_t day,
                               const std::string& term, int64_t delta) {
  if (delta == 0) {
    return;
  }
  const pqxx::row emptied =
      tx.exec_prepared1(kAddTerm, d.administration_id, d.kind, d.channel, d.priority, d.category,
                        d.department_id, d.department_code, d.region_code, day, term, delta);
  if (emptied[0].as<bool>()) {
    tx.exec_prepared(kDeleteEmptyTerm, d.administration_id, d.kind, d.channel, d.priority,
                     d.category, d.department_id, d.department_code, d.region_code, day, term);
  }
}

namespace {

// The rows of `result` (day, dimensions, cells), skipping emptied ones.
std::vector<CellRow> RowsOf(const pqxx::result& result) {
  std::vector<CellRow> rows;
  rows.reserve(result.size());
  for (const pqxx::row& row : result) {
    CellList cells = ParseCells(row[9].c_str());
    if (!cells.empty()) {
      rows.push_back({row[0].as<int64_t>(), DimensionsOf(row, 1), std::move(cells)});
    }
  }
  return rows;
}

// Runs `statement` with the filter as $1-$8 followed by `more`, read-only.
template <typename... More>
absl::StatusOr<pqxx::result> QueryFiltered(db::ConnectionPool& pool, const char* statement,
                                           const CellFilter& f, More... more) {
  return db::RunInTransaction(pool, statement, [&](pqxx::work& tx) {
    tx.exec("SET TRANSACTION READ ONLY");
    return absl::StatusOr<pqxx::result>(tx.exec_prepared(
        statement, db::TextArrayLiteral(f.administration_ids), db::IntArrayLiteral(f.kinds),
        db::IntArrayLiteral(f.channels), db::IntArrayLiteral(f.priorities),
        db::TextArrayLiteral(f.categories), db::TextArrayLiteral(f.department_ids),
        db::TextArrayLiteral(f.department_codes), db::TextArrayLiteral(f.region_codes), more...));
  });
}

}  // namespace

absl::StatusOr<std::vector<std::vector<CellRow>>> PgAnalyticsStore::ReadCellSets(
    const CellFilter& f, const std::vector<std::vector<CellSpan>>& sets) {
  return db::RunInTransaction(
      pool_, kReadCells, [&](pqxx::work& tx) -> absl::StatusOr<std::vector<std::vector<CellRow>>> {
        tx.exec("SET TRANSACTION READ ONLY");
        // A generic plan cannot see which index fits the spans' bases and days; planning each
        // read costs less than a wrong index.
        tx.exec("SET LOCAL plan_cache_mode = force_custom_plan");
        const std::string administrations = db::TextArrayLiteral(f.administration_ids);
        const std::string kinds = db::IntArrayLiteral(f.kinds);
        const std::string channels = db::IntArrayLiteral(f.channels);
        const std::string priorities = db::IntArrayLiteral(f.priorities);
        const std::string categories = db::TextArrayLiteral(f.categories);
        const std::string department_ids = db::TextArrayLiteral(f.department_ids);
        const std::string department_codes = db::TextArrayLiteral(f.department_codes);
        const std::string region_codes = db::TextArrayLiteral(f.region_codes);
        std::vector<std::vector<CellRow>> out;
        for (const std::vector<CellSpan>& spans : sets) {
          std::vector<CellRow>& rows = out.emplace_back();
          for (const CellSpan& span : spans) {
            const bool packed = IsDayPacked(span.basis);
            const pqxx::result result = tx.exec_prepared(
                kReadCells, administrations, kinds, channels, priorities, categories,
                department_ids, department_codes, region_codes, static_cast<int>(span.basis),
                static_cast<int>(packed ? MonthStart(span.first_day) : span.first_day),
                static_cast<int>(span.last_day));
            std::vector<CellRow> read = RowsOf(result);
            rows.insert(rows.end(), std::make_move_iterator(read.begin()),
                        std::make_move_iterator(read.end()));
          }
        }
        return out;
      });
}

absl::StatusOr<std::vector<CellRow>> PgAnalyticsStore::ReadAllAdministrations(Basis basis,
                                                                              int64_t first_day,
                                                                              int64_t last_day) {
  absl::StatusOr<pqxx::result> result =
      db::RunInTransaction(pool_, kReadAllAdministrations, [&](pqxx::work& tx) {
        tx.exec("SET TRANSACTION READ ONLY");
        return absl::StatusOr<pqxx::result>(tx.exec_prepared(
            kReadAllAdministrations, static_cast<int>(basis),
            static_cast<int>(IsDayPacked(basis) ? MonthStart(first_day) : first_day),
            static_cast<int>(last_day)));
      });
  if (!result.ok()) {
    return result.status();
  }
  return RowsOf(*result);
}

absl::StatusOr<std::vector<TermRow>> PgAnalyticsStore::ReadTerms(const CellFilter& filter,
                                                                 int64_t first_day,
                                                                 int64_t last_day) {
  absl::StatusOr<pqxx::result> result = QueryFiltered(
      pool_, kReadTerms, filter, static_cast<int>(first_day), static_cast<int>(last_day));
  if (!result.ok()) {
    return result.status();
  }
  std::vector<TermRow> rows;
  rows.reserve(result->size());
  for (const pqxx::row& row : *result) {
    rows.push_back({row[0].as<int64_t>(), DimensionsOf(row, 1), row[9].as<std::string>(),
                    row[10].as<int64_t>()});
  }
  return rows;
}

}  // namespace doleances::analytics
