#include "services/intake/group_committer.h"

#include <absl/synchronization/notification.h>
#include <absl/time/clock.h>

#include <algorithm>
#include <iterator>
#include <utility>

namespace doleances::intake {

// One submission waiting for its batch, and who to tell the outcome.
struct GroupCommitter::Waiter {
  PgComplaintStore::Submission submission;
  absl::Time enqueued;
  Done done;
};

GroupCommitter::GroupCommitter(PgComplaintStore& store, events::CommitNotifier& notifier,
                               IntakeMetrics& metrics, GroupCommitOptions options)
    : store_(store), notifier_(notifier), metrics_(metrics), options_(std::move(options)) {
  for (int i = 0; i < std::max(1, options_.committers); ++i) {
    committers_.emplace_back([this] { CommitLoop(); });
  }
}

GroupCommitter::~GroupCommitter() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  for (std::thread& committer : committers_) {
    committer.join();
  }
}

void GroupCommitter::SubmitAsync(PgComplaintStore::Submission submission, Done done) {
  auto waiter = std::make_unique<Waiter>(Waiter{std::move(submission), absl::Now(), nullptr});
  {
    absl::MutexLock lock(&mutex_);
    if (!stopping_) {
      waiter->done = std::move(done);
      queue_.push_back(std::move(waiter));
      return;
    }
  }
  done(absl::UnavailableError("intake is shutting down, retry"));
}

absl::StatusOr<SubmitResult> GroupCommitter::Submit(PgComplaintStore::Submission submission) {
  absl::StatusOr<SubmitResult> result = absl::UnknownError("not committed");
  absl::Notification committed;
  SubmitAsync(std::move(submission), [&](absl::StatusOr<SubmitResult> outcome) {
    result = std::move(outcome);
    committed.Notify();
  });
  committed.WaitForNotification();
  return result;
}

GroupCommitter::Stats GroupCommitter::stats() const {
  absl::MutexLock lock(&mutex_);
  return stats_;
}

bool GroupCommitter::HasWork() const { return !queue_.empty() || stopping_; }

bool GroupCommitter::BatchReady() const {
  return stopping_ || static_cast<int>(queue_.size()) >= options_.max_batch;
}

void GroupCommitter::CommitLoop() {
  const size_t max_batch = static_cast<size_t>(std::max(1, options_.max_batch));
  while (true) {
    std::vector<std::unique_ptr<Waiter>> batch;
    {
      absl::MutexLock lock(&mutex_);
      mutex_.Await(absl::Condition(this, &GroupCommitter::HasWork));
      if (queue_.empty()) {
        return;  // Stopping, and every caller has been answered.
      }
      if (options_.window > absl::ZeroDuration()) {
        mutex_.AwaitWithDeadline(absl::Condition(this, &GroupCommitter::BatchReady),
                                 queue_.front()->enqueued + options_.window);
        if (queue_.empty()) {
          continue;  // Another committer took them meanwhile.
        }
      }
      const size_t size = std::min(queue_.size(), max_batch);
      batch.assign(std::make_move_iterator(queue_.begin()),
                   std::make_move_iterator(queue_.begin() + size));
      queue_.erase(queue_.begin(), queue_.begin() + size);
    }
    CommitBatch(batch);
  }
}

void GroupCommitter::CommitBatch(std::vector<std::unique_ptr<Waiter>>& batch) {
  std::vector<PgComplaintStore::Submission> items;
  items.reserve(batch.size());
  for (const std::unique_ptr<Waiter>& waiter : batch) {
    items.push_back(std::move(waiter->submission));
  }
  const absl::Time start = absl::Now();
  absl::StatusOr<std::vector<absl::StatusOr<SubmitResult>>> stored = store_.SubmitBatch(items);
  metrics_.GroupCommit(static_cast<int>(items.size()), absl::Now() - start);
  if (options_.after_commit) {
    options_.after_commit();
  }
  std::vector<absl::StatusOr<SubmitResult>> results;
  results.reserve(batch.size());
  bool any_new = false;
  for (size_t i = 0; i < batch.size(); ++i) {
    results.push_back(stored.ok() ? std::move((*stored)[i])
                                  : absl::StatusOr<SubmitResult>(stored.status()));
    any_new = any_new || (results.back().ok() && !results.back()->replayed);
  }
  if (any_new) {
    notifier_.EventsCommitted();  // One wake-up for the whole batch, sent after its commit.
  }
  {
    absl::MutexLock lock(&mutex_);
    ++stats_.batches;
    stats_.items += static_cast<int64_t>(batch.size());
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i]->done(std::move(results[i]));
  }
}

}  // namespace doleances::intake
