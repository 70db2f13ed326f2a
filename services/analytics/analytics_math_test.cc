// Histogram quantiles, Kaplan-Meier and spike detection: the KPI maths, without a database.
#include "services/analytics/duration_histogram.h"
#include "services/analytics/kaplan_meier.h"
#include "services/analytics/kpi_cells.h"
#include "services/analytics/spike_detection.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace doleances::analytics {
namespace {

double Seconds(absl::Duration d) { return absl::ToDoubleSeconds(d); }

TEST(AnalyticsHistogramTest, EveryDurationIsWithinOnePercentOfItsBucketValue) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> log_seconds(0, std::log(90.0 * 86400));
  for (int i = 0; i < 10000; ++i) {
    const double seconds = std::exp(log_seconds(random));
    const double value = Seconds(BucketValue(BucketOf(absl::Seconds(seconds))));
    EXPECT_NEAR(value / seconds, 1.0, 0.01) << seconds;
  }
}

TEST(AnalyticsHistogramTest, BucketsAreMonotonicAndClampNegativeAndHugeDurations) {
  EXPECT_EQ(BucketOf(absl::Seconds(-5)), 0);
  EXPECT_EQ(BucketOf(absl::Milliseconds(999)), 0);
  EXPECT_EQ(BucketOf(absl::Hours(24 * 365 * 10000)), kBucketCount - 1);
  int previous = 0;
  for (int seconds = 1; seconds < 100000; seconds += 37) {
    const int bucket = BucketOf(absl::Seconds(seconds));
    EXPECT_GE(bucket, previous);
    previous = bucket;
  }
}

TEST(AnalyticsHistogramTest, QuantilesMatchNearestRankWithinBucketError) {
  // 1..100 hours: nearest-rank median is 50 h, p90 90 h, p99 99 h.
  BucketCounts counts;
  for (int hours = 1; hours <= 100; ++hours) {
    counts[BucketOf(absl::Hours(hours))] += 1;
  }
  EXPECT_EQ(TotalCount(counts), 100);
  EXPECT_NEAR(Seconds(*Quantile(counts, 0.5)) / 3600, 50, 0.5);
  EXPECT_NEAR(Seconds(*Quantile(counts, 0.9)) / 3600, 90, 0.9);
  EXPECT_NEAR(Seconds(*Quantile(counts, 0.99)) / 3600, 99, 1.0);
  EXPECT_FALSE(Quantile(BucketCounts{}, 0.5).has_value());
}

TEST(AnalyticsHistogramTest, SummingBucketsOfPartsGivesTheQuantilesOfTheWhole) {
  Cells monday;
  Cells tuesday;
  for (int minutes = 1; minutes <= 60; ++minutes) {
    Cells& day = minutes % 2 == 0 ? monday : tuesday;
    day[HistogramCell(Histogram::kFirstResponse, BucketOf(absl::Minutes(minutes)))] += 1;
  }
  Cells week;
  AddCells(week, monday);
  AddCells(week, tuesday);
  const BucketCounts merged = HistogramOf(week, Histogram::kFirstResponse);
  EXPECT_EQ(TotalCount(merged), 60);
  EXPECT_NEAR(Seconds(*Quantile(merged, 0.5)) / 60, 30, 0.3);
  // Subtracting a part takes it out again, and empty cells disappear.
  AddCells(week, tuesday, -1);
  EXPECT_EQ(week, monday);
}

TEST(AnalyticsCellsTest, PackedCellsRoundTripAnyIdsAndSignedCounts) {
  std::mt19937_64 random(3);
  for (int round = 0; round < 200; ++round) {
    Cells cells;
    const int n = static_cast<int>(random() % 300);
    for (int i = 0; i < n; ++i) {
      const auto id =
          static_cast<int64_t>(random() % (round % 2 == 0 ? 10000 : (int64_t{1} << 40)));
      const int64_t count = static_cast<int64_t>(random() % 2000001) - 1000000;
      if (count != 0) {
        cells[id] = count;
      }
    }
    cells[int64_t{1} << 50] = std::numeric_limits<int64_t>::min();
    cells[(int64_t{1} << 50) + 1] = std::numeric_limits<int64_t>::max();
    CellList decoded;
    ASSERT_TRUE(DecodeCells(EncodeCells(cells), decoded));
    ASSERT_EQ(decoded, CellList(cells.begin(), cells.end()));
  }
  CellList decoded;
  EXPECT_FALSE(DecodeCells(std::string(1, '\x80'), decoded));  // Truncated varint.
}

