#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/synchronization/mutex.h>
#include <absl/time/time.h>
#include <pqxx/connection>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace doleances::db {

// Prepares a component's named statements on each new connection.
using PrepareHook = std::function<void(pqxx::connection&)>;

struct PoolOptions {
  std::string url;  // libpq URL or keyword/value string.
  int size = 8;     // Maximum open connections.
  absl::Duration acquire_timeout = absl::Seconds(5);
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration statement_timeout = absl::Seconds(30);
  // A service's stuck transaction would hold back every event consumer (DESIGN.md §3).
  absl::Duration idle_in_transaction_timeout = absl::Seconds(30);
  std::string application_name = "doleances";
  std::vector<PrepareHook> prepare_hooks;
};

class ConnectionPool;

// Exclusive use of one pooled connection; returns it to the pool when destroyed. A connection
// found closed on return is discarded. Not thread-safe, like the connection itself.
class ConnectionLease {
 public:
  ConnectionLease(ConnectionLease&& other) noexcept;
  ConnectionLease& operator=(ConnectionLease&&) = delete;
  ~ConnectionLease();

  pqxx::connection& connection() { return *connection_; }

 private:
  friend class ConnectionPool;
  ConnectionLease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> connection);

  ConnectionPool* pool_;
  std::unique_ptr<pqxx::connection> connection_;
};

// A bounded pool of libpqxx connections, opened lazily, each configured with the timeouts and
// prepared statements of PoolOptions. Thread-safe.
class ConnectionPool {
 public:
  // Validates the options and opens one connection to prove the database is reachable.
  // UNAVAILABLE when it is not; INVALID_ARGUMENT for a bad size or URL.
  static absl::StatusOr<std::unique_ptr<ConnectionPool>> Create(PoolOptions options);

  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Borrows a connection for one transaction. RESOURCE_EXHAUSTED when none frees up within
  // acquire_timeout; UNAVAILABLE when a new connection cannot be opened.
  absl::StatusOr<ConnectionLease> Acquire();

  // Runs one statement outside any prepared set (schema setup in tests, admin commands).
  absl::Status Execute(const std::string& sql);

  // Opens a connection that does not count against the pool, configured like the pooled ones,
  // for long-lived uses such as LISTEN.
  absl::StatusOr<std::unique_ptr<pqxx::connection>> OpenDedicated();

  const PoolOptions& options() const { return options_; }

 private:
  explicit ConnectionPool(PoolOptions options);
  void Release(std::unique_ptr<pqxx::connection> connection);
  friend class ConnectionLease;

  const PoolOptions options_;
  absl::Mutex mutex_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_ ABSL_GUARDED_BY(mutex_);
  int open_ ABSL_GUARDED_BY(mutex_) = 0;  // Idle plus leased.
};

}  // namespace doleances::db
