#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>
#include <absl/time/time.h>

#include <cstdint>

namespace doleances::intake {

// Wakes WatchComplaint streams when complaints may have changed in this process, and tells them
// when the server drains. Watchers re-read the database on every wake-up (and at least every
// poll interval, for changes applied by another replica), so a lost signal only costs latency.
class ChangeHub {
 public:
  // The current generation; pass it to WaitForChange.
  int64_t generation() const;

  // Call after committing changes to any complaint.
  void Notify();

  // Blocks until the generation moves past `seen`, the hub drains, or `timeout` passes.
  void WaitForChange(int64_t seen, absl::Duration timeout);

  // Ends every watch (they answer UNAVAILABLE so that clients reconnect elsewhere).
  void Drain();
  bool draining() const;

 private:
  mutable absl::Mutex mutex_;
  int64_t generation_ ABSL_GUARDED_BY(mutex_) = 0;
  bool draining_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace doleances::intake
