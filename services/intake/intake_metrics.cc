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
                         .Add({})),
      batch_size_(
          prometheus::BuildHistogram()
              .Name("doleances_intake_group_commit_batch_size")
              .Help("Submissions stored together in one transaction by the group committer.")
              .Register(registry)
              .Add({},
                   prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64, 128, 256, 512})),
      batch_duration_(prometheus::BuildHistogram()
                          .Name("doleances_intake_group_commit_duration_seconds")
                          .Help("Duration of the group committer's transactions.")
                          .Register(registry)
                          .Add({}, prometheus::Histogram::BucketBoundaries{
                                       0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25,
                                       0.5, 1, 2.5})) {}

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

void IntakeMetrics::GroupCommit(int submissions, absl::Duration duration) {
  batch_size_.Observe(submissions);
  batch_duration_.Observe(absl::ToDoubleSeconds(duration));
}

}  // namespace doleances::intake
