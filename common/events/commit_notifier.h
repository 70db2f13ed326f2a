#pragma once

#include "common/db/connection_pool.h"

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <cstdint>
#include <thread>

namespace doleances::events {

// Wakes event consumers after commits that appended events, without a NOTIFY per transaction:
// NOTIFY takes a cluster-wide lock at commit (DESIGN.md §3). Signals that arrive while a NOTIFY
// is being sent are coalesced into the next one, so a busy process sends one per round trip.
class CommitNotifier {
 public:
  explicit CommitNotifier(db::ConnectionPool& pool);
  // Sends what is still pending, then stops the sender thread.
  ~CommitNotifier();

  CommitNotifier(const CommitNotifier&) = delete;
  CommitNotifier& operator=(const CommitNotifier&) = delete;

  // Call after committing a transaction that appended events. Never blocks on the database.
  void EventsCommitted();

  // Number of NOTIFY statements actually sent (for tests and metrics).
  int64_t notifications_sent() const;

 private:
  void SendLoop();
  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  db::ConnectionPool& pool_;
  mutable absl::Mutex mutex_;
  bool pending_ ABSL_GUARDED_BY(mutex_) = false;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  int64_t sent_ ABSL_GUARDED_BY(mutex_) = 0;
  std::thread sender_;
};

}  // namespace doleances::events
