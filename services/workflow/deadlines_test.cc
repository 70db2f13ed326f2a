// Case clocks over real PostgreSQL and gRPC: timers that fire once across restarts and replicas,
// policies and calendars managed by RPC, explanations recomputed on a corrected calendar.
#include "services/workflow/deadline_timer.h"
#include "services/workflow/workflow_gauges.h"
#include "services/workflow/workflow_metrics.h"
#include "services/workflow/workflow_testing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <thread>

namespace doleances::workflow {
namespace {

using ::doleances::testing::IsOk;
using ::testing::HasSubstr;
using namespace ::doleances::workflow::testing;

absl::Time Paris(int year, int month, int day, int hour, int minute = 0, int second = 0) {
  absl::TimeZone paris;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Paris", &paris));
  return paris.At(absl::CivilSecond(year, month, day, hour, minute, second)).pre;
}

class DeadlinesTest : public WorkflowTest {
 protected:
  v1::DeadlinePolicy ResolutionPolicy(int amount) {
    v1::DeadlinePolicy policy;
    policy.set_administration_id(kLyon);
    policy.set_clock(type::v1::CLOCK_KIND_RESOLUTION);
    policy.mutable_spec()->set_amount(amount);
    policy.mutable_spec()->set_unit(type::v1::DEADLINE_UNIT_BUSINESS_DAYS);
    return policy;
  }

  grpc::Status SetPolicy(const std::string& key, const v1::DeadlinePolicy& policy,
                         v1::SetDeadlinePolicyResponse* response) {
    v1::SetDeadlinePolicyRequest request;
    *request.mutable_policy() = policy;
    return stub_->SetDeadlinePolicy(Call(key).get(), request, response);
  }

