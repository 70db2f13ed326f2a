#pragma once

#include <absl/strings/string_view.h>
#include <absl/time/time.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace doleances::mediation {

// Mediation's own metrics (RPC latency is counted by the host). Labels are bounded: outcome and
// clock enum names, administration ids.
class MediationMetrics {
 public:
  explicit MediationMetrics(prometheus::Registry& registry);

  // A mediation closed after `duration` open; outcome: "AGREEMENT", "WITHDRAWN", ...
  void Closed(absl::string_view outcome, absl::Duration duration);

  // A deadline was breached: the timer announced it, or its clock stopped late before the timer
  // got to it (count it once, not both). clock: "MEDIATION_ADMISSIBILITY", ...
  void DeadlineBreached(absl::string_view clock);

  // Replaces the open-mediation gauge with a fresh count per administration (any replica may
  // refresh it from the database; administrations absent from `counts` drop to 0).
  void SetOpenMediations(const std::vector<std::pair<std::string, int64_t>>& counts);

 private:
  prometheus::Family<prometheus::Histogram>& duration_;
  prometheus::Family<prometheus::Counter>& breaches_;
  prometheus::Family<prometheus::Gauge>& open_;
  std::set<prometheus::Gauge*> open_gauges_;  // Every administration ever counted.
};

}  // namespace doleances::mediation
