#include "services/analytics/complaint_fact.h"

#include "common/util/proto_time.h"

#include <algorithm>

namespace doleances::analytics {
namespace {

using events::v1::Event;
using type::v1::CaseState;

int64_t Micros(const google::protobuf::Timestamp& timestamp) {
  return absl::ToUnixMicros(util::FromTimestamp(timestamp));
}

void Earliest(ComplaintFact& fact, int slot, int64_t micros) {
  if (micros != 0 && (fact.slots[slot] == 0 || micros < fact.slots[slot])) {
    fact.slots[slot] = micros;
  }
}

void Latest(ComplaintFact& fact, int slot, int64_t micros) {
  fact.slots[slot] = std::max(fact.slots[slot], micros);
}

// Whether an owner-slot update at `micros` should take the dimensions it carries. Ties go to the
// larger value so that equal-time events settle the same way whatever their order.
bool Supersedes(int64_t current, int64_t micros) { return micros >= current; }

void InsertSorted(std::vector<int64_t>& values, int64_t value) {
  const auto it = std::lower_bound(values.begin(), values.end(), value);
  if (it == values.end() || *it != value) {
    values.insert(it, value);
  }
}

int ClockSlot(int clock, int offset) { return kClockSlots + 3 * clock + offset; }

void ApplyTransition(const type::v1::CaseState from, const type::v1::CaseState to, int64_t at,
                     ComplaintFact& fact) {
  if (to == type::v1::CASE_STATE_AWAITING_CITIZEN) {
    InsertSorted(fact.wait_starts, at);
  } else if (from == type::v1::CASE_STATE_AWAITING_CITIZEN) {
    InsertSorted(fact.wait_ends, at);
  }
  switch (to) {
    case type::v1::CASE_STATE_CLOSED:
      Latest(fact, kClosedTime, at);
      break;
    case type::v1::CASE_STATE_REJECTED:
      Latest(fact, kRejectedTime, at);
      break;
    case type::v1::CASE_STATE_REOPENED:
      Latest(fact, kReopenedTime, at);
      break;
    case type::v1::CASE_STATE_ESCALATED:
      Earliest(fact, kEscalatedTime, at);
      break;
    case type::v1::CASE_STATE_IN_MEDIATION:
      Earliest(fact, kMediationStartTime, at);
      break;
    default:
      break;
  }
}

struct Wait {
  int64_t start;
  int64_t end;  // 0 while still waiting.
};

// Pairs each wait start with the first end after it: waits on one case never overlap.
std::vector<Wait> WaitsOf(const ComplaintFact& fact) {
  std::vector<Wait> waits;
  size_t end = 0;
  for (size_t i = 0; i < fact.wait_starts.size(); ++i) {
    const int64_t start = fact.wait_starts[i];
    while (end < fact.wait_ends.size() && fact.wait_ends[end] < start) {
      ++end;
    }
    const bool has_end =
        end < fact.wait_ends.size() &&
        (i + 1 == fact.wait_starts.size() || fact.wait_ends[end] <= fact.wait_starts[i + 1]);
    waits.push_back({start, has_end ? fact.wait_ends[end] : 0});
    if (has_end) {
      ++end;
    }
  }
  return waits;
}

int64_t NonZeroMin(int64_t a, int64_t b) {
  if (a == 0) {
    return b;
  }
  if (b == 0) {
    return a;
  }
  return std::min(a, b);
}

// Files one contribution under the cohort day and under the day it happened.
class ContributionBuilder {
 public:
  ContributionBuilder(absl::TimeZone zone, int64_t receive_micros)
      : zone_(zone), cohort_day_(Day(receive_micros)) {}

