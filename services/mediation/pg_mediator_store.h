#pragma once

#include "common/db/connection_pool.h"
#include "services/mediation/mediation_record.h"

#include <absl/status/statusor.h>
#include <pqxx/transaction>

#include <functional>
#include <string>
#include <vector>

namespace doleances::mediation {

// Filters of ListMediators; empty strings mean "any".
struct MediatorFilter {
  std::string administration_id;
  std::string specialty;
  std::string territory_code;
  bool include_inactive = false;
};

// PostgreSQL storage of the mediator registry (schema `mediation`).
class PgMediatorStore {
 public:
  explicit PgMediatorStore(db::ConnectionPool& pool) : pool_(pool) {}

  static void PrepareStatements(pqxx::connection& connection);

  // Stores a new mediator (active, version 1); ALREADY_EXISTS if its principal_id is taken.
  absl::StatusOr<MediatorRecord> Create(const MediatorRecord& mediator, absl::Time now);

  // Applies `edit` to the mediator under a row lock: NOT_FOUND if unknown, ABORTED if
  // `expected_version` is not current; `edit`'s error is returned and nothing is written.
  absl::StatusOr<MediatorRecord> Update(const std::string& mediator_id, int64_t expected_version,
                                        const std::function<absl::Status(MediatorRecord&)>& edit,
                                        absl::Time now);

  // NOT_FOUND if no mediator has this principal.
  absl::StatusOr<MediatorRecord> GetByPrincipal(const std::string& principal_id);

  // A page of mediators by display name, from `offset`, at most `limit`.
  absl::StatusOr<std::vector<MediatorRecord>> List(const MediatorFilter& filter, int offset,
                                                   int limit);

  // The active mediators serving `administration_id`, locked (in id order, so that concurrent
  // assignments never deadlock) until `tx` ends, with their open counts.
  static std::vector<MediatorRecord> LockCandidates(pqxx::transaction_base& tx,
                                                    const std::string& administration_id);

  // One mediator locked until `tx` ends; NOT_FOUND if unknown.
  static absl::StatusOr<MediatorRecord> Lock(pqxx::transaction_base& tx,
                                             const std::string& mediator_id);

 private:
  db::ConnectionPool& pool_;
};

}  // namespace doleances::mediation
