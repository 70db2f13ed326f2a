#pragma once

#include "services/analytics/complaint_fact.h"
#include "tests/bench/pg_copy_writer.h"

#include <absl/time/time.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace doleances::bench {

// The complaints of the GetKpis benchmark's fixture (kpi_fixture.h): their dimensions, their
// milestones, and K0's row for each.

inline constexpr int kKinds = 5;
inline constexpr int kChannels = 6;
inline constexpr int kPriorities = 2;  // 2 (normal) and 3 (high).
inline constexpr int kCategories = 25;

// The id of administration number `a`.
std::string FixtureAdministrationId(int a);

// The dimension values a complaint of the fixture can have.
struct Shape {
  int administration = 0;
  int kind = 1;
  int channel = 1;
  int priority = 2;
  int category = 0;
};

// The dimension values of every shape, built once: a complaint's then cost no string building.
class DimensionTable {
 public:
  explicit DimensionTable(int administrations);

  // A number for the dimensions of `s`, from 0 up, administration first and category last.
  static uint32_t IdOf(const Shape& s) {
    return (((static_cast<uint32_t>(s.administration) * kKinds + s.kind - 1) * kChannels +
             s.channel - 1) *
                kPriorities +
            s.priority - 2) *
               kCategories +
           s.category;
  }
  // A number for the administration and category of the dimensions numbered `id`.
  static uint32_t CoarseIdOf(uint32_t id) {
    return id / (kKinds * kChannels * kPriorities * kCategories) * kCategories + id % kCategories;
  }
  const analytics::FactDimensions& operator[](uint32_t id) const { return dimensions_[id]; }

 private:
  std::vector<analytics::FactDimensions> dimensions_;
};

// Plausible complaints, drawn from the random streams the caller keeps.
class ComplaintSource {
 public:
  // A complaint of administration `a` received at `receive`, as analytics would know it at
  // `now`: its milestones into `fact` (dimensions left to the caller) and its dimensions into
  // `shape`.
  void Next(std::mt19937_64& random, int a, absl::Time receive, absl::Time now,
            analytics::ComplaintFact& fact, Shape& shape);

 private:
  // Skewed choice of 0..n-1, index i with weight 1 / (i + 1). Built once: building one per
  // draw cost more than the rest of a complaint.
  static std::discrete_distribution<int> Zipf(int n);

  std::discrete_distribution<int> kinds_ = Zipf(kKinds);
  std::discrete_distribution<int> channels_ = Zipf(kChannels);
  std::discrete_distribution<int> categories_ = Zipf(kCategories);
};

// K0's table: one row per complaint, what a naive schema would keep.
inline constexpr char kK0Table[] = "analytics_bench.k0_complaints";
inline constexpr char kK0Columns[] =
    "administration_id text, receive_day date, category text, routed boolean,"
    " responded boolean, closed boolean, withdrawn boolean, resolved boolean, left_day date,"
    " ack_us bigint, first_response_us bigint, resolution_us bigint, sla_met boolean,"
    " satisfaction smallint, problem_solved boolean";

// Appends the K0 row of `fact` (kK0Columns, in order) to `out`.
void EncodeK0Row(const analytics::ComplaintFact& fact, absl::TimeZone zone, BinaryCopyRows& out);

}  // namespace doleances::bench
