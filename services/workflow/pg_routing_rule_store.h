#pragma once

#include "doleances/workflow/v1/routing.pb.h"
#include "services/workflow/pg_organisation_store.h"
#include "services/workflow/routing.h"

#include <absl/status/status.h>
#include <absl/time/time.h>
#include <pqxx/connection>
#include <pqxx/transaction>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace doleances::workflow {

// PostgreSQL storage of routing rules and default queues (schema `workflow`), within the caller's
// transaction. A rule is stored serialized, with the columns that selection and uniqueness need
// (precedence, enabled, name), which are authoritative over the copy in the message, as are its
// id and version. Routing reads rules through PgCaseStore::LoadRoutingConfig.
class PgRoutingRuleStore {
 public:
  static void PrepareStatements(pqxx::connection& connection);

  // ALREADY_EXISTS naming the clashing rule when another enabled rule of `rule`'s administration
  // has its precedence or name; OK for a disabled `rule`, which clashes with nothing.
  static absl::Status CheckNoClash(pqxx::transaction_base& tx, const v1::RoutingRule& rule);

  // Creates `rule` (its id set) enabled at version 1.
  static v1::RoutingRule Insert(pqxx::transaction_base& tx, v1::RoutingRule rule, absl::Time now);

  // Writes `rule` at version + 1 (the caller checked the version under Lock).
  static v1::RoutingRule Update(pqxx::transaction_base& tx, v1::RoutingRule rule, absl::Time now);

  // The rule, locked for the rest of `tx`; empty if there is none.
  static std::optional<v1::RoutingRule> Lock(pqxx::transaction_base& tx,
                                             const std::string& routing_rule_id);

  // The administration's rules by ascending precedence (enabled first on a tie), then id.
  static std::vector<v1::RoutingRule> List(pqxx::transaction_base& tx,
                                           const std::string& administration_id,
                                           bool include_disabled, ListWindow window);

  // The administration's enabled rules and default queue as Route takes them (the rules of
  // PgCaseStore::LoadRoutingConfig, parsed; an unreadable one is skipped).
  static std::pair<std::vector<Rule>, std::string> LoadForRouting(
      pqxx::transaction_base& tx, const std::string& administration_id);

  // Makes `queue_id` the administration's default queue.
  static void SetDefaultQueue(pqxx::transaction_base& tx, const std::string& administration_id,
                              const std::string& queue_id, absl::Time now);
};

}  // namespace doleances::workflow
