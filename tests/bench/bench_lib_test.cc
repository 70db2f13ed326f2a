#include "services/analytics/pg_analytics_store.h"
#include "services/intake/complaint_validation.h"
#include "tests/bench/complaint_generator.h"
#include "tests/bench/kpi_batch_aggregator.h"
#include "tests/bench/kpi_complaints.h"
#include "tests/bench/latency_histogram.h"
#include "tests/bench/pg_copy_writer.h"
#include "tests/bench/process_stats.h"

#include <absl/strings/str_cat.h>
#include <absl/time/clock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <ctime>
#include <map>

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

TEST(BinaryCopyRowsTest, EncodesFieldsAsPostgresReadsThem) {
  BinaryCopyRows rows;
  rows.BeginRow(4);
  rows.Text("ab");
  rows.Int16(-2);
  rows.Date(10958);  // 2000-01-02: day 1 of PostgreSQL's epoch.
  rows.Null();
  const std::string expected(
      "\0\4"
      "\0\0\0\2ab"
      "\0\0\0\2\xff\xfe"
      "\0\0\0\4\0\0\0\1"
      "\xff\xff\xff\xff",
      2 + 6 + 6 + 8 + 4);
  EXPECT_EQ(rows.bytes(), expected);
}

// The kpi_cells rows of BatchAggregator's output (no COPY header), decoded.
std::map<analytics::CellKey, analytics::CellList> DecodeKpiCellsRows(absl::string_view bytes) {
  const auto take = [&](size_t size) {
    const absl::string_view part = bytes.substr(0, size);
    bytes.remove_prefix(size);
    return part;
  };
  const auto number = [&](size_t size) {
    int64_t value = 0;
    for (const char byte : take(size)) {
      value = value << 8 | static_cast<uint8_t>(byte);
    }
    return size == 2 ? static_cast<int16_t>(value) : static_cast<int32_t>(value);
  };
  std::map<analytics::CellKey, analytics::CellList> rows;
  while (!bytes.empty()) {
    EXPECT_EQ(number(2), 11);
    std::vector<absl::string_view> fields;
    for (int i = 0; i < 11; ++i) {
      fields.push_back(take(number(4)));
    }
    const auto field_number = [&](int i) {
      int64_t value = 0;
      for (const char byte : fields[i]) {
        value = value << 8 | static_cast<uint8_t>(byte);
      }
      return fields[i].size() == 2 ? static_cast<int16_t>(value) : static_cast<int32_t>(value);
    };
    analytics::FactDimensions d;
    d.administration_id = std::string(fields[0]);
    d.kind = field_number(3);
    d.channel = field_number(4);
    d.priority = field_number(5);
    d.category = std::string(fields[6]);
    d.department_id = std::string(fields[7]);
    d.department_code = std::string(fields[8]);
    d.region_code = std::string(fields[9]);
    analytics::CellList cells;
    EXPECT_TRUE(analytics::DecodeCells(fields[10], cells));
    const analytics::CellKey key{d, static_cast<analytics::Basis>(field_number(1)),
                                 field_number(2) + 10957};
    EXPECT_TRUE(rows.emplace(key, std::move(cells)).second) << "row written twice";
  }
  return rows;
}

TEST(BatchAggregatorTest, SameRowsAsFilingEachComplaintAlone) {
  absl::TimeZone zone;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Paris", &zone));
  const DimensionTable table(3);
  const absl::Time first = absl::FromCivil(absl::CivilSecond(2024, 1, 10, 0, 0, 0), zone);
  const absl::Time now = first + absl::Hours(24 * 100);
  std::mt19937_64 random(1);
  ComplaintSource source;
  BatchAggregator aggregator(table, zone);
  absl::btree_map<analytics::CellKey, analytics::Cells> expected;
  BinaryCopyRows out;
  std::vector<BatchedComplaint> batch;
  int64_t rows = 0;
  for (int day = 0; day < 100; ++day) {
    for (int n = 0; n < 40; ++n) {
      BatchedComplaint& complaint = batch.emplace_back();
      Shape shape;
      source.Next(random, n % 3, first + absl::Seconds((day + n / 40.0) * 86400), now,
                  complaint.fact, shape);
      complaint.dimensions = DimensionTable::IdOf(shape);
      analytics::FileContribution(table[complaint.dimensions],
                                  analytics::ContributionOf(complaint.fact, zone), 1, expected);
    }
    if (day % 7 == 6 || day == 99) {  // Batches end mid-month: sums are carried over.
      rows += aggregator.AddAndEncode(
          batch,
          day == 99 ? analytics::kLatestDay
                    : analytics::DayNumber(first + absl::Hours(24 * (day + 1)), zone),
          out);
      batch.clear();
    }
  }
  const std::map<analytics::CellKey, analytics::CellList> written = DecodeKpiCellsRows(out.bytes());
  EXPECT_EQ(static_cast<int64_t>(written.size()), rows);
  std::map<analytics::CellKey, analytics::CellList> filed;
  for (const auto& [key, cells] : expected) {
    if (!cells.empty()) {
      filed[key] = analytics::CellList(cells.begin(), cells.end());
    }
  }
  EXPECT_EQ(written.size(), filed.size());
  EXPECT_TRUE(written == filed);
}

}  // namespace
}  // namespace doleances::bench
