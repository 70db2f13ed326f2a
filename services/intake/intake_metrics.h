#pragma once

#include <absl/strings/string_view.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
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

 private:
  prometheus::Family<prometheus::Counter>& submissions_;
  prometheus::Family<prometheus::Counter>& validation_failures_;
};

}  // namespace doleances::intake
