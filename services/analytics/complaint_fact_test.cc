// The per-complaint fact: order-independent merging, and what it contributes to the aggregates.
#include "services/analytics/complaint_fact.h"

#include "common/util/proto_time.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace doleances::analytics {
namespace {

using events::v1::Event;

const absl::Time kMonday =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 0, 0), absl::UTCTimeZone());

Event At(absl::Duration offset) {
  Event event;
  event.set_complaint_id("c1");
  event.set_administration_id("lyon");
  *event.mutable_occur_time() = util::ToTimestamp(kMonday + offset);
  return event;
}

Event Received() {
  Event event = At(absl::ZeroDuration());
  auto* received = event.mutable_complaint_received();
  received->set_kind(type::v1::COMPLAINT_KIND_RECLAMATION);
  received->set_channel(type::v1::CHANNEL_WEB_FORM);
  received->set_category_hint("voirie");
  received->mutable_territory()->set_department_code("69");
  *received->mutable_receive_time() = util::ToTimestamp(kMonday);
  return event;
}

Event Transition(absl::Duration offset, type::v1::CaseState from, type::v1::CaseState to) {
  Event event = At(offset);
  event.mutable_case_transitioned()->set_from_state(from);
  event.mutable_case_transitioned()->set_to_state(to);
  return event;
}

Event Responded(absl::Duration offset) {
  Event event = At(offset);
  event.mutable_complaint_responded()->set_first_response(true);
  return event;
}

std::vector<Event> History() {
  Event routed = At(absl::Hours(1));
  routed.mutable_complaint_routed()->set_category("eclairage");
  routed.mutable_complaint_routed()->set_department_id("dept-1");
  routed.mutable_complaint_routed()->add_matched_keywords("lampadaire");
  Event feedback = At(absl::Hours(100));
  feedback.mutable_feedback_received()->set_satisfaction(4);
  feedback.mutable_feedback_received()->set_problem_solved(true);
  return {Received(),
          routed,
          Transition(absl::Hours(2), type::v1::CASE_STATE_IN_PROGRESS,
                     type::v1::CASE_STATE_AWAITING_CITIZEN),
          Transition(absl::Hours(26), type::v1::CASE_STATE_AWAITING_CITIZEN,
                     type::v1::CASE_STATE_IN_PROGRESS),
          Responded(absl::Hours(30)),
          Transition(absl::Hours(48), type::v1::CASE_STATE_RESPONDED, type::v1::CASE_STATE_CLOSED),
          feedback};
}

TEST(AnalyticsFactTest, AnyOrderAndRedeliveryGiveTheSameFact) {
  ComplaintFact ordered;
  for (const Event& event : History()) {
    ApplyEvent(event, ordered);
  }
  std::mt19937 random(11);
  for (int round = 0; round < 50; ++round) {
    std::vector<Event> shuffled = History();
    shuffled.push_back(shuffled[random() % shuffled.size()]);  // Redelivered.
    std::shuffle(shuffled.begin(), shuffled.end(), random);
    ComplaintFact fact;
    for (const Event& event : shuffled) {
      ApplyEvent(event, fact);
    }
    EXPECT_EQ(fact, ordered);
  }
  EXPECT_EQ(ordered.dimensions.category, "eclairage");  // Routing wins over the hint.
  EXPECT_EQ(ordered.dimensions.department_code, "69");
}

TEST(AnalyticsFactTest, TimeWaitingOnTheCitizenIsNotTheAdministrations) {
  ComplaintFact fact;
  for (const Event& event : History()) {
    ApplyEvent(event, fact);
  }
  // 30 h to the first response, of which 24 h waiting on the citizen.
  EXPECT_EQ(AdministrationTime(fact, fact.slots[kFirstResponseTime]), absl::Hours(6));
  const Contribution contribution = ContributionOf(fact, absl::UTCTimeZone());
  const int64_t day = DayNumber(kMonday, absl::UTCTimeZone());
  const Cells& cohort = contribution.cells.at({Basis::kReceiveDay, day});
  EXPECT_EQ(CellValue(cohort, kReceived), 1);
  EXPECT_EQ(CellValue(cohort, kResolved), 1);
  EXPECT_EQ(CellValue(cohort, HistogramCell(Histogram::kFirstResponse, BucketOf(absl::Hours(6)))),
            1);
  EXPECT_EQ(CellValue(cohort, HistogramCell(Histogram::kCitizenWait, BucketOf(absl::Hours(24)))),
            1);
  EXPECT_EQ(CellValue(cohort, kScore1 + 3), 1);
  // Closed: not in today's backlog; received and left on the event-day basis and as backlog
  // steps (day-packed in the month's row).
  EXPECT_FALSE(contribution.cells.contains({Basis::kOpenNow, MonthStart(day)}));
  EXPECT_EQ(CellValue(contribution.cells.at({Basis::kEventDay, day}), kOpen), 1);
  EXPECT_EQ(CellValue(contribution.cells.at({Basis::kEventDay, day + 2}), kOpen), -1);
  const Cells& steps = contribution.cells.at({Basis::kBacklogSteps, MonthStart(day)});
  EXPECT_EQ(CellValue(steps, DayPackedCell(day - MonthStart(day), 0)), 1);
  EXPECT_EQ(CellValue(steps, DayPackedCell(day + 2 - MonthStart(day), 0)), -1);
  EXPECT_EQ(contribution.terms.at({day, "lampadaire"}), 1);
}

TEST(AnalyticsFactTest, EventsBeforeReceiptWaitInTheFactWithoutCounting) {
  ComplaintFact fact;
  ApplyEvent(Responded(absl::Hours(3)), fact);
  EXPECT_TRUE(ContributionOf(fact, absl::UTCTimeZone()).cells.empty());
  ApplyEvent(Received(), fact);
  const Contribution contribution = ContributionOf(fact, absl::UTCTimeZone());
  EXPECT_EQ(CellValue(contribution.cells.at(
                          {Basis::kReceiveDay, DayNumber(kMonday, absl::UTCTimeZone())}),
                      kResponded),
            1);
}

TEST(AnalyticsFactTest, ReopenedAfterClosingIsOpenAgain) {
  ComplaintFact fact;
  ApplyEvent(Received(), fact);
  ApplyEvent(
      Transition(absl::Hours(5), type::v1::CASE_STATE_RESPONDED, type::v1::CASE_STATE_CLOSED),
      fact);
  ApplyEvent(Transition(absl::Hours(9), type::v1::CASE_STATE_CLOSED, type::v1::CASE_STATE_REOPENED),
             fact);
  const int64_t day = DayNumber(kMonday, absl::UTCTimeZone());
  const Contribution contribution = ContributionOf(fact, absl::UTCTimeZone());
  const Cells& open = contribution.cells.at({Basis::kOpenNow, MonthStart(day)});
  EXPECT_EQ(CellValue(open, DayPackedCell(day - MonthStart(day), 0)), 1);  // Open.
  EXPECT_EQ(CellValue(open, DayPackedCell(day - MonthStart(day), 1)), 0);  // Resolved (closed).
}

}  // namespace
}  // namespace doleances::analytics
