#include "services/workflow/pg_routing_rule_store.h"

#include "common/db/pg_time.h"
#include "services/workflow/case_mapping.h"
#include "services/workflow/pg_case_store.h"

#include <absl/strings/str_cat.h>
#include <pqxx/pqxx>

namespace doleances::workflow {
namespace {

constexpr char kSelectClash[] = "workflow_select_clashing_rule";
constexpr char kInsertRule[] = "workflow_insert_routing_rule";
constexpr char kUpdateRule[] = "workflow_update_routing_rule";
constexpr char kLockRule[] = "workflow_lock_routing_rule";
constexpr char kListRules[] = "workflow_list_routing_rules";
constexpr char kUpsertDefaultQueue[] = "workflow_upsert_default_queue";

constexpr char kRuleColumns[] = "routing_rule_id::text, enabled, version, rule";

v1::RoutingRule RowToRule(const pqxx::row& row) {
  v1::RoutingRule rule;
  rule.ParseFromString(pqxx::binarystring(row[3]).str());
  rule.set_routing_rule_id(row[0].as<std::string>());
  rule.set_enabled(row[1].as<bool>());
  rule.set_version(row[2].as<int64_t>());
  return rule;
}

pqxx::binarystring Bytes(const std::string& serialized) {
  return pqxx::binarystring(serialized.data(), serialized.size());
}

}  // namespace

void PgRoutingRuleStore::PrepareStatements(pqxx::connection& connection) {
  connection.prepare(kSelectClash,
                     "SELECT routing_rule_id::text, precedence = $3, name FROM"
                     " workflow.routing_rules WHERE administration_id = $1 AND enabled"
                     " AND routing_rule_id::text <> $2 AND (precedence = $3 OR name = $4)"
                     " ORDER BY 2 DESC LIMIT 1");
  connection.prepare(kInsertRule,
                     absl::StrCat("INSERT INTO workflow.routing_rules (routing_rule_id,"
                                  " administration_id, precedence, enabled, name, rule, version)"
                                  " VALUES ($1, $2, $3, true, $4, $5, 1) RETURNING ",
                                  kRuleColumns));
  connection.prepare(kUpdateRule, absl::StrCat("UPDATE workflow.routing_rules SET precedence = $2,"
                                               " enabled = $3, name = $4, rule = $5,"
                                               " version = version + 1 WHERE routing_rule_id = $1"
                                               " RETURNING ",
                                               kRuleColumns));
  connection.prepare(kLockRule, absl::StrCat("SELECT ", kRuleColumns,
                                             " FROM workflow.routing_rules"
                                             " WHERE routing_rule_id = $1 FOR UPDATE"));
  connection.prepare(kListRules, absl::StrCat("SELECT ", kRuleColumns,
                                              " FROM workflow.routing_rules"
                                              " WHERE administration_id = $1 AND (enabled OR $2)"
                                              " ORDER BY precedence, enabled DESC,"
                                              " routing_rule_id LIMIT $3 OFFSET $4"));
  connection.prepare(
      kUpsertDefaultQueue,
      absl::StrCat("INSERT INTO workflow.default_queues (administration_id, queue_id,"
                   " update_time) VALUES ($1, $2, ",
                   db::TimestampFromMicros("$3"),
                   ") ON CONFLICT (administration_id) DO UPDATE SET queue_id = EXCLUDED.queue_id,"
                   " update_time = EXCLUDED.update_time"));
}

absl::Status PgRoutingRuleStore::CheckNoClash(pqxx::transaction_base& tx,
                                              const v1::RoutingRule& rule) {
  if (!rule.enabled()) {
    return absl::OkStatus();
  }
  const pqxx::result clash =
      tx.exec_prepared(kSelectClash, rule.administration_id(), rule.routing_rule_id(),
                       rule.precedence(), rule.name());
  if (clash.empty()) {
    return absl::OkStatus();
  }
  const std::string other = clash[0][0].as<std::string>();
  if (clash[0][1].as<bool>()) {
    return absl::AlreadyExistsError(absl::StrCat("precedence ", rule.precedence(),
                                                 " is already taken by enabled rule ", other));
  }
  return absl::AlreadyExistsError(
      absl::StrCat("name '", rule.name(), "' is already taken by enabled rule ", other));
}

v1::RoutingRule PgRoutingRuleStore::Insert(pqxx::transaction_base& tx, v1::RoutingRule rule,
                                           absl::Time now) {
  rule.set_enabled(true);
  rule.set_version(1);
  *rule.mutable_create_time() = ToTimestamp(now);
  *rule.mutable_update_time() = ToTimestamp(now);
  return RowToRule(tx.exec_prepared1(kInsertRule, rule.routing_rule_id(), rule.administration_id(),
                                     rule.precedence(), rule.name(),
                                     Bytes(rule.SerializeAsString())));
}

v1::RoutingRule PgRoutingRuleStore::Update(pqxx::transaction_base& tx, v1::RoutingRule rule,
                                           absl::Time now) {
  *rule.mutable_update_time() = ToTimestamp(now);
  rule.set_version(rule.version() + 1);
  return RowToRule(tx.exec_prepared1(kUpdateRule, rule.routing_rule_id(), rule.precedence(),
                                     rule.enabled(), rule.name(), Bytes(rule.SerializeAsString())));
}

std::optional<v1::RoutingRule> PgRoutingRuleStore::Lock(pqxx::transaction_base& tx,
                                                        const std::string& routing_rule_id) {
  const pqxx::result rows = tx.exec_prepared(kLockRule, routing_rule_id);
  if (rows.empty()) {
    return std::nullopt;
  }
  return RowToRule(rows[0]);
}

std::vector<v1::RoutingRule> PgRoutingRuleStore::List(pqxx::transaction_base& tx,
                                                      const std::string& administration_id,
                                                      bool include_disabled, ListWindow window) {
  std::vector<v1::RoutingRule> rules;
  for (const pqxx::row& row : tx.exec_prepared(kListRules, administration_id, include_disabled,
                                               window.limit, window.offset)) {
    rules.push_back(RowToRule(row));
  }
  return rules;
}

std::pair<std::vector<Rule>, std::string> PgRoutingRuleStore::LoadForRouting(
    pqxx::transaction_base& tx, const std::string& administration_id) {
  const RoutingConfig config = PgCaseStore::LoadRoutingConfig(tx, administration_id);
  std::vector<Rule> rules;
  for (const std::string& serialized : config.rules) {
    v1::RoutingRule rule;
    if (rule.ParseFromString(serialized)) {
      rules.push_back(RuleFromProto(rule));
    }
  }
  return {std::move(rules), config.default_queue_id.value_or("")};
}

void PgRoutingRuleStore::SetDefaultQueue(pqxx::transaction_base& tx,
                                         const std::string& administration_id,
                                         const std::string& queue_id, absl::Time now) {
  tx.exec_prepared(kUpsertDefaultQueue, administration_id, queue_id, absl::ToUnixMicros(now));
}

}  // namespace doleances::workflow