  v1::ExplainDeadlinesResponse Explain(const std::string& case_id) {
    v1::ExplainDeadlinesRequest request;
    request.set_case_id(case_id);
    v1::ExplainDeadlinesResponse response;
    EXPECT_TRUE(stub_->ExplainDeadlines(Call(supervisor_key_).get(), request, &response).ok());
    return response;
  }
};

TEST_F(DeadlinesTest, BreachesDueWhileEveryReplicaWasDownFireOnceAcrossRacingReplicas) {
  v1::SetDeadlinePolicyResponse stored;
  ASSERT_TRUE(SetPolicy(admin_key_, ResolutionPolicy(2), &stored).ok());
  // Fifty complaints received three weeks ago, routed, their timers armed; nothing fired them.
  constexpr int kCases = 50;
  for (int i = 0; i < kCases; ++i) {
    Receive({.receive_time = absl::Now() - absl::Hours(24 * 21)});
  }
  Route();
  ASSERT_EQ(Count("SELECT count(*) FROM workflow.case_clocks WHERE next_fire_time < now()"),
            2 * kCases);

  // The service starts again as two replicas, whose timers race.
  DeadlineTimer first(*pool_, &absl::Now, /*batch_size=*/7);
  DeadlineTimer second(*pool_, &absl::Now, /*batch_size=*/7);
  absl::StatusOr<int> first_fired, second_fired;
  std::thread racer([&] { first_fired = first.FireAllDue(); });
  second_fired = second.FireAllDue();
  racer.join();
  ASSERT_THAT(first_fired, IsOk());
  ASSERT_THAT(second_fired, IsOk());

  // One breach per clock (acknowledgement and resolution), no stale warning, nothing left due.
  EXPECT_EQ(*first_fired + *second_fired, 2 * kCases);
  const std::vector<events::v1::Event> breaches = EventsOfType("DeadlineBreached");
  EXPECT_EQ(breaches.size(), 2u * kCases);
  EXPECT_EQ(EventsOfType("DeadlineWarning").size(), 0u);
  EXPECT_EQ(Count("SELECT count(DISTINCT (aggregate_id, payload)) FROM events.event_log WHERE"
                  " event_type = 'DeadlineBreached'"),
            2 * kCases);
  EXPECT_EQ(Count("SELECT count(*) FROM workflow.case_clocks WHERE next_fire_time IS NOT NULL"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM workflow.case_clocks WHERE state = 3"), 2 * kCases);
  EXPECT_EQ(breaches[0].deadline_breached().queue_id(), kRoadsQueue);
  EXPECT_EQ(breaches[0].deadline_breached().department_id(), kDepartment);

  // Restarting again fires nothing more.
  DeadlineTimer third(*pool_, &absl::Now);
  EXPECT_EQ(third.FireAllDue().value_or(-1), 0);
}

TEST_F(DeadlinesTest, BreachesAndOpenCasesAreExportedForPrometheus) {
  prometheus::Registry registry;
  WorkflowMetrics metrics(registry);
  WorkflowMetrics::Install(&metrics);
  v1::SetDeadlinePolicyResponse stored;
  ASSERT_TRUE(SetPolicy(admin_key_, ResolutionPolicy(2), &stored).ok());
  for (int i = 0; i < 3; ++i) {
    Receive({.receive_time = absl::Now() - absl::Hours(24 * 21)});
  }
  Route();
  DeadlineTimer timer(*pool_, &absl::Now);
  ASSERT_EQ(timer.FireAllDue().value_or(-1), 6);
  ASSERT_THAT(RefreshWorkflowGauges(*pool_, metrics), IsOk());
  WorkflowMetrics::Install(nullptr);

  const std::string text = prometheus::TextSerializer().Serialize(registry.Collect());
  // Labels come in alphabetical order.
  const std::string lyon = absl::StrCat("administration=\"", kLyon, "\",");
  const std::string department = absl::StrCat("department=\"", kDepartment, "\"");
  EXPECT_THAT(text, HasSubstr(absl::StrCat("doleances_workflow_deadline_breaches_total{", lyon,
                                           "clock=\"resolution\",", department, "} 3")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("doleances_workflow_cases_past_deadline{", lyon,
                                           "clock=\"acknowledgement\",", department, "} 3")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("doleances_workflow_open_cases{", lyon, department,
                                           ",state=\"routed\"} 3")));
  EXPECT_THAT(text, HasSubstr("doleances_workflow_time_to_route_seconds_count{"));
}

TEST_F(DeadlinesTest, ClockEventsCarryConsecutiveVersionsAfterTheCaseEvents) {
  const std::string complaint = Receive({.kind = type::v1::COMPLAINT_KIND_RECOURS_GRACIEUX});
  Route();
  const CaseRecord routed = *store_.GetByComplaint(complaint);
  // ComplaintRouted, then ClockStarted for the acknowledgement and the statutory silence.
  EXPECT_EQ(routed.event_version, 3);
  const std::vector<events::v1::Event> started = EventsOfType("ClockStarted");
  ASSERT_EQ(started.size(), 2u);
  EXPECT_EQ(started[0].aggregate_version(), 2);
  EXPECT_EQ(started[1].aggregate_version(), 3);
  EXPECT_EQ(started[1].record_id(), routed.case_id);
  EXPECT_EQ(routed.version, 1);  // Clocks do not make a caller's expected_version stale.
}

TEST_F(DeadlinesTest, AwaitingTheCitizenPausesTheStatutoryClockVisiblyInGetCase) {
  const std::string complaint = Receive({.kind = type::v1::COMPLAINT_KIND_RECOURS_GRACIEUX});
  Route();
  const CaseRecord routed = *store_.GetByComplaint(complaint);
  v1::TransitionCaseRequest request;
  request.set_case_id(routed.case_id);
  request.set_expected_version(routed.version);
  request.set_target_state(type::v1::CASE_STATE_AWAITING_CITIZEN);
  request.set_public_message("Merci de joindre la décision contestée.");
  v1::TransitionCaseResponse response;
  // AWAITING_CITIZEN is reached from IN_PROGRESS: walk the case there first.
  for (type::v1::CaseState step : {type::v1::CASE_STATE_ASSIGNED, type::v1::CASE_STATE_IN_PROGRESS,
                                   type::v1::CASE_STATE_AWAITING_CITIZEN}) {
    request.set_target_state(step);
    const grpc::Status status =
        stub_->TransitionCase(Call(supervisor_key_).get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    request.set_expected_version(response.case_file().version());
  }
  ASSERT_EQ(response.case_file().state(), type::v1::CASE_STATE_AWAITING_CITIZEN);
  bool statutory_paused = false;
  for (const type::v1::Deadline& deadline : response.case_file().deadlines()) {
    if (deadline.clock() == type::v1::CLOCK_KIND_STATUTORY_REPLY) {
      statutory_paused = deadline.state() == type::v1::CLOCK_STATE_PAUSED &&
                         deadline.pause_reason() == type::v1::PAUSE_REASON_AWAITING_CITIZEN &&
                         !deadline.has_due_time();
    }
  }
  EXPECT_TRUE(statutory_paused) << response.case_file().DebugString();
  EXPECT_EQ(EventsOfType("ClockPaused").size(), 1u);
}

TEST_F(DeadlinesTest, ACorrectedCalendarCorrectsTheExplainedDueDate) {
  // Received on Thursday 28 March 2024: Good Friday (29) is not a national holiday, Easter
  // Monday (1 April) is.
  const std::string complaint = Receive({.receive_time = Paris(2024, 3, 28, 10)});
  Route();
  const CaseRecord routed = *store_.GetByComplaint(complaint);
  v1::ExplainDeadlinesResponse before = Explain(routed.case_id);
  ASSERT_EQ(before.explanations_size(), 1);
  EXPECT_EQ(before.explanations(0).clock(), type::v1::CLOCK_KIND_ACKNOWLEDGEMENT);
  // 29 March, 2, 3, 4 and 5 April.
  EXPECT_EQ(FromTimestamp(before.explanations(0).due_time()), Paris(2024, 4, 5, 23, 59, 59));

  // Alsace-Moselle closes on Good Friday: the administration corrects its calendar.
  v1::SetCalendarRequest set;
  v1::Calendar* calendar = set.mutable_calendar();
  calendar->set_administration_id(kLyon);
  v1::RecurringClosedDay* good_friday = calendar->add_recurring_closed_days();
  good_friday->set_name("Vendredi saint");
  good_friday->set_easter_offset_days(-2);
  v1::SetCalendarResponse stored;
  ASSERT_TRUE(stub_->SetCalendar(Call(admin_key_).get(), set, &stored).ok());
  EXPECT_EQ(stored.calendar().version(), 1);

  v1::ExplainDeadlinesResponse after = Explain(routed.case_id);
  ASSERT_EQ(after.explanations_size(), 1);
  EXPECT_EQ(FromTimestamp(after.explanations(0).due_time()), Paris(2024, 4, 8, 23, 59, 59));
  bool good_friday_skipped = false;
  for (const type::v1::SkippedDay& day : after.explanations(0).skipped_days()) {
    good_friday_skipped |= day.date().month() == 3 && day.date().day() == 29 &&
                           day.reason() == type::v1::SKIP_REASON_CLOSED_DAY &&
                           day.label() == "Vendredi saint";
  }
  EXPECT_TRUE(good_friday_skipped) << after.DebugString();
  EXPECT_EQ(after.explanations(0).time_zone(), "Europe/Paris");
  EXPECT_FALSE(after.explanations(0).steps().empty());

  // A stale calendar version is refused; GetCalendar lists the year's closed days.
  EXPECT_EQ(stub_->SetCalendar(Call(admin_key_).get(), set, &stored).error_code(),
            grpc::StatusCode::ABORTED);
  v1::GetCalendarRequest get;
  get.set_administration_id(kLyon);
  get.set_year(2025);
  v1::GetCalendarResponse shown;
  ASSERT_TRUE(stub_->GetCalendar(Call(agent_key_).get(), get, &shown).ok());
  // 11 national holidays, less Toussaint on a Saturday, plus Good Friday (18 April).
  EXPECT_EQ(shown.non_business_days_size(), 11);
}

TEST_F(DeadlinesTest, PoliciesAreVersionedValidatedAndScopedToTheirAdministration) {
  v1::SetDeadlinePolicyResponse created;
  ASSERT_TRUE(SetPolicy(admin_key_, ResolutionPolicy(10), &created).ok());
  EXPECT_EQ(created.policy().version(), 1);
  EXPECT_FALSE(created.policy().policy_id().empty());

  v1::SetDeadlinePolicyResponse ignored;
  EXPECT_EQ(SetPolicy(admin_key_, ResolutionPolicy(12), &ignored).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  v1::DeadlinePolicy replacement = ResolutionPolicy(12);
  replacement.set_version(1);
  v1::SetDeadlinePolicyResponse replaced;
  ASSERT_TRUE(SetPolicy(admin_key_, replacement, &replaced).ok());
  EXPECT_EQ(replaced.policy().version(), 2);
  EXPECT_EQ(replaced.policy().policy_id(), created.policy().policy_id());
  EXPECT_EQ(SetPolicy(admin_key_, replacement, &ignored).error_code(), grpc::StatusCode::ABORTED);

  v1::DeadlinePolicy invalid = ResolutionPolicy(10);
  invalid.mutable_spec()->set_unit(type::v1::DEADLINE_UNIT_UNSPECIFIED);
  const grpc::Status refused = SetPolicy(admin_key_, invalid, &ignored);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(), HasSubstr("policy.spec.unit"));
  v1::DeadlinePolicy paris = ResolutionPolicy(10);
  paris.set_administration_id(kParis);
  EXPECT_EQ(SetPolicy(admin_key_, paris, &ignored).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(SetPolicy(agent_key_, ResolutionPolicy(3), &ignored).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::ListDeadlinePoliciesRequest list;
  list.set_administration_id(kLyon);
  v1::ListDeadlinePoliciesResponse listed;
  ASSERT_TRUE(stub_->ListDeadlinePolicies(Call(supervisor_key_).get(), list, &listed).ok());
  ASSERT_EQ(listed.policies_size(), 1);
  EXPECT_EQ(listed.policies(0).spec().amount(), 12);

  // A case routed now runs its resolution clock on the policy.
  const std::string complaint = Receive();
  Route();
  v1::GetCaseRequest get;
  get.set_case_id(store_.GetByComplaint(complaint)->case_id);
  v1::GetCaseResponse shown;
  ASSERT_TRUE(stub_->GetCase(Call(agent_key_).get(), get, &shown).ok());
  bool resolution_on_policy = false;
  for (const type::v1::Deadline& deadline : shown.case_file().deadlines()) {
    resolution_on_policy |= deadline.clock() == type::v1::CLOCK_KIND_RESOLUTION &&
                            deadline.policy_id() == created.policy().policy_id() &&
                            deadline.spec().amount() == 12;
  }
  EXPECT_TRUE(resolution_on_policy) << shown.DebugString();
  EXPECT_TRUE(shown.case_file().has_next_due_time());

  v1::DeleteDeadlinePolicyRequest remove;
  remove.set_policy_id(created.policy().policy_id());
  remove.set_expected_version(1);
  v1::DeleteDeadlinePolicyResponse removed;
  EXPECT_EQ(stub_->DeleteDeadlinePolicy(Call(admin_key_).get(), remove, &removed).error_code(),
            grpc::StatusCode::ABORTED);
  remove.set_expected_version(2);
  EXPECT_TRUE(stub_->DeleteDeadlinePolicy(Call(admin_key_).get(), remove, &removed).ok());
}

}  // namespace
}  // namespace doleances::workflow
