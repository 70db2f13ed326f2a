#include "services/analytics/kpi_report.h"

#include "services/analytics/kaplan_meier.h"

#include <absl/container/btree_map.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace doleances::analytics {
namespace {

using google::protobuf::util::TimeUtil;
using Key = std::vector<std::string>;

google::protobuf::Duration ToProto(absl::Duration duration) {
  return TimeUtil::MicrosecondsToDuration(absl::ToInt64Microseconds(duration));
}

google::protobuf::Timestamp ToProto(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

Key KeyOf(const std::vector<v1::Dimension>& group_by, int64_t day, const FactDimensions& d,
          bool with_time) {
  Key key;
  key.reserve(group_by.size());
  for (const v1::Dimension dimension : group_by) {
    key.push_back(IsTimeDimension(dimension) && !with_time ? ""
                                                           : DimensionValueOf(dimension, day, d));
  }
  return key;
}

struct Group {
  CellSum cells;
  int64_t period_first = 0;
  int64_t period_last = 0;
};

// What the open-now rows say about one group of non-time dimensions.
struct OpenGroup {
  absl::btree_map<int64_t, int64_t> open_by_day;
  absl::btree_map<int64_t, int64_t> unresolved_by_day;
  int64_t open = 0;
};

// Complaints the group is about, for suppression: the cohort's size, or under the event basis
// the largest count of anything that happened.
int64_t GroupSize(const CellList& cells, Basis basis) {
  if (basis == Basis::kReceiveDay) {
    return CellValue(cells, kReceived);
  }
  int64_t largest = 0;
  for (int64_t counter = kReceived; counter <= kResolved; ++counter) {
    largest = std::max(largest, CellValue(cells, counter));
  }
  return std::max(largest, CellValue(cells, kFeedbacks));
}

void FillVolumes(const CellList& c, v1::Volumes& volumes) {
  volumes.set_received(CellValue(c, kReceived));
  volumes.set_routed(CellValue(c, kRouted));
  volumes.set_responded(CellValue(c, kResponded));
  volumes.set_closed(CellValue(c, kClosed));
  volumes.set_rejected(CellValue(c, kRejected));
  volumes.set_withdrawn(CellValue(c, kWithdrawn));
  volumes.set_escalated(CellValue(c, kEscalated));
  volumes.set_transferred(CellValue(c, kTransferred));
  volumes.set_mediated(CellValue(c, kMediated));
  volumes.set_reopened(CellValue(c, kReopened));
  volumes.set_implicit_decisions(CellValue(c, kImplicitDecisions));
}

void FillDelays(const CellList& c, v1::KpiRow& row) {
  const std::pair<type::v1::ClockKind, Histogram> clocks[] = {
      {type::v1::CLOCK_KIND_ACKNOWLEDGEMENT, Histogram::kAcknowledgement},
      {type::v1::CLOCK_KIND_FIRST_RESPONSE, Histogram::kFirstResponse},
      {type::v1::CLOCK_KIND_RESOLUTION, Histogram::kResolution},
      {type::v1::CLOCK_KIND_MEDIATION_OUTCOME, Histogram::kMediation},
  };
  for (const auto& [clock, histogram] : clocks) {
    v1::ClockDelay* delay = row.add_delays();
    delay->set_clock(clock);
    *delay->mutable_summary() = SummaryOf(HistogramOf(c, histogram));
  }
  *row.mutable_citizen_wait() = SummaryOf(HistogramOf(c, Histogram::kCitizenWait));
}

void FillSla(const CellList& c, v1::KpiRow& row) {
  for (int clock = 1; clock < kClockKinds; ++clock) {
    const int64_t met = CellValue(c, SlaCell(clock, SlaOutcome::kMet));
    const int64_t missed = CellValue(c, SlaCell(clock, SlaOutcome::kMissed));
    const int64_t open = CellValue(c, SlaCell(clock, SlaOutcome::kBreachedOpen));
    if (met + missed + open == 0) {
      continue;
    }
    v1::SlaCompliance* sla = row.add_sla_compliances();
    sla->set_clock(static_cast<type::v1::ClockKind>(clock));
    sla->set_met_count(met);
    sla->set_missed_count(missed);
    sla->set_breached_open_count(open);
    sla->set_compliance_rate(static_cast<double>(met) / static_cast<double>(met + missed + open));
  }
}

void FillSatisfaction(const CellList& c, int min_group_size, v1::KpiRow& row) {
  const int64_t responses = CellValue(c, kFeedbacks);
  if (responses == 0 || responses < min_group_size) {
    return;
  }
  v1::Satisfaction* satisfaction = row.mutable_satisfaction();
  satisfaction->set_response_count(responses);
  int64_t satisfied = 0;
  int64_t score_sum = 0;
  for (int score = 1; score <= 5; ++score) {
    const int64_t count = CellValue(c, kScore1 + score - 1);
    satisfaction->add_score_counts(count);
    score_sum += score * count;
    if (score >= 4) {
      satisfied += count;
    }
  }
  const double n = static_cast<double>(responses);
  satisfaction->set_csat_rate(satisfied / n);
  satisfaction->set_mean_score(score_sum / n);
  satisfaction->set_problem_solved_rate(CellValue(c, kProblemSolved) / n);
}

// Weighted nearest-rank quantile of ages, oldest day first.
absl::Duration AgeQuantile(const absl::btree_map<int64_t, int64_t>& open_by_day, int64_t total,
                           double q, absl::Time as_of, absl::TimeZone zone) {
  const int64_t rank = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(q * total - 1e-9)));
  int64_t cumulative = 0;
  // Youngest first: the q-quantile of ages counts from the smallest age.
  for (auto it = open_by_day.rbegin(); it != open_by_day.rend(); ++it) {
    cumulative += it->second;
    if (cumulative >= rank) {
      return std::max(absl::ZeroDuration(), as_of - NoonOf(it->first, zone));
    }
  }
  return absl::ZeroDuration();
}

}  // namespace

