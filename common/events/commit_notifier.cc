#include "common/events/commit_notifier.h"

#include "common/db/pg_status.h"
#include "common/events/event_log.h"
#include "common/log/log.h"

#include <absl/strings/str_cat.h>
#include <pqxx/pqxx>

namespace doleances::events {

CommitNotifier::CommitNotifier(db::ConnectionPool& pool)
    : pool_(pool), sender_([this] { SendLoop(); }) {}

CommitNotifier::~CommitNotifier() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  sender_.join();
}

void CommitNotifier::EventsCommitted() {
  absl::MutexLock lock(&mutex_);
  pending_ = true;
}

int64_t CommitNotifier::notifications_sent() const {
  absl::MutexLock lock(&mutex_);
  return sent_;
}

bool CommitNotifier::HasWork() const { return pending_ || stopping_; }

void CommitNotifier::SendLoop() {
  while (true) {
    {
      absl::MutexLock lock(&mutex_);
      mutex_.Await(absl::Condition(this, &CommitNotifier::HasWork));
      if (!pending_) {
        return;  // Stopping with nothing left to announce.
      }
      pending_ = false;
    }
    absl::StatusOr<db::ConnectionLease> lease = pool_.Acquire();
    if (!lease.ok()) {
      // Consumers fall back to polling; a lost wake-up only costs latency.
      log::Warning("event notification skipped", {{"reason", lease.status().ToString()}});
      continue;
    }
    try {
      pqxx::nontransaction tx(lease->connection(), "events_notify");
      tx.exec(absl::StrCat("NOTIFY ", kNotifyChannel));
      absl::MutexLock lock(&mutex_);
      ++sent_;
    } catch (...) {
      log::Warning("event notification failed",
                   {{"reason", db::CurrentPgExceptionToStatus("notify").ToString()}});
    }
  }
}

}  // namespace doleances::events
