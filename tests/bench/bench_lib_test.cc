#include "services/intake/complaint_validation.h"
#include "tests/bench/complaint_generator.h"
#include "tests/bench/latency_histogram.h"
#include "tests/bench/process_stats.h"

#include <absl/strings/str_cat.h>
#include <absl/time/clock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ctime>

namespace doleances::bench {
namespace {

TEST(LatencyHistogramTest, PercentilesWithinBucketPrecision) {
  LatencyHistogram histogram;
  for (int us = 1; us <= 10000; ++us) {
    histogram.Record(absl::Microseconds(us));
  }
  EXPECT_EQ(histogram.count(), 10000);
  EXPECT_NEAR(absl::ToDoubleMicroseconds(histogram.Percentile(0.5)), 5000, 5000 * 0.008);
  EXPECT_NEAR(absl::ToDoubleMicroseconds(histogram.Percentile(0.99)), 9900, 9900 * 0.008);
  EXPECT_NEAR(absl::ToDoubleMicroseconds(histogram.Percentile(0.999)), 9990, 9990 * 0.008);
  EXPECT_EQ(histogram.max(), absl::Microseconds(10000));
  EXPECT_EQ(histogram.Percentile(1.0), absl::Microseconds(10000));
  EXPECT_NEAR(absl::ToDoubleMicroseconds(histogram.mean()), 5000.5, 0.01);
}

TEST(LatencyHistogramTest, OneSlowCallShowsInTheTail) {
  LatencyHistogram histogram;
  for (int i = 0; i < 999; ++i) {
    histogram.Record(absl::Milliseconds(1));
  }
  histogram.Record(absl::Seconds(2));
  EXPECT_NEAR(absl::ToDoubleMilliseconds(histogram.Percentile(0.99)), 1, 0.01);
  EXPECT_NEAR(absl::ToDoubleMilliseconds(histogram.Percentile(0.9999)), 2000, 2000 * 0.008);
}

TEST(LatencyHistogramTest, EmptyReportsZero) {
  LatencyHistogram histogram;
  EXPECT_EQ(histogram.Percentile(0.99), absl::ZeroDuration());
  EXPECT_EQ(histogram.mean(), absl::ZeroDuration());
}

constexpr char kAdministration[] = "6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b";

TEST(ComplaintGeneratorTest, EveryComplaintPassesIntakeValidation) {
  const absl::Time now = absl::Now();
  int n = 0;
  for (const intake::v1::Complaint& complaint : GenerateComplaints(500, 1, kAdministration, now)) {
    intake::v1::SubmitComplaintRequest request;
    request.set_idempotency_key(absl::StrCat("key-", n++));
    *request.mutable_complaint() = complaint;
    EXPECT_TRUE(intake::ValidateSubmitComplaint(request, now).ok())
        << intake::ValidateSubmitComplaint(request, now) << "\n"
        << complaint.DebugString();
  }
}

TEST(ComplaintGeneratorTest, SameSeedSameComplaintsAboutTwoKilobytes) {
  const absl::Time now = absl::Now();
  const auto first = GenerateComplaints(200, 7, kAdministration, now);
  const auto again = GenerateComplaints(200, 7, kAdministration, now);
  const auto other = GenerateComplaints(200, 8, kAdministration, now);
  size_t bytes = 0;
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].SerializeAsString(), again[i].SerializeAsString());
    bytes += first[i].ByteSizeLong();
  }
  EXPECT_NE(first[0].SerializeAsString(), other[0].SerializeAsString());
  EXPECT_GT(bytes / first.size(), 1500u);
  EXPECT_LT(bytes / first.size(), 2500u);
}

TEST(ProcessStatsTest, ParsesGroupsAndSamplesThisProcess) {
  const std::optional<WatchedGroup> group = ParseWatchedGroup("postgres:12,34");
  ASSERT_TRUE(group.has_value());
  EXPECT_EQ(group->name, "postgres");
  EXPECT_EQ(group->pids, (std::vector<int>{12, 34}));
  EXPECT_FALSE(ParseWatchedGroup("postgres").has_value());
  EXPECT_FALSE(ParseWatchedGroup("postgres:x").has_value());

  const std::optional<ProcessSample> self = SampleProcess(static_cast<int>(getpid()));
  ASSERT_TRUE(self.has_value());
  EXPECT_GT(self->rss_kib, 0);
  EXPECT_GE(self->peak_kib, self->rss_kib);
}

TEST(ProcessStatsTest, TreeCpuCountsLiveAndReapedChildren) {
  const int self = static_cast<int>(getpid());
  const absl::Duration before = TreeCpu(self).value();
  int busy_done[2], may_exit[2];
  ASSERT_EQ(pipe(busy_done), 0);
  ASSERT_EQ(pipe(may_exit), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(may_exit[1]);  // Else its read below would never see the end of the pipe.
    while (std::clock() < CLOCKS_PER_SEC / 4) {
    }
    char byte = 0;
    (void)!write(busy_done[1], &byte, 1);
    (void)!read(may_exit[0], &byte, 1);
    _exit(0);
  }
  char byte = 0;
  ASSERT_EQ(read(busy_done[0], &byte, 1), 1);
  EXPECT_EQ(ParentOf(child), self);
  EXPECT_GE(TreeCpu(self).value() - before, absl::Milliseconds(200));  // Alive.
  close(may_exit[1]);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  EXPECT_GE(TreeCpu(self).value() - before, absl::Milliseconds(200));  // Reaped.
  EXPECT_FALSE(ParentOf(child).has_value());
}

}  // namespace
}  // namespace doleances::bench