absl::Time NoonOf(int64_t day, absl::TimeZone zone) {
  const absl::CivilDay civil = absl::CivilDay(1970, 1, 1) + day;
  return absl::FromCivil(absl::CivilSecond(civil.year(), civil.month(), civil.day(), 12), zone);
}

v1::DurationSummary SummaryOf(const BucketCounts& buckets) {
  v1::DurationSummary summary;
  summary.set_sample_count(TotalCount(buckets));
  if (summary.sample_count() > 0) {
    *summary.mutable_median() = ToProto(*Quantile(buckets, 0.5));
    *summary.mutable_p90() = ToProto(*Quantile(buckets, 0.9));
    *summary.mutable_p99() = ToProto(*Quantile(buckets, 0.99));
  }
  return summary;
}

std::vector<CellSpan> CoveringSpans(Basis daily, int64_t first_day, int64_t last_day, bool months) {
  const std::optional<Basis> monthly = MonthlyOf(daily);
  if (!months || !monthly.has_value() || last_day < first_day) {
    return {{daily, first_day, last_day}};
  }
  const int64_t whole_from = MonthStart(first_day) == first_day
                                 ? first_day
                                 : PeriodOf(v1::DIMENSION_MONTH, first_day).second + 1;
  const int64_t whole_to = MonthStart(last_day + 1);  // First day after the whole months.
  if (whole_from >= whole_to) {
    return {{daily, first_day, last_day}};
  }
  std::vector<CellSpan> spans;
  if (first_day < whole_from) {
    spans.push_back({daily, first_day, whole_from - 1});
  }
  spans.push_back({*monthly, whole_from, whole_to - 1});
  if (whole_to <= last_day) {
    spans.push_back({daily, whole_to, last_day});
  }
  return spans;
}

bool CoarseSuffices(const KpiSpec& spec) {
  const CellFilter& f = spec.filter;
  if (!f.kinds.empty() || !f.channels.empty() || !f.priorities.empty() ||
      !f.department_ids.empty() || !f.department_codes.empty() || !f.region_codes.empty()) {
    return false;
  }
  return std::all_of(spec.group_by.begin(), spec.group_by.end(), [](v1::Dimension dimension) {
    return IsTimeDimension(dimension) || dimension == v1::DIMENSION_ADMINISTRATION ||
           dimension == v1::DIMENSION_CATEGORY;
  });
}

bool MonthsSuffice(const std::vector<v1::Dimension>& group_by) {
  return std::none_of(group_by.begin(), group_by.end(), [](v1::Dimension dimension) {
    return dimension == v1::DIMENSION_DAY || dimension == v1::DIMENSION_WEEK;
  });
}

int64_t BacklogScanStart(const KpiSpec& spec, const ReportContext& context) {
  const bool by_time = std::any_of(spec.group_by.begin(), spec.group_by.end(), IsTimeDimension);
  const absl::Time as_of = std::min(spec.end_time, context.now);
  return by_time ? spec.first_day : std::min(spec.last_day, DayNumber(as_of, context.zone)) + 1;
}

