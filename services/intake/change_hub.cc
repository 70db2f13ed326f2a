#include "services/intake/change_hub.h"

namespace doleances::intake {

int64_t ChangeHub::generation() const {
  absl::MutexLock lock(&mutex_);
  return generation_;
}

void ChangeHub::Notify() {
  absl::MutexLock lock(&mutex_);
  ++generation_;
}

void ChangeHub::WaitForChange(int64_t seen, absl::Duration timeout) {
  absl::MutexLock lock(&mutex_);
  auto changed = [this, seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return generation_ != seen || draining_;
  };
  mutex_.AwaitWithTimeout(absl::Condition(&changed), timeout);
}

void ChangeHub::Drain() {
  absl::MutexLock lock(&mutex_);
  draining_ = true;
}

bool ChangeHub::draining() const {
  absl::MutexLock lock(&mutex_);
  return draining_;
}

}  // namespace doleances::intake
