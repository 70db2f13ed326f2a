#include "services/workflow/pg_case_store.h"

#include "common/db/pg_arrays.h"
#include "common/db/pg_time.h"
#include "common/db/transaction.h"
#include "doleances/workflow/v1/case.pb.h"
#include "services/workflow/case_state_machine.h"
#include "services/workflow/clock_keeper.h"
#include "services/workflow/workflow_metrics.h"

#include <absl/strings/str_cat.h>
#include <absl/strings/str_join.h>
#include <absl/strings/str_split.h>
#include <pqxx/pqxx>

namespace doleances::workflow {
namespace {

constexpr char kSelectRules[] = "workflow_select_enabled_rules";
constexpr char kSelectDefaultQueue[] = "workflow_select_default_queue";
constexpr char kInsertCase[] = "workflow_insert_case";
constexpr char kInsertHistory[] = "workflow_insert_case_history";
constexpr char kSelectCase[] = "workflow_select_case";
constexpr char kSelectCaseByComplaint[] = "workflow_select_case_by_complaint";
constexpr char kLockCase[] = "workflow_lock_case";
constexpr char kUpdateState[] = "workflow_update_case_state";
constexpr char kSelectHistory[] = "workflow_select_case_history";

constexpr char kCaseColumns[] =
    "case_id::text, complaint_id::text, administration_id, kind, category, commune_code,"
    " department_code, priority, state, queue_id::text, routing_rule_id::text, assignee_id,"
    " (extract(epoch FROM receive_time) * 1000000)::bigint,"
    " (extract(epoch FROM create_time) * 1000000)::bigint,"
    " (extract(epoch FROM update_time) * 1000000)::bigint, version,"
    " (SELECT department_id::text FROM workflow.queues q WHERE q.queue_id = cases.queue_id),"
    " event_version, mediation_id::text, last_response_id::text,"
    " (extract(epoch FROM next_due_time) * 1000000)::bigint,"
    " (SELECT principal_id FROM workflow.agents a WHERE a.agent_id::text = cases.assignee_id),"
    " escalation_level, parent_case_id::text,"
    " (extract(epoch FROM transfer_time) * 1000000)::bigint,"
    " array_to_string(ARRAY(SELECT c.case_id::text FROM workflow.cases c"
    " WHERE c.parent_case_id = cases.case_id ORDER BY c.create_time, c.case_id), ','),"
    " channel";

std::optional<std::string> OptionalText(const pqxx::field& field) {
  return field.is_null() ? std::nullopt : std::optional<std::string>(field.as<std::string>());
}

CaseRecord RowToCase(const pqxx::row& row) {
  CaseRecord record;
  record.case_id = row[0].as<std::string>();
  record.complaint_id = row[1].as<std::string>();
  record.administration_id = row[2].as<std::string>();
  record.kind = row[3].as<int>();
  record.category = row[4].as<std::string>();
  record.commune_code = row[5].as<std::string>();
  record.department_code = row[6].as<std::string>();
  record.priority = row[7].as<int>();
  record.state = row[8].as<int>();
  record.queue_id = OptionalText(row[9]);
  record.routing_rule_id = OptionalText(row[10]);
  record.assignee_id = OptionalText(row[11]);
  record.receive_time = absl::FromUnixMicros(row[12].as<int64_t>());
  record.create_time = absl::FromUnixMicros(row[13].as<int64_t>());
  record.update_time = absl::FromUnixMicros(row[14].as<int64_t>());
  record.version = row[15].as<int64_t>();
  record.department_id = OptionalText(row[16]);
  record.event_version = row[17].as<int64_t>();
  record.mediation_id = OptionalText(row[18]);
  record.last_response_id = OptionalText(row[19]);
  if (!row[20].is_null()) {
    record.next_due_time = absl::FromUnixMicros(row[20].as<int64_t>());
  }
  record.assignee_principal_id = OptionalText(row[21]);
  record.escalation_level = row[22].as<int>();
  record.parent_case_id = OptionalText(row[23]);
  if (!row[24].is_null()) {
    record.transfer_time = absl::FromUnixMicros(row[24].as<int64_t>());
  }
  if (const std::string children = row[25].as<std::string>(); !children.empty()) {
    record.child_case_ids = absl::StrSplit(children, ',');
  }
  record.channel = row[26].as<int>();
  return record;
}

// Stores `entry` as the case's next one; the caller holds the case's row lock.
int64_t InsertHistory(pqxx::transaction_base& tx, const std::string& case_id,
                      const CaseHistoryEntry& entry) {
  const pqxx::binarystring attachments(entry.attachments);
  return tx
      .exec_prepared1(kInsertHistory, case_id, entry.version, entry.from_state, entry.to_state,
                      entry.actor_kind, entry.actor_id, entry.motive_code, entry.public_message,
                      entry.internal_note, absl::ToUnixMicros(entry.occur_time), entry.entry_type,
                      entry.related_id, attachments)[0]
      .as<int64_t>();
}

CaseHistoryEntry RowToHistoryEntry(const pqxx::row& row) {
  CaseHistoryEntry entry;
  entry.case_id = row[0].as<std::string>();
  entry.entry_no = row[1].as<int64_t>();
  entry.version = row[2].as<int64_t>();
  entry.from_state = row[3].as<int>();
  entry.to_state = row[4].as<int>();
  entry.actor_kind = row[5].as<int>();
  entry.actor_id = row[6].as<std::string>();
  entry.motive_code = row[7].as<std::string>();
  entry.public_message = row[8].as<std::string>();
  entry.internal_note = row[9].as<std::string>();
  entry.occur_time = absl::FromUnixMicros(row[10].as<int64_t>());
  entry.entry_type = row[11].as<int>();
  entry.related_id = row[12].as<std::string>();
  if (!row[13].is_null()) {
    entry.attachments = pqxx::binarystring(row[13]).str();
  }
  return entry;
}

}  // namespace

void PgCaseStore::PrepareStatements(pqxx::connection& connection) {
  connection.prepare(kSelectRules,
                     "SELECT rule FROM workflow.routing_rules WHERE administration_id = $1"
                     " AND enabled ORDER BY precedence, routing_rule_id");
  connection.prepare(kSelectDefaultQueue,
                     "SELECT queue_id::text FROM workflow.default_queues"
                     " WHERE administration_id = $1");
  connection.prepare(
      kInsertCase,
      absl::StrCat(
          "INSERT INTO workflow.cases (case_id, complaint_id, administration_id, kind,"
          " category, commune_code, department_code, priority, state, queue_id,"
          " routing_rule_id, event_version, receive_time, parent_case_id, transfer_time, channel)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::uuid, $11::uuid, $12, ",
          db::TimestampFromMicros("$13"), ", $14::uuid, ", db::TimestampFromMicros("$15"),
          ", $16) ON CONFLICT DO NOTHING RETURNING"
          " (SELECT department_id::text FROM workflow.queues q WHERE q.queue_id = $10)"));
  connection.prepare(
      kInsertHistory,
      absl::StrCat("INSERT INTO workflow.case_history (case_id, entry_no, version, from_state,"
                   " to_state, actor_kind, actor_id, motive_code, public_message, internal_note,"
                   " occur_time, entry_type, related_id, attachments) VALUES ($1,"
                   " (SELECT coalesce(max(entry_no), 0) + 1 FROM workflow.case_history"
                   " WHERE case_id = $1), $2, $3, $4, $5, $6, $7, $8, $9, ",
                   db::TimestampFromMicros("$10"), ", $11, $12, $13) RETURNING entry_no"));
  connection.prepare(kSelectCase, absl::StrCat("SELECT ", kCaseColumns,
                                               " FROM workflow.cases WHERE case_id = $1"));
  connection.prepare(
      kSelectCaseByComplaint,
      absl::StrCat("SELECT ", kCaseColumns, " FROM workflow.cases WHERE complaint_id = $1",
                   " ORDER BY create_time DESC, case_id LIMIT 1"));
  connection.prepare(kLockCase, absl::StrCat("SELECT ", kCaseColumns,
                                             " FROM workflow.cases WHERE case_id = $1"
                                             " FOR UPDATE"));
  connection.prepare(
      kUpdateState,
      absl::StrCat("UPDATE workflow.cases SET state = $2, version = version + 1,"
                   " event_version = event_version + 1, update_time = ",
                   db::TimestampFromMicros("$3"), " WHERE case_id = $1 RETURNING ", kCaseColumns));
  // The case's entries after those of the earlier cases of its chain, oldest case first.
  connection.prepare(kSelectHistory,
                     "WITH RECURSIVE chain (case_id, depth) AS ("
                     " SELECT $1::uuid, 0 UNION ALL"
                     " SELECT c.parent_case_id, chain.depth + 1 FROM workflow.cases c"
                     " JOIN chain ON c.case_id = chain.case_id"
                     " WHERE c.parent_case_id IS NOT NULL AND chain.depth < 100)"
                     " SELECT h.case_id::text, entry_no, version, from_state, to_state,"
                     " actor_kind, actor_id, motive_code, public_message, internal_note,"
                     " (extract(epoch FROM occur_time) * 1000000)::bigint, entry_type,"
                     " related_id, attachments"
                     " FROM workflow.case_history h JOIN chain ON chain.case_id = h.case_id"
                     " ORDER BY chain.depth DESC, entry_no");
}

RoutingConfig PgCaseStore::LoadRoutingConfig(pqxx::transaction_base& tx,
                                             const std::string& administration_id) {
  RoutingConfig config;
  for (const pqxx::row& row : tx.exec_prepared(kSelectRules, administration_id)) {
    config.rules.push_back(pqxx::binarystring(row[0]).str());
  }
  const pqxx::result queue = tx.exec_prepared(kSelectDefaultQueue, administration_id);
  if (!queue.empty()) {
    config.default_queue_id = queue[0][0].as<std::string>();
  }
  return config;
}

bool PgCaseStore::CreateCase(pqxx::transaction_base& tx, CaseRecord& record,
                             const CaseHistoryEntry& first_entry) {
  const pqxx::result inserted = tx.exec_prepared(
      kInsertCase, record.case_id, record.complaint_id, record.administration_id, record.kind,
      record.category, record.commune_code, record.department_code, record.priority, record.state,
      record.queue_id, record.routing_rule_id, record.event_version,
      absl::ToUnixMicros(record.receive_time), record.parent_case_id,
      record.transfer_time.has_value()
          ? std::optional<int64_t>(absl::ToUnixMicros(*record.transfer_time))
          : std::nullopt,
      record.channel);
  if (inserted.empty()) {
    return false;
  }
  record.department_id = OptionalText(inserted[0][0]);
  CaseHistoryEntry entry = first_entry;
  if (entry.entry_type == 0) {
    entry.entry_type = v1::CASE_HISTORY_ENTRY_TYPE_ROUTED;
  }
  InsertHistory(tx, record.case_id, entry);
  return true;
}

CaseHistoryEntry PgCaseStore::AddEntryLocked(pqxx::transaction_base& tx, const CaseRecord& current,
                                             CaseHistoryEntry entry) {
  entry.case_id = current.case_id;
  entry.version = current.version;
  entry.from_state = current.state;
  entry.to_state = current.state;
  entry.entry_no = InsertHistory(tx, current.case_id, entry);
  return entry;
}

std::optional<CaseRecord> PgCaseStore::Lock(pqxx::transaction_base& tx,
                                            const std::string& case_id) {
  const pqxx::result rows = tx.exec_prepared(kLockCase, case_id);
  if (rows.empty()) {
    return std::nullopt;
  }
  return RowToCase(rows[0]);
}

absl::StatusOr<CaseRecord> PgCaseStore::LockAtVersion(pqxx::transaction_base& tx,
                                                      const std::string& case_id,
                                                      int64_t expected_version) {
  std::optional<CaseRecord> current = Lock(tx, case_id);
  if (!current.has_value()) {
    return absl::NotFoundError(absl::StrCat("case ", case_id, " not found"));
  }
  if (current->version != expected_version) {
    return absl::AbortedError(absl::StrCat("case ", case_id, " is at version ", current->version,
                                           ", not ", expected_version, ": read it again"));
  }
  return *std::move(current);
}

absl::StatusOr<CaseRecord> PgCaseStore::Get(const std::string& case_id) {
  return db::RunInTransaction(
      pool_, "workflow_get_case", [&](pqxx::work& tx) -> absl::StatusOr<CaseRecord> {
        const pqxx::result rows = tx.exec_prepared(kSelectCase, case_id);
        if (rows.empty()) {
          return absl::NotFoundError(absl::StrCat("case ", case_id, " not found"));
        }
        return RowToCase(rows[0]);
      });
}

absl::StatusOr<CaseRecord> PgCaseStore::GetByComplaint(const std::string& complaint_id) {
  return db::RunInTransaction(
      pool_, "workflow_get_case_by_complaint", [&](pqxx::work& tx) -> absl::StatusOr<CaseRecord> {
        const pqxx::result rows = tx.exec_prepared(kSelectCaseByComplaint, complaint_id);
        if (rows.empty()) {
          return absl::NotFoundError(absl::StrCat("no case for complaint ", complaint_id));
        }
        return RowToCase(rows[0]);
      });
}

absl::StatusOr<CaseRecord> PgCaseStore::TransitionLocked(pqxx::transaction_base& tx,
                                                         const CaseRecord& current,
                                                         CaseHistoryEntry entry,
                                                         const EventMaker& make_event) {
  const CaseRecord updated = RowToCase(tx.exec_prepared1(
      kUpdateState, current.case_id, entry.to_state, absl::ToUnixMicros(entry.occur_time)));
  entry.version = updated.version;
  entry.from_state = current.state;
  if (entry.entry_type == 0) {
    entry.entry_type = v1::CASE_HISTORY_ENTRY_TYPE_TRANSITIONED;
  }
  entry.case_id = current.case_id;
  entry.entry_no = InsertHistory(tx, current.case_id, entry);
  if (absl::Status appended = events::EventLog::Append(tx, make_event(updated, entry));
      !appended.ok()) {
    return appended;
  }
  const TransitionRule* rule = FindTransitionRule(static_cast<type::v1::CaseState>(current.state),
                                                  static_cast<type::v1::CaseState>(entry.to_state));
  if (WorkflowMetrics* metrics = WorkflowMetrics::Current(); metrics != nullptr) {
    const absl::Duration since_receipt = entry.occur_time - current.receive_time;
    if (entry.to_state == type::v1::CASE_STATE_RESPONDED && !current.last_response_id) {
      metrics->FirstResponse(LabelsOf(updated), since_receipt);
    } else if (entry.to_state == type::v1::CASE_STATE_CLOSED ||
               entry.to_state == type::v1::CASE_STATE_REJECTED) {
      metrics->Resolved(LabelsOf(updated), since_receipt);
    }
  }
  CaseRecord clocked = updated;
  if (absl::Status clocks = ClockKeeper::ApplyEffect(
          tx, clocked, rule == nullptr ? ClockEffect::kNone : rule->clock_effect, entry.occur_time);
      !clocks.ok()) {
    return clocks;
  }
  return clocked;
}

absl::StatusOr<CaseRecord> PgCaseStore::Transition(
    const std::string& case_id, int64_t expected_version, CaseHistoryEntry entry,
    const std::function<absl::Status(const CaseRecord& current)>& check,
    const EventMaker& make_event,
    const std::function<absl::Status(pqxx::transaction_base&, const CaseRecord&)>& also) {
  return db::RunInTransaction(
      pool_, "workflow_transition_case", [&](pqxx::work& tx) -> absl::StatusOr<CaseRecord> {
        absl::StatusOr<CaseRecord> current = LockAtVersion(tx, case_id, expected_version);
        if (!current.ok()) {
          return current.status();
        }
        if (absl::Status allowed = check(*current); !allowed.ok()) {
          return allowed;
        }
        absl::StatusOr<CaseRecord> updated = TransitionLocked(tx, *current, entry, make_event);
        if (updated.ok() && also) {
          if (absl::Status done = also(tx, *updated); !done.ok()) {
            return done;
          }
        }
        return updated;
      });
}

namespace {

// The keyset of an order: SQL expressions compared as a row, and the direction.
struct SortKey {
  std::vector<std::string> expressions;
  std::vector<std::string> types;  // Parameter casts for a cursor's values.
  bool descending = false;
};

SortKey SortKeyOf(int order) {
  const std::string id = "cases.case_id";
  switch (order) {
    case 2:  // CREATE_TIME
      return {{"(extract(epoch FROM create_time) * 1000000)::bigint", id}, {"bigint", "uuid"}};
    case 3:  // UPDATE_TIME_DESC
      return {
          {"(extract(epoch FROM update_time) * 1000000)::bigint", id}, {"bigint", "uuid"}, true};
    default:  // NEXT_DUE_TIME: most urgent first, cases without a running clock last.
      return {{"COALESCE((extract(epoch FROM next_due_time) * 1000000)::bigint,"
               " 9223372036854775807)",
               "-priority", "(extract(epoch FROM receive_time) * 1000000)::bigint", id},
              {"bigint", "int", "bigint", "uuid"}};
  }
}

}  // namespace

absl::StatusOr<PgCaseStore::Page> PgCaseStore::List(const CaseFilter& filter,
                                                    const std::string& cursor, int limit) {
  const SortKey key = SortKeyOf(filter.order);
  std::vector<std::string> cursor_values;
  if (!cursor.empty()) {
    cursor_values = absl::StrSplit(cursor, ':');
    if (cursor_values.size() != key.expressions.size()) {
      return absl::InvalidArgumentError("page_token: not a token of this query");
    }
  }
  return db::RunInTransaction(
      pool_, "workflow_list_cases", [&](pqxx::work& tx) -> absl::StatusOr<Page> {
        std::vector<std::string> where = {
            absl::StrCat("administration_id = ", tx.quote(filter.administration_id))};
        if (!filter.queue_ids.empty()) {
          where.push_back(absl::StrCat("queue_id::text = ANY(",
                                       tx.quote(db::TextArrayLiteral(filter.queue_ids)),
                                       "::text[])"));
        }
        where.push_back(
            filter.states.empty()
                ? "state NOT IN (7, 10, 12, 13)"  // CLOSED REJECTED WITHDRAWN TRANSFERRED
                : absl::StrCat("state = ANY(", tx.quote(db::IntArrayLiteral(filter.states)),
                               "::int[])"));
        if (filter.assignee_id.has_value()) {
          where.push_back(absl::StrCat("assignee_id = ", tx.quote(*filter.assignee_id)));
        }
        if (filter.unassigned_only) {
          where.push_back("assignee_id IS NULL");
        }
        if (filter.due_before.has_value()) {
          where.push_back(absl::StrCat(
              "next_due_time <= ",
              db::TimestampFromMicros(absl::StrCat(absl::ToUnixMicros(*filter.due_before)))));
        }
        if (filter.complaint_id.has_value()) {
          where.push_back(absl::StrCat("complaint_id::text = ", tx.quote(*filter.complaint_id)));
        }
        if (!filter.kinds.empty()) {
          where.push_back(
              absl::StrCat("kind = ANY(", tx.quote(db::IntArrayLiteral(filter.kinds)), "::int[])"));
        }
        if (!filter.categories.empty()) {
          where.push_back(absl::StrCat(
              "category = ANY(", tx.quote(db::TextArrayLiteral(filter.categories)), "::text[])"));
        }
        if (!cursor_values.empty()) {
          std::vector<std::string> values;
          for (size_t i = 0; i < cursor_values.size(); ++i) {
            values.push_back(absl::StrCat(tx.quote(cursor_values[i]), "::", key.types[i]));
          }
          where.push_back(absl::StrCat("(", absl::StrJoin(key.expressions, ", "), ") ",
                                       key.descending ? "<" : ">", " (",
                                       absl::StrJoin(values, ", "), ")"));
        }
        std::vector<std::string> order;
        for (const std::string& expression : key.expressions) {
          order.push_back(absl::StrCat(expression, key.descending ? " DESC" : ""));
        }
        const std::string sort_columns = absl::StrJoin(key.expressions, ", ");
        const pqxx::result rows =
            tx.exec(absl::StrCat("SELECT ", kCaseColumns, ", ", sort_columns,
                                 " FROM workflow.cases WHERE ", absl::StrJoin(where, " AND "),
                                 " ORDER BY ", absl::StrJoin(order, ", "), " LIMIT ", limit + 1));
        Page page;
        const int case_columns = static_cast<int>(rows.columns() - key.expressions.size());
        for (const pqxx::row& row : rows) {
          if (static_cast<int>(page.cases.size()) == limit) {
            std::vector<std::string> last;
            const pqxx::row& previous = rows[page.cases.size() - 1];
            for (size_t i = 0; i < key.expressions.size(); ++i) {
              last.push_back(previous[case_columns + static_cast<int>(i)].as<std::string>());
            }
            page.next_cursor = absl::StrJoin(last, ":");
            break;
          }
          page.cases.push_back(RowToCase(row));
        }
        return page;
      });
}

absl::StatusOr<std::vector<CaseHistoryEntry>> PgCaseStore::History(const std::string& case_id) {
  return db::RunInTransaction(
      pool_, "workflow_case_history",
      [&](pqxx::work& tx) -> absl::StatusOr<std::vector<CaseHistoryEntry>> {
        std::vector<CaseHistoryEntry> history;
        for (const pqxx::row& row : tx.exec_prepared(kSelectHistory, case_id)) {
          history.push_back(RowToHistoryEntry(row));
        }
        return history;
      });
}

}  // namespace doleances::workflow