TEST(AnalyticsCellsTest, SumsOfRowsDropZeros) {
  CellSum sum;
  sum.Add({{1, 2}, {5, -1}});
  sum.Add({{5, 1}, {7, 3}});
  EXPECT_EQ(sum.ToList(), (CellList{{1, 2}, {7, 3}}));
  EXPECT_EQ(CellValue(CellList{{1, 2}, {7, 3}}, 7), 3);
  EXPECT_EQ(CellValue(CellList{{1, 2}, {7, 3}}, 5), 0);
}

TEST(AnalyticsKaplanMeierTest, WithoutCensoringItIsTheEmpiricalDistribution) {
  BucketCounts resolved;
  for (int days = 1; days <= 10; ++days) {
    resolved[BucketOf(absl::Hours(24 * days))] += 1;
  }
  const auto curve = KaplanMeierCurve(resolved, {});
  ASSERT_EQ(curve.size(), 10u);
  EXPECT_NEAR(curve[4].second, 0.5, 1e-12);
  EXPECT_NEAR(Seconds(*SurvivalQuantile(curve, 0.5)) / 86400, 5, 0.05);
  EXPECT_NEAR(Seconds(*SurvivalQuantile(curve, 0.9)) / 86400, 9, 0.09);
}

TEST(AnalyticsKaplanMeierTest, CensoredCasesLeaveTheRiskSetWithoutCountingAsResolved) {
  // Textbook example: times 1, 2+, 3, 4+, 5 (days; + censored).
  const auto day = [](int n) { return BucketOf(absl::Hours(24 * n)); };
  BucketCounts resolved{{day(1), 1}, {day(3), 1}, {day(5), 1}};
  BucketCounts censored{{day(2), 1}, {day(4), 1}};
  const auto curve = KaplanMeierCurve(resolved, censored);
  ASSERT_EQ(curve.size(), 3u);
  EXPECT_NEAR(curve[0].second, 0.8, 1e-12);                  // 1 - 1/5
  EXPECT_NEAR(curve[1].second, 0.8 * (1 - 1.0 / 3), 1e-12);  // 3 at risk at day 3
  EXPECT_NEAR(curve[2].second, 0.0, 1e-12);                  // last one at risk resolves
  // S(3) = 0.53 is still above one half: the median is the next resolution, day 5.
  EXPECT_NEAR(Seconds(*SurvivalQuantile(curve, 0.5)) / 86400, 5, 0.05);
}

TEST(AnalyticsKaplanMeierTest, MedianUnsetWhileHalfTheCohortIsNotResolved) {
  const BucketCounts resolved{{BucketOf(absl::Hours(24)), 2}};
  const BucketCounts censored{{BucketOf(absl::Hours(48)), 8}};
  EXPECT_FALSE(SurvivalQuantile(KaplanMeierCurve(resolved, censored), 0.5).has_value());
}

TEST(AnalyticsSpikeTest, FlatSeriesHasNoSpike) {
  const std::vector<double> flat(60, 20.0);
  for (const ScoredPoint& point : ScoreSeries(flat, {})) {
    EXPECT_FALSE(point.spike);
  }
}

TEST(AnalyticsSpikeTest, NoisySeriesWithoutOutliersHasNoSpike) {
  std::mt19937 random(3);
  std::poisson_distribution<int> poisson(30);
  std::vector<double> values;
  for (int i = 0; i < 90; ++i) {
    values.push_back(poisson(random));
  }
  int spikes = 0;
  for (const ScoredPoint& point : ScoreSeries(values, {.z_threshold = 4.0})) {
    spikes += point.spike ? 1 : 0;
  }
  EXPECT_EQ(spikes, 0);
}

TEST(AnalyticsSpikeTest, InjectedSpikeIsFlaggedAgainstTheBaselineBeforeIt) {
  std::vector<double> values(30, 20.0);
  values[20] = 80.0;
  const std::vector<ScoredPoint> scored = ScoreSeries(values, {});
  EXPECT_TRUE(scored[20].spike);
  EXPECT_NEAR(scored[20].baseline, 20.0, 1e-9);
  EXPECT_GT(scored[20].z_score, 10);
  for (size_t i = 0; i < values.size(); ++i) {
    if (i != 20) {
      EXPECT_FALSE(scored[i].spike) << i;
    }
  }
}

TEST(AnalyticsSpikeTest, NothingIsASpikeDuringWarmupOrBelowTheMinimumValue) {
  std::vector<double> values{5, 5, 100, 5, 5, 5, 5, 5, 5, 5, 4};
  values[9] = 4.5;
  const std::vector<ScoredPoint> scored =
      ScoreSeries(values, {.warmup_periods = 7, .min_value = 10});
  EXPECT_FALSE(scored[2].spike);  // Warmup.
  EXPECT_FALSE(scored[9].spike);
}

}  // namespace
}  // namespace doleances::analytics
