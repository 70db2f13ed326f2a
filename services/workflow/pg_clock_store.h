#pragma once

#include "doleances/workflow/v1/calendar.pb.h"
#include "services/workflow/clock_record.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <pqxx/connection>
#include <pqxx/transaction>

#include <optional>
#include <string>
#include <vector>

namespace doleances::workflow {

// PostgreSQL storage of calendars, deadline policies and case clocks (schema `workflow`). Every
// function works within the caller's transaction, so clocks change with the case they belong to.
class PgClockStore {
 public:
  static void PrepareStatements(pqxx::connection& connection);

  // The administration's calendar, or empty if it never set one.
  static std::optional<v1::Calendar> LoadCalendar(pqxx::transaction_base& tx,
                                                  const std::string& administration_id);

  // Stores `calendar` (its version must be the stored one, 0 to create): ABORTED otherwise.
  // Returns it as stored, with its new version and update time.
  static absl::StatusOr<v1::Calendar> SaveCalendar(pqxx::transaction_base& tx,
                                                   v1::Calendar calendar, absl::Time now);

  // Every policy of the administration.
  static std::vector<v1::DeadlinePolicy> LoadPolicies(pqxx::transaction_base& tx,
                                                      const std::string& administration_id);

  // Creates (version 0) or replaces (current version) the policy with `policy`'s match: ABORTED
  // on a stale version, ALREADY_EXISTS when creating over an existing match.
  static absl::StatusOr<v1::DeadlinePolicy> SavePolicy(pqxx::transaction_base& tx,
                                                       v1::DeadlinePolicy policy, absl::Time now);

  // The policy with this id, if any.
  static std::optional<v1::DeadlinePolicy> FindPolicy(pqxx::transaction_base& tx,
                                                      const std::string& policy_id);

  static void DeletePolicy(pqxx::transaction_base& tx, const std::string& policy_id);

  // What a case's clocks run on: the administration's calendar (empty if never set) and every
  // policy, in one round trip (routing and every transition read both).
  struct ClockRules {
    std::optional<v1::Calendar> calendar;
    std::vector<v1::DeadlinePolicy> policies;
  };
  static ClockRules LoadClockRules(pqxx::transaction_base& tx,
                                   const std::string& administration_id);

  // The case's clocks, in clock order, with their pauses.
  static std::vector<ClockRecord> LoadClocks(pqxx::transaction_base& tx,
                                             const std::string& case_id);

  // Writes the clocks marked dirty with their pauses, the case's next due time and its event
  // version, in one round trip.
  static void SaveClocks(pqxx::transaction_base& tx, const std::string& case_id,
                         const std::vector<ClockRecord>& clocks, int64_t event_version);

  // Up to `limit` cases with a timer due at `now`, locked for this transaction; cases another
  // transaction holds are skipped (FOR UPDATE SKIP LOCKED), so replicas never fire one twice.
  static std::vector<std::string> ClaimCasesWithDueTimers(pqxx::transaction_base& tx,
                                                          absl::Time now, int limit);
};

}  // namespace doleances::workflow
