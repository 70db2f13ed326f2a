#pragma once

#include <absl/strings/string_view.h>
#include <absl/time/time.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace doleances::intake {

// Intake's own metrics (RPC latency is counted by the host for every service). Label values are
// bounded: contract enum names, outcome words, and validated field paths without indexes.
class IntakeMetrics {
 public:
  explicit IntakeMetrics(prometheus::Registry& registry);

  // outcome: "stored", "replayed", "rejected".
  void Submission(absl::string_view kind, absl::string_view channel, absl::string_view outcome);
  void ValidationFailure(absl::string_view field);
  // One batch of the group committer: how many submissions it held and how long its transaction
  // took.
  void GroupCommit(int submissions, absl::Duration duration);

  // Counts one open WatchComplaint stream for its lifetime.
  class WatchScope {
   public:
    explicit WatchScope(IntakeMetrics& metrics) : gauge_(metrics.watch_streams_) {
      gauge_.Increment();
    }
    ~WatchScope() { gauge_.Decrement(); }

   private:
    prometheus::Gauge& gauge_;
  };

 private:
  prometheus::Family<prometheus::Counter>& submissions_;
  prometheus::Family<prometheus::Counter>& validation_failures_;
  prometheus::Gauge& watch_streams_;
  prometheus::Histogram& batch_size_;
  prometheus::Histogram& batch_duration_;
};

}  // namespace doleances::intake
