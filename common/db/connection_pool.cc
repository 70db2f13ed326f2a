#include "common/db/connection_pool.h"

#include "common/db/pg_status.h"
#include "common/log/log.h"

#include <absl/strings/match.h>
#include <absl/strings/str_cat.h>
#include <pqxx/pqxx>

#include <utility>

namespace doleances::db {
namespace {

// libpq takes connect_timeout in the connection string, in whole seconds (minimum 2).
std::string WithConnectTimeout(const std::string& url, absl::Duration timeout) {
  const int64_t seconds = std::max<int64_t>(2, absl::ToInt64Seconds(timeout));
  if (absl::StartsWith(url, "postgres://") || absl::StartsWith(url, "postgresql://")) {
    return absl::StrCat(url, absl::StrContains(url, "?") ? "&" : "?", "connect_timeout=", seconds);
  }
  return absl::StrCat(url, " connect_timeout=", seconds);
}

}  // namespace

ConnectionLease::ConnectionLease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> connection)
    : pool_(pool), connection_(std::move(connection)) {}

ConnectionLease::ConnectionLease(ConnectionLease&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)) {}

ConnectionLease::~ConnectionLease() {
  if (connection_ != nullptr) {
    pool_->Release(std::move(connection_));
  }
}

ConnectionPool::ConnectionPool(PoolOptions options) : options_(std::move(options)) {}

absl::StatusOr<std::unique_ptr<ConnectionPool>> ConnectionPool::Create(PoolOptions options) {
  if (options.url.empty()) {
    return absl::InvalidArgumentError("database URL is empty");
  }
  if (options.size < 1) {
    return absl::InvalidArgumentError("pool size must be at least 1");
  }
  std::unique_ptr<ConnectionPool> pool(new ConnectionPool(std::move(options)));
  absl::StatusOr<ConnectionLease> probe = pool->Acquire();
  if (!probe.ok()) {
    return probe.status();
  }
  return pool;
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> ConnectionPool::OpenDedicated() {
  try {
    auto connection = std::make_unique<pqxx::connection>(
        WithConnectTimeout(options_.url, options_.connect_timeout));
    pqxx::nontransaction setup(*connection, "configure_session");
    setup.exec(absl::StrCat(
        "SET statement_timeout = ", absl::ToInt64Milliseconds(options_.statement_timeout),
        "; SET idle_in_transaction_session_timeout = ",
        absl::ToInt64Milliseconds(options_.idle_in_transaction_timeout),
        "; SET application_name = ", setup.quote(options_.application_name),
        "; SET TIME ZONE 'UTC'"));
    setup.commit();
    for (const PrepareHook& hook : options_.prepare_hooks) {
      hook(*connection);
    }
    return connection;
  } catch (...) {
    absl::Status status = CurrentPgExceptionToStatus("open database connection");
    // Any failure to open (bad password, unknown host) means the database is unusable right now.
    return absl::UnavailableError(status.message());
  }
}

absl::StatusOr<ConnectionLease> ConnectionPool::Acquire() {
  {
    absl::MutexLock lock(&mutex_);
    auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
      return !idle_.empty() || open_ < options_.size;
    };
    if (!mutex_.AwaitWithTimeout(absl::Condition(&available), options_.acquire_timeout)) {
      return absl::ResourceExhaustedError("all database connections are busy, retry later");
    }
    if (!idle_.empty()) {
      std::unique_ptr<pqxx::connection> connection = std::move(idle_.back());
      idle_.pop_back();
      return ConnectionLease(this, std::move(connection));
    }
    ++open_;  // Reserve the slot; the connection is opened without holding the lock.
  }
  absl::StatusOr<std::unique_ptr<pqxx::connection>> opened = OpenDedicated();
  if (!opened.ok()) {
    absl::MutexLock lock(&mutex_);
    --open_;
    return opened.status();
  }
  return ConnectionLease(this, *std::move(opened));
}

void ConnectionPool::Release(std::unique_ptr<pqxx::connection> connection) {
  const bool reusable = connection->is_open();
  absl::MutexLock lock(&mutex_);
  if (reusable) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;
  }
}

absl::Status ConnectionPool::Execute(const std::string& sql) {
  absl::StatusOr<ConnectionLease> lease = Acquire();
  if (!lease.ok()) {
    return lease.status();
  }
  try {
    pqxx::work tx(lease->connection(), "execute");
    tx.exec(sql);
    tx.commit();
    return absl::OkStatus();
  } catch (...) {
    return CurrentPgExceptionToStatus("execute statement");
  }
}

}  // namespace doleances::db
