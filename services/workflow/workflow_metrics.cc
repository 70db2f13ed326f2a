#include "services/workflow/workflow_metrics.h"

#include "doleances/type/v1/complaint.pb.h"
#include "doleances/type/v1/deadline.pb.h"
#include "services/workflow/case_record.h"

#include <absl/strings/ascii.h>
#include <absl/strings/match.h>
#include <absl/strings/strip.h>

#include <algorithm>
#include <atomic>

namespace doleances::workflow {
namespace {

std::atomic<WorkflowMetrics*> current{nullptr};

// One minute to ninety days: a case is routed in seconds, resolved in weeks.
prometheus::Histogram::BucketBoundaries ProcessingBuckets() {
  return {60,     300,       900,        3600,       4 * 3600,   12 * 3600,  86400,
          172800, 5 * 86400, 10 * 86400, 20 * 86400, 30 * 86400, 60 * 86400, 90 * 86400};
}

// Routing takes milliseconds to seconds: its own, finer buckets.
prometheus::Histogram::BucketBoundaries RoutingBuckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};
}

prometheus::Family<prometheus::Histogram>& Histogram(prometheus::Registry& registry,
                                                     const std::string& name,
                                                     const std::string& help) {
  return prometheus::BuildHistogram().Name(name).Help(help).Register(registry);
}

prometheus::Family<prometheus::Gauge>& Gauge(prometheus::Registry& registry,
                                             const std::string& name, const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(registry);
}

std::map<std::string, std::string> Labels(const WorkflowMetrics::CaseLabels& labels) {
  return {{"administration", labels.administration},
          {"department", labels.department},
          {"kind", labels.kind},
          {"channel", labels.channel}};
}

}  // namespace

WorkflowMetrics::WorkflowMetrics(prometheus::Registry& registry)
    : time_to_route_(Histogram(registry, "doleances_workflow_time_to_route_seconds",
                               "From the complaint's receipt to its routing.")),
      time_to_first_response_(
          Histogram(registry, "doleances_workflow_time_to_first_response_seconds",
                    "From the complaint's receipt to the first response to the citizen.")),
      time_to_resolution_(
          Histogram(registry, "doleances_workflow_time_to_resolution_seconds",
                    "From the complaint's receipt to the case's closure or rejection.")),
      met_(prometheus::BuildCounter()
               .Name("doleances_workflow_deadlines_met_total")
               .Help("Clocks stopped on or before their due time.")
               .Register(registry)),
      breaches_(prometheus::BuildCounter()
                    .Name("doleances_workflow_deadline_breaches_total")
                    .Help("Clocks that fell due while running (SLA breaches and expiries).")
                    .Register(registry)),
      open_cases_(Gauge(registry, "doleances_workflow_open_cases",
                        "Cases not in a final state, from the database (same on every replica).")),
      past_deadline_(Gauge(registry, "doleances_workflow_cases_past_deadline",
                           "Running clocks past their due time, from the database.")),
      near_deadline_(Gauge(registry, "doleances_workflow_cases_near_deadline",
                           "Running clocks within 20 % of their due time, from the database.")) {}

WorkflowMetrics* WorkflowMetrics::Current() { return current.load(); }

void WorkflowMetrics::Install(WorkflowMetrics* metrics) { current.store(metrics); }

void WorkflowMetrics::Routed(const CaseLabels& labels, absl::Duration since_receipt) {
  time_to_route_.Add(Labels(labels), RoutingBuckets())
      .Observe(absl::ToDoubleSeconds(since_receipt));
}

void WorkflowMetrics::FirstResponse(const CaseLabels& labels, absl::Duration since_receipt) {
  time_to_first_response_.Add(Labels(labels), ProcessingBuckets())
      .Observe(absl::ToDoubleSeconds(since_receipt));
}

void WorkflowMetrics::Resolved(const CaseLabels& labels, absl::Duration since_receipt) {
  time_to_resolution_.Add(Labels(labels), ProcessingBuckets())
      .Observe(absl::ToDoubleSeconds(since_receipt));
}

void WorkflowMetrics::DeadlineMet(const std::string& administration, const std::string& department,
                                  const std::string& clock) {
  met_.Add({{"administration", administration}, {"department", department}, {"clock", clock}})
      .Increment();
}

void WorkflowMetrics::DeadlineBreached(const std::string& administration,
                                       const std::string& department, const std::string& clock) {
  breaches_.Add({{"administration", administration}, {"department", department}, {"clock", clock}})
      .Increment();
}

void WorkflowMetrics::Replace(prometheus::Family<prometheus::Gauge>& family,
                              const std::vector<Count>& counts) {
  std::vector<prometheus::Gauge*>& seen = seen_[&family];
  for (prometheus::Gauge* gauge : seen) {
    gauge->Set(0);
  }
  for (const Count& count : counts) {
    prometheus::Gauge& gauge = family.Add(count.labels);
    gauge.Set(count.value);
    if (std::find(seen.begin(), seen.end(), &gauge) == seen.end()) {
      seen.push_back(&gauge);
    }
  }
}

void WorkflowMetrics::SetOpenCases(const std::vector<Count>& counts) {
  Replace(open_cases_, counts);
}

void WorkflowMetrics::SetPastDeadline(const std::vector<Count>& counts) {
  Replace(past_deadline_, counts);
}

void WorkflowMetrics::SetNearDeadline(const std::vector<Count>& counts) {
  Replace(near_deadline_, counts);
}

std::string EnumLabel(const std::string& name, absl::string_view prefix) {
  return absl::AsciiStrToLower(absl::StripPrefix(name, prefix));
}

WorkflowMetrics::CaseLabels LabelsOf(const CaseRecord& record) {
  // Kinds keep the contract's upper case ("SIGNALEMENT"), as the dashboards show them.
  const std::string kind =
      type::v1::ComplaintKind_Name(static_cast<type::v1::ComplaintKind>(record.kind));
  return {record.administration_id, record.department_id.value_or(""),
          std::string(absl::StripPrefix(kind, "COMPLAINT_KIND_")),
          EnumLabel(type::v1::Channel_Name(static_cast<type::v1::Channel>(record.channel)),
                    "CHANNEL_")};
}

std::string ClockLabel(int clock) {
  return EnumLabel(type::v1::ClockKind_Name(static_cast<type::v1::ClockKind>(clock)),
                   "CLOCK_KIND_");
}

}  // namespace doleances::workflow