  void Count(int64_t cell, int64_t at_micros, int64_t count = 1) {
    Add(Basis::kReceiveDay, cohort_day_, cell, count);
    Add(Basis::kEventDay, Day(at_micros), cell, count);
  }
  void Add(Basis basis, int64_t day, int64_t cell, int64_t count) {
    if (count != 0 && IsDayPacked(basis)) {
      const int64_t month = MonthStart(day);
      result_.cells[{basis, month}][DayPackedCell(day - month, cell == kOpen ? 0 : 1)] += count;
      return;
    }
    if (count != 0) {
      result_.cells[{basis, day}][cell] += count;
      if (const std::optional<Basis> monthly = MonthlyOf(basis); monthly.has_value()) {
        result_.cells[{*monthly, MonthStart(day)}][cell] += count;
      }
    }
  }
  void Term(const std::string& term) { result_.terms[{cohort_day_, term}] += 1; }
  int64_t Day(int64_t micros) const { return DayNumber(absl::FromUnixMicros(micros), zone_); }
  int64_t cohort_day() const { return cohort_day_; }
  Contribution Build() && { return std::move(result_); }

 private:
  absl::TimeZone zone_;
  int64_t cohort_day_;
  Contribution result_;
};

}  // namespace

void ApplyEvent(const Event& event, ComplaintFact& fact) {
  const int64_t at = Micros(event.occur_time());
  switch (event.payload_case()) {
    case Event::kComplaintReceived: {
      const events::v1::ComplaintReceived& received = event.complaint_received();
      fact.dimensions.administration_id = event.administration_id();
      fact.dimensions.kind = received.kind();
      fact.dimensions.channel = received.channel();
      fact.dimensions.department_code = received.territory().department_code();
      fact.dimensions.region_code = received.territory().region_code();
      if (fact.slots[kRoutingDecisionTime] == 0) {  // Routing's decision wins over the hint.
        fact.dimensions.category = received.category_hint();
        fact.dimensions.priority = received.priority();
      }
      Earliest(fact, kReceiveTime, Micros(received.receive_time()));
      break;
    }
    case Event::kComplaintRouted: {
      const events::v1::ComplaintRouted& routed = event.complaint_routed();
      Earliest(fact, kRoutedTime, at);
      if (Supersedes(fact.slots[kRoutingDecisionTime], at)) {
        fact.slots[kRoutingDecisionTime] = at;
        fact.dimensions.category = routed.category();
        fact.dimensions.department_id = routed.department_id();
        fact.dimensions.priority = routed.priority();
        fact.keywords.assign(routed.matched_keywords().begin(), routed.matched_keywords().end());
        std::sort(fact.keywords.begin(), fact.keywords.end());
        fact.keywords.erase(std::unique(fact.keywords.begin(), fact.keywords.end()),
                            fact.keywords.end());
      }
      break;
    }
    case Event::kCaseTransitioned:
      ApplyTransition(event.case_transitioned().from_state(), event.case_transitioned().to_state(),
                      at, fact);
      break;
    case Event::kComplaintResponded:
      Earliest(fact, kFirstResponseTime, at);
      break;
    case Event::kCaseEscalated:
      Earliest(fact, kEscalatedTime, at);
      break;
    case Event::kCaseTransferred:
      Latest(fact, kTransferredTime, at);
      break;
    case Event::kComplaintWithdrawn:
      Latest(fact, kWithdrawnTime, at);
      break;
    case Event::kMediationRequested:
    case Event::kMediationOpened:
      Earliest(fact, kMediationStartTime, at);
      break;
    case Event::kMediationClosed:
      Latest(fact, kMediationEndTime, at);
      break;
    case Event::kImplicitDecisionReached:
      Earliest(fact, kImplicitDecisionTime, at);
      break;
    case Event::kFeedbackReceived: {
      const events::v1::FeedbackReceived& feedback = event.feedback_received();
      if (feedback.satisfaction() < 1 || feedback.satisfaction() > 5) {
        break;
      }
      if (Supersedes(fact.slots[kFeedbackTime], at)) {
        fact.slots[kFeedbackTime] = at;
        fact.satisfaction = feedback.satisfaction();
        fact.problem_solved = feedback.problem_solved();
      }
      break;
    }
    case Event::kClockStopped: {
      const events::v1::ClockStopped& stopped = event.clock_stopped();
      const int clock = stopped.clock();
      if (clock <= 0 || clock >= kClockKinds) {
        break;
      }
      const int64_t stop = Micros(stopped.stop_time());
      if (stopped.state() == type::v1::CLOCK_STATE_MET) {
        Latest(fact, ClockSlot(clock, 0), stop);
      } else if (stopped.state() == type::v1::CLOCK_STATE_MISSED ||
                 stopped.state() == type::v1::CLOCK_STATE_EXPIRED) {
        Latest(fact, ClockSlot(clock, 1), stop);
      } else {
        break;  // CANCELLED: the clock no longer measures anything.
      }
      if (clock == type::v1::CLOCK_KIND_ACKNOWLEDGEMENT) {
        Earliest(fact, kAcknowledgedTime, stop);
      }
      break;
    }
    case Event::kDeadlineBreached: {
      const int clock = event.deadline_breached().clock();
      if (clock > 0 && clock < kClockKinds) {
        Latest(fact, ClockSlot(clock, 2), Micros(event.deadline_breached().due_time()));
      }
      break;
    }
    default:
      break;
  }
}

int64_t DayNumber(absl::Time time, absl::TimeZone zone) {
  return absl::ToCivilDay(time, zone) - absl::CivilDay(1970, 1, 1);
}

void FileContribution(const FactDimensions& dimensions, const Contribution& contribution,
                      int64_t sign, absl::btree_map<CellKey, Cells>& rows) {
  FactDimensions coarse;
  coarse.administration_id = dimensions.administration_id;
  coarse.category = dimensions.category;
  for (const auto& [where, values] : contribution.cells) {
    AddCells(rows[{dimensions, where.first, where.second}], values, sign);
    AddCells(rows[{coarse, CoarseOf(where.first), where.second}], values, sign);
  }
}

int64_t MonthStart(int64_t day) {
  const absl::CivilDay epoch(1970, 1, 1);
  return absl::CivilDay(absl::CivilMonth(epoch + day)) - epoch;
}

absl::Duration AdministrationTime(const ComplaintFact& fact, int64_t until_micros) {
  const int64_t receive = fact.slots[kReceiveTime];
  int64_t waited = 0;
  for (const Wait& wait : WaitsOf(fact)) {
    const int64_t start = std::max(wait.start, receive);
    const int64_t end = std::min(wait.end == 0 ? until_micros : wait.end, until_micros);
    waited += std::max<int64_t>(0, end - start);
  }
  return absl::Microseconds(std::max<int64_t>(0, until_micros - receive - waited));
}

Contribution ContributionOf(const ComplaintFact& fact, absl::TimeZone zone) {
  const auto& s = fact.slots;
  const int64_t receive = s[kReceiveTime];
  if (receive == 0) {
    return {};
  }
  ContributionBuilder out(zone, receive);
  const auto count_if_reached = [&](Counter counter, int slot) {
    if (s[slot] != 0) {
      out.Count(counter, s[slot]);
    }
  };
  out.Count(kReceived, receive);
  count_if_reached(kRouted, kRoutedTime);
  count_if_reached(kResponded, kFirstResponseTime);
  count_if_reached(kClosed, kClosedTime);
  count_if_reached(kRejected, kRejectedTime);
  count_if_reached(kWithdrawn, kWithdrawnTime);
  count_if_reached(kEscalated, kEscalatedTime);
  count_if_reached(kTransferred, kTransferredTime);
  count_if_reached(kMediated, kMediationStartTime);
  count_if_reached(kReopened, kReopenedTime);
  count_if_reached(kImplicitDecisions, kImplicitDecisionTime);

  const int64_t left =
      std::max({s[kClosedTime], s[kRejectedTime], s[kWithdrawnTime], s[kTransferredTime]});
  const bool open = left == 0 || s[kReopenedTime] > left;
  const bool unresolved_exit =
      s[kRejectedTime] != 0 || s[kWithdrawnTime] != 0 || s[kTransferredTime] != 0;
  const int64_t resolved_at =
      unresolved_exit ? 0 : NonZeroMin(s[kFirstResponseTime], s[kClosedTime]);
  if (resolved_at != 0) {
    out.Count(kResolved, resolved_at);
  }

  // Backlog: open now by receive day, and as +1/-1 steps by day (activity rows keep them too, for
  // trends).
  if (open) {
    out.Add(Basis::kOpenNow, out.cohort_day(), kOpen, 1);
    if (resolved_at == 0) {
      out.Add(Basis::kOpenNow, out.cohort_day(), kOpenUnresolved, 1);
    }
  }
  for (const Basis steps : {Basis::kEventDay, Basis::kBacklogSteps}) {
    out.Add(steps, out.cohort_day(), kOpen, 1);
    if (!open) {
      out.Add(steps, out.Day(left), kOpen, -1);
    }
  }

  // Kaplan-Meier in calendar time: resolved, or censored when leaving unresolved. Still-open
  // unresolved complaints are censored at query time, from the kOpenNow rows.
  if (resolved_at != 0) {
    out.Add(Basis::kReceiveDay, out.cohort_day(),
            HistogramCell(Histogram::kSurvivalResolved,
                          BucketOf(absl::Microseconds(resolved_at - receive))),
            1);
  } else if (!open) {
    out.Add(
        Basis::kReceiveDay, out.cohort_day(),
        HistogramCell(Histogram::kSurvivalCensored, BucketOf(absl::Microseconds(left - receive))),
        1);
  }

  // Delays: the administration's time only.
  const auto delay = [&](Histogram histogram, int64_t until) {
    if (until != 0) {
      out.Count(HistogramCell(histogram, BucketOf(AdministrationTime(fact, until))), until);
    }
  };
  delay(Histogram::kAcknowledgement, NonZeroMin(s[kAcknowledgedTime], s[kRoutedTime]));
  delay(Histogram::kFirstResponse, s[kFirstResponseTime]);
  delay(Histogram::kResolution, resolved_at);
  if (s[kMediationStartTime] != 0 && s[kMediationEndTime] >= s[kMediationStartTime]) {
    out.Count(
        HistogramCell(Histogram::kMediation,
                      BucketOf(absl::Microseconds(s[kMediationEndTime] - s[kMediationStartTime]))),
        s[kMediationEndTime]);
  }
  int64_t waited = 0;
  int64_t last_end = 0;
  for (const Wait& wait : WaitsOf(fact)) {
    if (wait.end != 0) {
      waited += wait.end - wait.start;
      last_end = wait.end;
    }
  }
  if (last_end != 0) {
    out.Count(HistogramCell(Histogram::kCitizenWait, BucketOf(absl::Microseconds(waited))),
              last_end);
  }

  // SLA per clock: the latest stop decides; a breach after it with the complaint open is a clock
  // still running late.
  for (int clock = 1; clock < kClockKinds; ++clock) {
    const int64_t met = s[ClockSlot(clock, 0)];
    const int64_t missed = s[ClockSlot(clock, 1)];
    const int64_t breach = s[ClockSlot(clock, 2)];
    if (breach != 0) {
      out.Count(kBreached, breach);
    }
    if (met != 0 || missed != 0) {
      out.Count(SlaCell(clock, met > missed ? SlaOutcome::kMet : SlaOutcome::kMissed),
                std::max(met, missed));
    } else if (breach != 0 && open) {
      out.Count(SlaCell(clock, SlaOutcome::kBreachedOpen), breach);
    }
  }

  if (s[kFeedbackTime] != 0) {
    out.Count(kFeedbacks, s[kFeedbackTime]);
    out.Count(kScore1 + fact.satisfaction - 1, s[kFeedbackTime]);
    if (fact.problem_solved) {
      out.Count(kProblemSolved, s[kFeedbackTime]);
    }
  }
  for (const std::string& keyword : fact.keywords) {
    out.Term(keyword);
  }
  return std::move(out).Build();
}

}  // namespace doleances::analytics
