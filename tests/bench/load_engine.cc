#include "tests/bench/load_engine.h"

#include <absl/time/clock.h>

#include <thread>

namespace doleances::bench {
namespace {

constexpr absl::Duration kCallDeadline = absl::Seconds(30);
constexpr int kErrorsKept = 5;

struct InFlight {
  std::unique_ptr<Call> call;
  absl::Time intended;
};

class Engine {
 public:
  Engine(const LoadOptions& options, const CallFactory& make_call, LoadResult& result)
      : options_(options), make_call_(make_call), result_(result) {}

  void Run(const std::function<void()>& at_window_start,
           const std::function<void()>& at_window_end) {
    const absl::Time start = absl::Now();
    window_start_ = start + options_.warmup;
    window_end_ = window_start_ + options_.duration;
    std::vector<std::thread> threads;
    for (int i = 0; i < std::max(1, options_.threads); ++i) {
      threads.emplace_back([this] { Drain(); });
    }
    std::thread edges([&] {
      absl::SleepFor(window_start_ - absl::Now());
      at_window_start();
      absl::SleepFor(window_end_ - absl::Now());
      at_window_end();
    });
    if (options_.rate > 0) {
      Pace(start);
    } else {
      for (int i = 0; i < options_.concurrency; ++i) {
        Launch(absl::Now());
      }
    }
    edges.join();  // Closed loop: calls stop relaunching once the window is over.
    {
      absl::MutexLock lock(&mutex_);
      mutex_.Await(absl::Condition(this, &Engine::Idle));
    }
    cq_.Shutdown();
    for (std::thread& thread : threads) {
      thread.join();
    }
  }

 private:
  // Open loop: call i is due at start + i / rate, whether or not earlier calls have answered.
  void Pace(absl::Time start) {
    const absl::Duration interval = absl::Seconds(1.0 / options_.rate);
    for (int64_t i = 0;; ++i) {
      const absl::Time intended = start + i * interval;
      if (intended >= window_end_) {
        return;
      }
      {
        absl::MutexLock lock(&mutex_);
        mutex_.Await(absl::Condition(this, &Engine::HasRoom));
      }
      absl::SleepFor(intended - absl::Now());
      if (Measured(intended) && absl::Now() - intended > absl::Milliseconds(1)) {
        absl::MutexLock lock(&mutex_);
        ++result_.late_starts;
      }
      Launch(intended);
    }
  }

  bool Idle() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return in_flight_ == 0; }
  bool HasRoom() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return in_flight_ < options_.max_in_flight;
  }

  bool Measured(absl::Time intended) const {
    return intended >= window_start_ && intended < window_end_;
  }

  void Launch(absl::Time intended) {
    auto* in_flight = new InFlight{make_call_(sequence_.fetch_add(1)), intended};
    in_flight->call->context.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
    {
      absl::MutexLock lock(&mutex_);
      ++in_flight_;
    }
    in_flight->call->Start(&cq_, in_flight);
  }

  void Drain() {
    void* tag = nullptr;
    bool ok = false;
    while (cq_.Next(&tag, &ok)) {
      std::unique_ptr<InFlight> done(static_cast<InFlight*>(tag));
      const absl::Time now = absl::Now();
      Record(*done, now);
      // Closed loop: the answer frees the slot for the next call, until the window closes.
      if (options_.rate <= 0 && now < window_end_) {
        Launch(now);
      }
      absl::MutexLock lock(&mutex_);
      --in_flight_;
    }
  }

  void Record(InFlight& done, absl::Time now) {
    if (!Measured(done.intended)) {
      return;
    }
    const CallOutcome outcome = done.call->Outcome();
    result_.latency.Record(now - done.intended);
    absl::MutexLock lock(&mutex_);
    ++result_.calls;
    result_.failed_calls += outcome.ok ? 0 : 1;
    result_.items_ok += outcome.items_ok;
    result_.items_failed += outcome.items_failed;
    if (!outcome.error.empty() && result_.first_errors.size() < kErrorsKept) {
      result_.first_errors.push_back(outcome.error);
    }
    if (options_.record_complaint_ids && !outcome.complaint_id.empty()) {
      result_.complaint_send_times.emplace_back(outcome.complaint_id,
                                                absl::ToUnixMicros(done.intended));
    }
  }

  const LoadOptions& options_;
  const CallFactory& make_call_;
  LoadResult& result_;
  grpc::CompletionQueue cq_;
  std::atomic<int64_t> sequence_{0};
  absl::Time window_start_;
  absl::Time window_end_;
  absl::Mutex mutex_;
  int64_t in_flight_ ABSL_GUARDED_BY(mutex_) = 0;
};

}  // namespace

void RunLoad(const LoadOptions& options, const CallFactory& make_call,
             const std::function<void()>& at_window_start,
             const std::function<void()>& at_window_end, LoadResult& result) {
  Engine(options, make_call, result).Run(at_window_start, at_window_end);
}

}  // namespace doleances::bench
