#include "tests/bench/kpi_complaints.h"

#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>

#include <algorithm>

namespace doleances::bench {
namespace {

using analytics::ComplaintFact;
using analytics::FactDimensions;

constexpr int16_t kK0Fields = 15;

// Routing sends a category to one department: the two are not independent.
FactDimensions DimensionsOf(const Shape& s) {
  FactDimensions d;
  d.administration_id = FixtureAdministrationId(s.administration);
  d.kind = s.kind;
  d.channel = s.channel;
  d.priority = s.priority;
  d.category = absl::StrCat("cat-", s.category);
  d.department_id = absl::StrCat("dept-", s.administration, "-", s.category % 6);
  d.department_code = absl::StrFormat("%02d", 1 + s.administration % 95);
  d.region_code = absl::StrFormat("%02d", 11 + s.administration % 18);
  return d;
}

}  // namespace

std::string FixtureAdministrationId(int a) {
  return absl::StrFormat("00000000-0000-4000-8000-%012d", a);
}

DimensionTable::DimensionTable(int administrations) {
  for (int a = 0; a < administrations; ++a) {
    for (int kind = 1; kind <= kKinds; ++kind) {
      for (int channel = 1; channel <= kChannels; ++channel) {
        for (int priority = 2; priority < 2 + kPriorities; ++priority) {
          for (int category = 0; category < kCategories; ++category) {
            dimensions_.push_back(DimensionsOf({a, kind, channel, priority, category}));
          }
        }
      }
    }
  }
}

std::discrete_distribution<int> ComplaintSource::Zipf(int n) {
  std::vector<double> weights;
  for (int i = 0; i < n; ++i) {
    weights.push_back(1.0 / (i + 1));
  }
  return std::discrete_distribution<int>(weights.begin(), weights.end());
}

void ComplaintSource::Next(std::mt19937_64& random, int a, absl::Time receive, absl::Time now,
                           ComplaintFact& fact, Shape& shape) {
  std::uniform_real_distribution<double> unit(0, 1);
  std::lognormal_distribution<double> hours(3.0, 1.2);  // Median ~20 h.
  shape.administration = a;
  shape.kind = 1 + kinds_(random);
  shape.channel = 1 + channels_(random);
  shape.priority = unit(random) < 0.9 ? 2 : 3;
  shape.category = categories_(random);
  fact.slots = {};
  fact.satisfaction = 0;
  fact.problem_solved = false;
  const auto at = [&](absl::Duration after) {
    const absl::Time t = receive + after;
    return t < now ? absl::ToUnixMicros(t) : int64_t{0};
  };
  fact.slots[analytics::kReceiveTime] = absl::ToUnixMicros(receive);
  fact.slots[analytics::kRoutedTime] = at(absl::Minutes(1 + 60 * unit(random)));
  const absl::Duration answer = absl::Hours(hours(random));
  if (unit(random) < 0.92) {
    fact.slots[analytics::kFirstResponseTime] = at(answer);
    fact.slots[analytics::kClockSlots + 3 * 2 + (answer < absl::Hours(48) ? 0 : 1)] = at(answer);
    if (unit(random) < 0.95) {
      fact.slots[analytics::kClosedTime] = at(answer + absl::Hours(24));
    }
    if (unit(random) < 0.3) {
      fact.slots[analytics::kFeedbackTime] = at(answer + absl::Hours(30));
      fact.satisfaction = 1 + static_cast<int>(random() % 5);
      fact.problem_solved = unit(random) < 0.6;
      if (fact.slots[analytics::kFeedbackTime] == 0) {
        fact.satisfaction = 0;
      }
    }
  } else if (unit(random) < 0.7) {
    fact.slots[analytics::kWithdrawnTime] = at(answer);
  }
}

void EncodeK0Row(const ComplaintFact& f, absl::TimeZone zone, BinaryCopyRows& out) {
  using analytics::AdministrationTime;
  const auto& s = f.slots;
  const auto day = [&](int64_t micros) {
    return analytics::DayNumber(absl::FromUnixMicros(micros), zone);
  };
  const auto delay = [&](int64_t until) {
    if (until == 0) {
      out.Null();
    } else {
      out.Int64(absl::ToInt64Microseconds(AdministrationTime(f, until)));
    }
  };
  const int64_t left = std::max(s[analytics::kClosedTime], s[analytics::kWithdrawnTime]);
  const int64_t response = s[analytics::kFirstResponseTime];
  const int64_t closed = s[analytics::kClosedTime];
  const bool resolved = s[analytics::kWithdrawnTime] == 0 && (response != 0 || closed != 0);
  const int64_t resolved_at =
      !resolved ? 0
                : (response == 0 ? closed : (closed == 0 ? response : std::min(response, closed)));
  const int64_t met = s[analytics::kClockSlots + 3 * 2];
  const int64_t missed = s[analytics::kClockSlots + 3 * 2 + 1];
  const bool has_feedback = s[analytics::kFeedbackTime] != 0;
  out.BeginRow(kK0Fields);
  out.Text(f.dimensions.administration_id);
  out.Date(day(s[analytics::kReceiveTime]));
  out.Text(f.dimensions.category);
  out.Bool(s[analytics::kRoutedTime] != 0);
  out.Bool(response != 0);
  out.Bool(closed != 0);
  out.Bool(s[analytics::kWithdrawnTime] != 0);
  out.Bool(resolved);
  if (left == 0) {
    out.Null();
  } else {
    out.Date(day(left));
  }
  delay(s[analytics::kRoutedTime]);
  delay(response);
  delay(resolved_at);
  if (met != 0 || missed != 0) {
    out.Bool(met > missed);
  } else {
    out.Null();
  }
  if (has_feedback) {
    out.Int16(static_cast<int16_t>(f.satisfaction));
  } else {
    out.Null();
  }
  out.Bool(f.problem_solved && has_feedback);
}

}  // namespace doleances::bench
