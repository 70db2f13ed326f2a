#include "services/intake/intake_metrics.h"

#include <string>

namespace doleances::intake {

IntakeMetrics::IntakeMetrics(prometheus::Registry& registry)
    : submissions_(prometheus::BuildCounter()
                       .Name("doleances_intake_submissions_total")
                       .Help("Complaints submitted, by kind, channel and outcome.")
                       .Register(registry)),
      validation_failures_(prometheus::BuildCounter()
                               .Name("doleances_intake_validation_failures_total")
                               .Help("Invalid fields in submissions, by field path.")
                               .Register(registry)),
      watch_streams_(prometheus::BuildGauge()
                         .Name("doleances_intake_watch_streams")
                         .Help("WatchComplaint streams open right now.")
                         .Register(registry)
                         .Add({})) {}

void IntakeMetrics::Submission(absl::string_view kind, absl::string_view channel,
                               absl::string_view outcome) {
  submissions_
      .Add({{"kind", std::string(kind)},
            {"channel", std::string(channel)},
            {"outcome", std::string(outcome)}})
      .Increment();
}

void IntakeMetrics::ValidationFailure(absl::string_view field) {
  // "requests[12].complaint.subject" and "complaint.subject" count as one field.
  std::string path(field);
  if (path.rfind("requests[", 0) == 0) {
    const size_t dot = path.find("].");
    path = dot == std::string::npos ? path : path.substr(dot + 2);
  }
  validation_failures_.Add({{"field", path}}).Increment();
}

}  // namespace doleances::intake
