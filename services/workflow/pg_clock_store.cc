#include "services/workflow/pg_clock_store.h"

#include "common/db/pg_time.h"
#include "common/util/proto_time.h"
#include "common/util/uuid.h"

#include <absl/strings/str_cat.h>
#include <absl/strings/str_join.h>
#include <pqxx/pqxx>

#include <algorithm>

namespace doleances::workflow {
namespace {

constexpr char kSelectCalendar[] = "workflow_select_calendar";
constexpr char kSelectPolicies[] = "workflow_select_policies";
constexpr char kSelectPolicy[] = "workflow_select_policy";
constexpr char kSelectClocks[] = "workflow_select_clocks";
constexpr char kSelectClockRules[] = "workflow_select_clock_rules";
constexpr char kSelectPauses[] = "workflow_select_pauses";
constexpr char kClaimDueCases[] = "workflow_claim_due_cases";

std::string Bytes(const pqxx::field& field) { return pqxx::binarystring(field).str(); }

std::optional<absl::Time> OptionalTime(const pqxx::field& field) {
  if (field.is_null()) {
    return std::nullopt;
  }
  return absl::FromUnixMicros(field.as<int64_t>());
}

std::string Micros(const char* column) {
  return absl::StrCat("(extract(epoch FROM ", column, ") * 1000000)::bigint");
}

// A timestamptz SQL literal, or NULL.
std::string TimeLiteral(std::optional<absl::Time> time) {
  if (!time.has_value()) {
    return "NULL";
  }
  return db::TimestampFromMicros(absl::StrCat(absl::ToUnixMicros(*time)));
}

std::string Bool(bool value) { return value ? "true" : "false"; }

// The earliest due time among the clocks the administration must act on (the citizen's appeal
// window is not one of them).
std::optional<absl::Time> NextDueTime(const std::vector<ClockRecord>& clocks) {
  std::optional<absl::Time> next;
  for (const ClockRecord& clock : clocks) {
    if (clock.running() && clock.due_time.has_value() &&
        clock.clock != type::v1::CLOCK_KIND_APPEAL_WINDOW &&
        (!next.has_value() || *clock.due_time < *next)) {
      next = clock.due_time;
    }
  }
  return next;
}

}  // namespace

void PgClockStore::PrepareStatements(pqxx::connection& connection) {
  connection.prepare(kSelectCalendar, "SELECT calendar, version, " + Micros("update_time") +
                                          " FROM workflow.calendars WHERE administration_id = $1");
  connection.prepare(kSelectPolicies,
                     "SELECT policy, version, " + Micros("update_time") +
                         " FROM workflow.deadline_policies WHERE administration_id = $1"
                         " ORDER BY clock, category DESC, kind DESC, priority DESC, policy_id");
  connection.prepare(kSelectPolicy, "SELECT policy, version, " + Micros("update_time") +
                                        " FROM workflow.deadline_policies WHERE policy_id = $1");
  connection.prepare(kSelectClockRules,
                     "SELECT false, calendar, version, " + Micros("update_time") +
                         " FROM workflow.calendars WHERE administration_id = $1 UNION ALL"
                         " SELECT true, policy, version, " +
                         Micros("update_time") +
                         " FROM workflow.deadline_policies WHERE administration_id = $1");
  connection.prepare(
      kSelectClocks,
      absl::StrCat("SELECT clock, state, policy_id, spec, pause_while_awaiting_citizen,"
                   " warning_percent, escalate_on_breach, ",
                   Micros("start_time"), ", start_reason, ", Micros("due_time"), ", ",
                   Micros("warning_time"), ", ", Micros("stop_time"),
                   ", warning_fired, due_fired FROM workflow.case_clocks WHERE case_id = $1"
                   " ORDER BY clock"));
  connection.prepare(kSelectPauses, absl::StrCat("SELECT clock, ", Micros("pause_time"), ", ",
                                                 Micros("resume_time"),
                                                 ", reason, resume_mode FROM workflow.clock_pauses"
                                                 " WHERE case_id = $1 ORDER BY clock, ordinal"));
  // Locks the cases, not the clocks, so that timers take locks in the order transitions do.
  connection.prepare(kClaimDueCases,
                     absl::StrCat("SELECT case_id::text FROM workflow.cases WHERE case_id IN"
                                  " (SELECT case_id FROM workflow.case_clocks"
                                  "  WHERE next_fire_time <= ",
                                  db::TimestampFromMicros("$1"),
                                  "  ORDER BY next_fire_time LIMIT $2 * 4)"
                                  " LIMIT $2 FOR UPDATE SKIP LOCKED"));
}

std::optional<v1::Calendar> PgClockStore::LoadCalendar(pqxx::transaction_base& tx,
                                                       const std::string& administration_id) {
  const pqxx::result rows = tx.exec_prepared(kSelectCalendar, administration_id);
  if (rows.empty()) {
    return std::nullopt;
  }
  v1::Calendar calendar;
  calendar.ParseFromString(Bytes(rows[0][0]));
  calendar.set_version(rows[0][1].as<int64_t>());
  *calendar.mutable_update_time() =
      util::ToTimestamp(absl::FromUnixMicros(rows[0][2].as<int64_t>()));
  return calendar;
}

absl::StatusOr<v1::Calendar> PgClockStore::SaveCalendar(pqxx::transaction_base& tx,
                                                        v1::Calendar calendar, absl::Time now) {
  const int64_t expected = calendar.version();
  calendar.set_version(expected + 1);
  *calendar.mutable_update_time() = util::ToTimestamp(now);
  const std::string bytes = calendar.SerializeAsString();
  const pqxx::binarystring blob(bytes.data(), bytes.size());
  const pqxx::result written =
      expected == 0
          ? tx.exec_params(
                absl::StrCat("INSERT INTO workflow.calendars VALUES ($1, $2, 1, ",
                             db::TimestampFromMicros("$3"), ") ON CONFLICT DO NOTHING RETURNING 1"),
                calendar.administration_id(), blob, absl::ToUnixMicros(now))
          : tx.exec_params(absl::StrCat("UPDATE workflow.calendars SET calendar = $2,"
                                        " version = version + 1, update_time = ",
                                        db::TimestampFromMicros("$3"),
                                        " WHERE administration_id = $1 AND version = $4"
                                        " RETURNING 1"),
                           calendar.administration_id(), blob, absl::ToUnixMicros(now), expected);
  if (written.empty()) {
    return absl::AbortedError(absl::StrCat(
        "the calendar of administration ", calendar.administration_id(), " is not at version ",
        expected, " (0 creates it): read it again with GetCalendar"));
  }
  return calendar;
}

std::vector<v1::DeadlinePolicy> PgClockStore::LoadPolicies(pqxx::transaction_base& tx,
                                                           const std::string& administration_id) {
  std::vector<v1::DeadlinePolicy> policies;
  for (const pqxx::row& row : tx.exec_prepared(kSelectPolicies, administration_id)) {
    v1::DeadlinePolicy& policy = policies.emplace_back();
    policy.ParseFromString(Bytes(row[0]));
    policy.set_version(row[1].as<int64_t>());
    *policy.mutable_update_time() = util::ToTimestamp(absl::FromUnixMicros(row[2].as<int64_t>()));
  }
  return policies;
}

std::optional<v1::DeadlinePolicy> PgClockStore::FindPolicy(pqxx::transaction_base& tx,
                                                           const std::string& policy_id) {
  const pqxx::result rows = tx.exec_prepared(kSelectPolicy, policy_id);
  if (rows.empty()) {
    return std::nullopt;
  }
  v1::DeadlinePolicy policy;
  policy.ParseFromString(Bytes(rows[0][0]));
  policy.set_version(rows[0][1].as<int64_t>());
  *policy.mutable_update_time() = util::ToTimestamp(absl::FromUnixMicros(rows[0][2].as<int64_t>()));
  return policy;
}

absl::StatusOr<v1::DeadlinePolicy> PgClockStore::SavePolicy(pqxx::transaction_base& tx,
                                                            v1::DeadlinePolicy policy,
                                                            absl::Time now) {
  const int64_t expected = policy.version();
  const pqxx::result existing = tx.exec_params(
      "SELECT policy_id::text, version FROM workflow.deadline_policies WHERE administration_id ="
      " $1 AND clock = $2 AND kind = $3 AND category = $4 AND priority = $5 FOR UPDATE",
      policy.administration_id(), static_cast<int>(policy.clock()), static_cast<int>(policy.kind()),
      policy.category(), static_cast<int>(policy.priority()));
  if (existing.empty() && expected != 0) {
    return absl::NotFoundError(
        "no policy has this administration, clock, kind, category and priority: create it with"
        " version 0");
  }
  if (!existing.empty() && existing[0][1].as<int64_t>() != expected) {
    if (expected == 0) {
      return absl::AlreadyExistsError(
          absl::StrCat("policy ", existing[0][0].as<std::string>(),
                       " has this match already: replace it with its current version"));
    }
    return absl::AbortedError(absl::StrCat("policy ", existing[0][0].as<std::string>(),
                                           " is at version ", existing[0][1].as<int64_t>(),
                                           ", not ", expected, ": read it again"));
  }
  policy.set_policy_id(existing.empty() ? util::NewUuid() : existing[0][0].as<std::string>());
  policy.set_version(expected + 1);
  *policy.mutable_update_time() = util::ToTimestamp(now);
  const std::string bytes = policy.SerializeAsString();
  tx.exec_params(
      absl::StrCat("INSERT INTO workflow.deadline_policies VALUES ($1, $2, $3, $4, $5,"
                   " $6, $7, $8, ",
                   db::TimestampFromMicros("$9"),
                   ") ON CONFLICT (policy_id) DO UPDATE SET policy = EXCLUDED.policy,"
                   " version = EXCLUDED.version, update_time = EXCLUDED.update_time"),
      policy.policy_id(), policy.administration_id(), static_cast<int>(policy.clock()),
      static_cast<int>(policy.kind()), policy.category(), static_cast<int>(policy.priority()),
      pqxx::binarystring(bytes.data(), bytes.size()), policy.version(), absl::ToUnixMicros(now));
  return policy;
}

void PgClockStore::DeletePolicy(pqxx::transaction_base& tx, const std::string& policy_id) {
  tx.exec_params("DELETE FROM workflow.deadline_policies WHERE policy_id = $1", policy_id);
}

PgClockStore::ClockRules PgClockStore::LoadClockRules(pqxx::transaction_base& tx,
                                                      const std::string& administration_id) {
  ClockRules rules;
  for (const pqxx::row& row : tx.exec_prepared(kSelectClockRules, administration_id)) {
    const google::protobuf::Timestamp update_time =
        util::ToTimestamp(absl::FromUnixMicros(row[3].as<int64_t>()));
    if (row[0].as<bool>()) {
      v1::DeadlinePolicy& policy = rules.policies.emplace_back();
      policy.ParseFromString(Bytes(row[1]));
      policy.set_version(row[2].as<int64_t>());
      *policy.mutable_update_time() = update_time;
    } else {
      v1::Calendar& calendar = rules.calendar.emplace();
      calendar.ParseFromString(Bytes(row[1]));
      calendar.set_version(row[2].as<int64_t>());
      *calendar.mutable_update_time() = update_time;
    }
  }
  return rules;
}

std::vector<ClockRecord> PgClockStore::LoadClocks(pqxx::transaction_base& tx,
                                                  const std::string& case_id) {
  std::vector<ClockRecord> clocks;
  for (const pqxx::row& row : tx.exec_prepared(kSelectClocks, case_id)) {
    ClockRecord& clock = clocks.emplace_back();
    clock.clock = row[0].as<int>();
    clock.state = row[1].as<int>();
    clock.policy_id = row[2].as<std::string>();
    clock.spec.ParseFromString(Bytes(row[3]));
    clock.pause_while_awaiting_citizen = row[4].as<bool>();
    clock.warning_percent = row[5].as<int>();
    clock.escalate_on_breach = row[6].as<bool>();
    clock.start_time = absl::FromUnixMicros(row[7].as<int64_t>());
    clock.start_reason = row[8].as<std::string>();
    clock.due_time = OptionalTime(row[9]);
    clock.warning_time = OptionalTime(row[10]);
    clock.stop_time = OptionalTime(row[11]);
    clock.warning_fired = row[12].as<bool>();
    clock.due_fired = row[13].as<bool>();
  }
  if (clocks.empty()) {
    return clocks;
  }
  for (const pqxx::row& row : tx.exec_prepared(kSelectPauses, case_id)) {
    const int kind = row[0].as<int>();
    auto owner = std::find_if(clocks.begin(), clocks.end(),
                              [kind](const ClockRecord& clock) { return clock.clock == kind; });
    if (owner != clocks.end()) {
      owner->pauses.push_back({absl::FromUnixMicros(row[1].as<int64_t>()), OptionalTime(row[2]),
                               row[3].as<int>(), row[4].as<int>()});
    }
  }
  return clocks;
}

void PgClockStore::SaveClocks(pqxx::transaction_base& tx, const std::string& case_id,
                              const std::vector<ClockRecord>& clocks, int64_t event_version) {
  const std::string quoted_case = tx.quote(case_id);
  std::vector<std::string> rows;
  std::vector<std::string> dirty_kinds;
  std::vector<std::string> pauses;
  for (const ClockRecord& clock : clocks) {
    if (!clock.dirty) {
      continue;
    }
    const std::string spec = clock.spec.SerializeAsString();
    rows.push_back(absl::StrCat(
        "(", quoted_case, ", ", clock.clock, ", ", clock.state, ", ", tx.quote(clock.policy_id),
        ", ", tx.quote_raw(reinterpret_cast<const unsigned char*>(spec.data()), spec.size()), ", ",
        Bool(clock.pause_while_awaiting_citizen), ", ", clock.warning_percent, ", ",
        Bool(clock.escalate_on_breach), ", ", TimeLiteral(clock.start_time), ", ",
        tx.quote(clock.start_reason), ", ", TimeLiteral(clock.due_time), ", ",
        TimeLiteral(clock.warning_time), ", ", TimeLiteral(clock.stop_time), ", ",
        Bool(clock.warning_fired), ", ", Bool(clock.due_fired), ", ",
        TimeLiteral(clock.NextFireTime()), ")"));
    dirty_kinds.push_back(absl::StrCat(clock.clock));
    for (size_t i = 0; i < clock.pauses.size(); ++i) {
      const ClockPauseRecord& pause = clock.pauses[i];
      pauses.push_back(absl::StrCat("(", quoted_case, ", ", clock.clock, ", ", i, ", ",
                                    TimeLiteral(pause.start), ", ", TimeLiteral(pause.resume), ", ",
                                    pause.reason, ", ", pause.resume_mode, ")"));
    }
  }
  // One round trip for every change: routing a complaint arms its clocks on the hot path.
  std::string sql;
  if (!rows.empty()) {
    absl::StrAppend(
        &sql,
        "INSERT INTO workflow.case_clocks (case_id, clock, state, policy_id, spec,"
        " pause_while_awaiting_citizen, warning_percent, escalate_on_breach, start_time,"
        " start_reason, due_time, warning_time, stop_time, warning_fired, due_fired,"
        " next_fire_time) VALUES ",
        absl::StrJoin(rows, ", "),
        " ON CONFLICT (case_id, clock) DO UPDATE SET state = EXCLUDED.state,"
        " policy_id = EXCLUDED.policy_id, spec = EXCLUDED.spec,"
        " pause_while_awaiting_citizen = EXCLUDED.pause_while_awaiting_citizen,"
        " warning_percent = EXCLUDED.warning_percent,"
        " escalate_on_breach = EXCLUDED.escalate_on_breach, start_time = EXCLUDED.start_time,"
        " start_reason = EXCLUDED.start_reason, due_time = EXCLUDED.due_time,"
        " warning_time = EXCLUDED.warning_time, stop_time = EXCLUDED.stop_time,"
        " warning_fired = EXCLUDED.warning_fired, due_fired = EXCLUDED.due_fired,"
        " next_fire_time = EXCLUDED.next_fire_time;",
        "DELETE FROM workflow.clock_pauses WHERE case_id = ", quoted_case, " AND clock IN (",
        absl::StrJoin(dirty_kinds, ", "), ");");
  }
  if (!pauses.empty()) {
    absl::StrAppend(&sql, "INSERT INTO workflow.clock_pauses VALUES ", absl::StrJoin(pauses, ", "),
                    ";");
  }
  absl::StrAppend(&sql, "UPDATE workflow.cases SET event_version = ", event_version,
                  ", next_due_time = ", TimeLiteral(NextDueTime(clocks)),
                  " WHERE case_id = ", quoted_case, ";");
  tx.exec(sql);
}

std::vector<std::string> PgClockStore::ClaimCasesWithDueTimers(pqxx::transaction_base& tx,
                                                               absl::Time now, int limit) {
  std::vector<std::string> case_ids;
  for (const pqxx::row& row : tx.exec_prepared(kClaimDueCases, absl::ToUnixMicros(now), limit)) {
    case_ids.push_back(row[0].as<std::string>());
  }
  return case_ids;
}

}  // namespace doleances::workflow
