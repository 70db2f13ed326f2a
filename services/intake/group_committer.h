#pragma once

#include "common/events/commit_notifier.h"
#include "services/intake/intake_metrics.h"
#include "services/intake/pg_complaint_store.h"

#include <absl/base/thread_annotations.h>
#include <absl/functional/any_invocable.h>
#include <absl/status/statusor.h>
#include <absl/synchronization/mutex.h>
#include <absl/time/time.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace doleances::intake {

// How concurrent submissions are coalesced (docs/decisions/0007-intake-group-commit.md).
struct GroupCommitOptions {
  // How long the oldest waiting submission may wait for company before its batch is committed.
  // Zero: commit as soon as a committer is free (batches then form while others commit).
  absl::Duration window = absl::ZeroDuration();
  // A batch this large is committed at once, without waiting for the window.
  int max_batch = 256;
  // Batches that may be committing at the same time, each on its own pooled connection.
  int committers = 2;
  // Tests only: runs after a batch committed and before its callers are answered.
  std::function<void()> after_commit;
};

// Application-side group commit for SubmitComplaint: submissions from concurrent calls are stored
// together by PgComplaintStore::SubmitBatch (one transaction, one fsync, one wake-up of event
// consumers per batch), and each caller is answered only after its batch committed. Items are
// isolated: one refused item never fails its neighbours. Thread-safe.
class GroupCommitter {
 public:
  GroupCommitter(PgComplaintStore& store, events::CommitNotifier& notifier, IntakeMetrics& metrics,
                 GroupCommitOptions options);
  // Commits what is still waiting, then stops the committers.
  ~GroupCommitter();

  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Receives the outcome of one submission: what PgComplaintStore::SubmitBatch returned for the
  // item, the batch's own error when the whole transaction failed (nothing of it stored), or
  // UNAVAILABLE once shutting down.
  using Done = absl::AnyInvocable<void(absl::StatusOr<SubmitResult>)>;

  // Stores `submission` in the next batch and returns at once; `done` runs once that batch
  // committed or failed, on a committer thread (so it must answer its caller and return, not
  // block), or right here when shutting down. Lets a callback-API handler wait for the commit
  // without holding a thread.
  void SubmitAsync(PgComplaintStore::Submission submission, Done done);
  // The same, blocking until the outcome is known.
  absl::StatusOr<SubmitResult> Submit(PgComplaintStore::Submission submission);

  // Batches committed (or failed) so far, and the items they held: for tests and metrics.
  struct Stats {
    int64_t batches = 0;
    int64_t items = 0;
  };
  Stats stats() const;

 private:
  struct Waiter;

  void CommitLoop();
  void CommitBatch(std::vector<std::unique_ptr<Waiter>>& batch);
  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  bool BatchReady() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  PgComplaintStore& store_;
  events::CommitNotifier& notifier_;
  IntakeMetrics& metrics_;
  const GroupCommitOptions options_;
  mutable absl::Mutex mutex_;
  std::deque<std::unique_ptr<Waiter>> queue_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  Stats stats_ ABSL_GUARDED_BY(mutex_);
  std::vector<std::thread> committers_;
};

}  // namespace doleances::intake