std::vector<v1::KpiRow> BuildKpiRows(const KpiSpec& spec, const KpiInputs& inputs,
                                     const ReportContext& context) {
  const v1::Dimension* time_dimension = nullptr;
  for (const v1::Dimension& dimension : spec.group_by) {
    if (IsTimeDimension(dimension)) {
      time_dimension = &dimension;
    }
  }
  absl::btree_map<Key, Group> groups;
  for (const CellRow& row : inputs.rows) {
    Group& group = groups[KeyOf(spec.group_by, row.day, row.dimensions, true)];
    group.cells.Add(row.cells);
    if (time_dimension != nullptr) {
      std::tie(group.period_first, group.period_last) = PeriodOf(*time_dimension, row.day);
    } else {
      group.period_first = spec.first_day;
      group.period_last = spec.last_day;
    }
  }
  const int64_t today = DayNumber(context.now, context.zone);
  absl::btree_map<Key, OpenGroup> open_groups;
  for (const CellRow& row : inputs.open_now) {
    OpenGroup& open = open_groups[KeyOf(spec.group_by, row.day, row.dimensions, false)];
    ForEachPackedDay(row.day, row.cells, [&](int64_t day, int slot, int64_t count) {
      if (slot == 0) {
        open.open += count;
        open.open_by_day[day] += count;
      } else {
        open.unresolved_by_day[day] += count;
      }
    });
  }
  absl::btree_map<Key, absl::btree_map<int64_t, int64_t>> later_net_arrivals;
  for (const CellRow& row : inputs.later_activity) {
    auto& steps = later_net_arrivals[KeyOf(spec.group_by, row.day, row.dimensions, false)];
    ForEachPackedDay(row.day, row.cells, [&](int64_t day, int, int64_t count) {
      if (day <= today) {  // Steps dated after now (producers' clock skew) are not history yet.
        steps[day] += count;
      }
    });
  }

  const absl::Time as_of = std::min(spec.end_time, context.now);
  const int64_t as_of_day = DayNumber(as_of, context.zone);
  std::vector<v1::KpiRow> rows;
  for (const auto& [key, group] : groups) {
    v1::KpiRow& row = rows.emplace_back();
    for (size_t i = 0; i < key.size(); ++i) {
      v1::DimensionValue* value = row.add_dimension_values();
      value->set_dimension(spec.group_by[i]);
      value->set_value(key[i]);
    }
    const CellList c = group.cells.ToList();
    const int64_t size = GroupSize(c, spec.basis);
    if (size < context.min_group_size) {
      row.set_suppressed(true);
      continue;
    }
    FillVolumes(c, *row.mutable_volumes());
    if (CellValue(c, kReceived) > 0) {
      row.set_resolution_rate(static_cast<double>(CellValue(c, kResolved)) /
                              static_cast<double>(CellValue(c, kReceived)));
    }
    FillDelays(c, row);
    FillSla(c, row);
    FillSatisfaction(c, context.min_group_size, row);

    Key open_key = key;
    for (size_t i = 0; i < key.size(); ++i) {
      if (IsTimeDimension(spec.group_by[i])) {
        open_key[i] = "";
      }
    }
    const auto open_it = open_groups.find(open_key);
    const OpenGroup empty_open;
    const OpenGroup& open = open_it == open_groups.end() ? empty_open : open_it->second;

    // Backlog at the end of the group's period (or of the range), capped at now.
    const int64_t backlog_day = std::min({group.period_last, spec.last_day, as_of_day});
    int64_t backlog = open.open;
    if (const auto later = later_net_arrivals.find(open_key); later != later_net_arrivals.end()) {
      for (auto it = later->second.upper_bound(backlog_day); it != later->second.end(); ++it) {
        backlog -= it->second;
      }
    }
    v1::Backlog* backlog_out = row.mutable_backlog();
    const absl::Time backlog_time =
        backlog_day >= as_of_day ? as_of : NoonOf(backlog_day + 1, context.zone) - absl::Hours(12);
    *backlog_out->mutable_as_of_time() = ToProto(backlog_time);
    backlog_out->set_open_count(backlog);
    // Ages are known for today's backlog only (open complaints by receive day).
    if (backlog_day == today && open.open > 0) {
      *backlog_out->mutable_median_age() =
          ToProto(AgeQuantile(open.open_by_day, open.open, 0.5, context.now, context.zone));
      *backlog_out->mutable_p90_age() =
          ToProto(AgeQuantile(open.open_by_day, open.open, 0.9, context.now, context.zone));
      *backlog_out->mutable_max_age() =
          ToProto(std::max(absl::ZeroDuration(),
                           context.now - NoonOf(open.open_by_day.begin()->first, context.zone)));
    }

    if (spec.basis == Basis::kReceiveDay) {
      const BucketCounts resolved = HistogramOf(c, Histogram::kSurvivalResolved);
      BucketCounts censored = HistogramOf(c, Histogram::kSurvivalCensored);
      const int64_t first = std::max(group.period_first, spec.first_day);
      const int64_t last = std::min(group.period_last, spec.last_day);
      for (auto it = open.unresolved_by_day.lower_bound(first);
           it != open.unresolved_by_day.end() && it->first <= last; ++it) {
        if (it->second > 0) {
          censored[BucketOf(context.now - NoonOf(it->first, context.zone))] += it->second;
        }
      }
      v1::SurvivalEstimate* survival = row.mutable_time_to_resolution();
      survival->set_cohort_size(CellValue(c, kReceived));
      survival->set_resolved_count(TotalCount(resolved));
      survival->set_censored_count(TotalCount(censored));
      const auto curve = KaplanMeierCurve(resolved, censored);
      if (const auto median = SurvivalQuantile(curve, 0.5); median.has_value()) {
        *survival->mutable_median() = ToProto(*median);
      }
      if (const auto p90 = SurvivalQuantile(curve, 0.9); p90.has_value()) {
        *survival->mutable_p90() = ToProto(*p90);
      }
    }
  }
  return rows;
}

}  // namespace doleances::analytics
