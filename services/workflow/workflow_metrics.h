#pragma once

#include <absl/strings/string_view.h>
#include <absl/time/time.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <map>
#include <string>
#include <vector>

namespace doleances::workflow {

// Workflow's own metrics (DESIGN.md §6; RPC latency is counted by the host). Labels are bounded:
// administration and department ids, complaint kinds, clock and state names.
//
// Processing-time histograms and the met/breach counters are observed where the fact happens,
// on whichever replica handles it (a transaction retried after a deadlock may observe twice:
// these are operational figures; analytics keeps the exact ones). The open-case and deadline
// gauges are counted from the database, the same on every replica: aggregate them with max, not
// sum, across instances.
class WorkflowMetrics {
 public:
  explicit WorkflowMetrics(prometheus::Registry& registry);

  // The process-wide instance the stores report to; null (nothing reported) until one is
  // installed, as in tests.
  static WorkflowMetrics* Current();
  static void Install(WorkflowMetrics* metrics);

  struct CaseLabels {
    std::string administration;
    std::string department;
    std::string kind;     // "SIGNALEMENT", ...
    std::string channel;  // "api", "web_form", ...
  };
  void Routed(const CaseLabels& labels, absl::Duration since_receipt);
  void FirstResponse(const CaseLabels& labels, absl::Duration since_receipt);
  void Resolved(const CaseLabels& labels, absl::Duration since_receipt);

  // A clock stopped on time (met) or fell due while running (breach); clock: "resolution", ...
  void DeadlineMet(const std::string& administration, const std::string& department,
                   const std::string& clock);
  void DeadlineBreached(const std::string& administration, const std::string& department,
                        const std::string& clock);

  // Fresh counts from the database; series absent from a refresh drop to 0.
  struct Count {
    std::map<std::string, std::string> labels;
    double value = 0;
  };
  void SetOpenCases(const std::vector<Count>& counts);
  void SetPastDeadline(const std::vector<Count>& counts);
  void SetNearDeadline(const std::vector<Count>& counts);

 private:
  void Replace(prometheus::Family<prometheus::Gauge>& family, const std::vector<Count>& counts);

  prometheus::Family<prometheus::Histogram>& time_to_route_;
  prometheus::Family<prometheus::Histogram>& time_to_first_response_;
  prometheus::Family<prometheus::Histogram>& time_to_resolution_;
  prometheus::Family<prometheus::Counter>& met_;
  prometheus::Family<prometheus::Counter>& breaches_;
  prometheus::Family<prometheus::Gauge>& open_cases_;
  prometheus::Family<prometheus::Gauge>& past_deadline_;
  prometheus::Family<prometheus::Gauge>& near_deadline_;
  std::map<prometheus::Family<prometheus::Gauge>*, std::vector<prometheus::Gauge*>> seen_;
};

// An enum value as a metric label: its name without `prefix`, in lower case
// ("first_response" for CLOCK_KIND_FIRST_RESPONSE with prefix "CLOCK_KIND_").
std::string EnumLabel(const std::string& name, absl::string_view prefix);

// The name a clock goes by in metric labels: "first_response" for CLOCK_KIND_FIRST_RESPONSE.
std::string ClockLabel(int clock);

struct CaseRecord;

// The labels of `record`: its administration, department and kind.
WorkflowMetrics::CaseLabels LabelsOf(const CaseRecord& record);

}  // namespace doleances::workflow
