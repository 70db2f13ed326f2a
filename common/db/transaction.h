#pragma once

#include "common/db/connection_pool.h"
#include "common/db/pg_status.h"

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/string_view.h>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <string>
#include <type_traits>
#include <utility>

namespace doleances::db {

// How often RunInTransaction retries a serialization failure or deadlock before giving up.
inline constexpr int kMaxTransactionAttempts = 5;

namespace internal {
inline absl::Status StatusOf(const absl::Status& status) { return status; }
template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}
}  // namespace internal

// Runs `body(pqxx::work&)` in one read-committed transaction named `name` (the name shows in
// pg_stat_activity and logs) on a pooled connection. Commits when `body` returns OK; rolls back
// and returns its error otherwise. Retries the whole body, up to kMaxTransactionAttempts, when
// PostgreSQL reports a serialization failure or a deadlock, so `body` must have no effect outside
// the transaction. `body` returns absl::Status or absl::StatusOr<T>; so does RunInTransaction.
template <typename Body>
auto RunInTransaction(ConnectionPool& pool, absl::string_view name, Body&& body)
    -> std::invoke_result_t<Body, pqxx::work&> {
  using Result = std::invoke_result_t<Body, pqxx::work&>;
  const std::string tx_name(name);
  absl::Status last_failure;
  for (int attempt = 1; attempt <= kMaxTransactionAttempts; ++attempt) {
    absl::StatusOr<ConnectionLease> lease = pool.Acquire();
    if (!lease.ok()) {
      return Result(lease.status());
    }
    try {
      pqxx::work tx(lease->connection(), tx_name);
      Result result = body(tx);
      if (!internal::StatusOf(result).ok()) {
        tx.abort();
        return result;
      }
      tx.commit();
      return result;
    } catch (...) {
      last_failure = CurrentPgExceptionToStatus(tx_name);
      if (!IsRetryableTransactionFailure(last_failure)) {
        return Result(last_failure);
      }
    }
  }
  return Result(absl::AbortedError(
      absl::StrCat(tx_name, ": still conflicting after ", kMaxTransactionAttempts, " attempts")));
}

// Runs `body(pqxx::nontransaction&)` on a pooled connection outside any transaction block, each
// statement committing on its own: for a single read, it saves the BEGIN and COMMIT round trips
// that RunInTransaction costs. Never retried. `body` returns absl::Status or absl::StatusOr<T>.
template <typename Body>
auto RunWithoutTransaction(ConnectionPool& pool, absl::string_view name, Body&& body)
    -> std::invoke_result_t<Body, pqxx::nontransaction&> {
  using Result = std::invoke_result_t<Body, pqxx::nontransaction&>;
  const std::string statement_name(name);
  absl::StatusOr<ConnectionLease> lease = pool.Acquire();
  if (!lease.ok()) {
    return Result(lease.status());
  }
  try {
    pqxx::nontransaction tx(lease->connection(), statement_name);
    return body(tx);
  } catch (...) {
    return Result(CurrentPgExceptionToStatus(statement_name));
  }
}

}  // namespace doleances::db
