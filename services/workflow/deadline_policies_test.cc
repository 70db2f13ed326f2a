// Which policy a clock runs on, and what a policy may say.
#include "services/workflow/deadline_policies.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace doleances::workflow {
namespace {

using ::testing::Field;
using ::testing::UnorderedElementsAre;

v1::DeadlinePolicy Policy(const std::string& id, int kind, const std::string& category,
                          int priority, int amount = 10) {
  v1::DeadlinePolicy policy;
  policy.set_policy_id(id);
  policy.set_administration_id("admin");
  policy.set_clock(type::v1::CLOCK_KIND_RESOLUTION);
  policy.set_kind(static_cast<type::v1::ComplaintKind>(kind));
  policy.set_category(category);
  policy.set_priority(static_cast<type::v1::Priority>(priority));
  policy.mutable_spec()->set_amount(amount);
  policy.mutable_spec()->set_unit(type::v1::DEADLINE_UNIT_BUSINESS_DAYS);
  return policy;
}

constexpr int kReclamation = type::v1::COMPLAINT_KIND_RECLAMATION;
constexpr int kUrgent = type::v1::PRIORITY_URGENT;

TEST(ResolvePolicyTest, CategoryOutweighsKindWhichOutweighsPriority) {
  const std::vector<v1::DeadlinePolicy> policies = {
      Policy("any", 0, "", 0), Policy("urgent", 0, "", kUrgent),
      Policy("reclamation", kReclamation, "", 0), Policy("voirie", 0, "voirie", 0),
      Policy("voirie-urgent", 0, "voirie", kUrgent)};
  const auto resolve = [&](int kind, const std::string& category, int priority) {
    return ResolvePolicy(policies, type::v1::CLOCK_KIND_RESOLUTION, {kind, category, priority})
        ->policy_id;
  };
  EXPECT_EQ(resolve(kReclamation, "voirie", kUrgent), "voirie-urgent");
  EXPECT_EQ(resolve(kReclamation, "voirie", type::v1::PRIORITY_NORMAL), "voirie");
  EXPECT_EQ(resolve(kReclamation, "eclairage", kUrgent), "reclamation");
  EXPECT_EQ(resolve(type::v1::COMPLAINT_KIND_SIGNALEMENT, "eclairage", kUrgent), "urgent");
  EXPECT_EQ(resolve(type::v1::COMPLAINT_KIND_SIGNALEMENT, "eclairage", 0), "any");
}

TEST(ResolvePolicyTest, WithoutPolicyOnlyTheLawSetsAClock) {
  const PolicyMatchInput recours{type::v1::COMPLAINT_KIND_RECOURS_HIERARCHIQUE, "", 0};
  EXPECT_FALSE(ResolvePolicy({}, type::v1::CLOCK_KIND_RESOLUTION, recours).has_value());
  const std::optional<ResolvedPolicy> silence =
      ResolvePolicy({}, type::v1::CLOCK_KIND_STATUTORY_REPLY, recours);
  ASSERT_TRUE(silence.has_value());
  EXPECT_EQ(silence->spec.unit(), type::v1::DEADLINE_UNIT_CALENDAR_MONTHS);
  EXPECT_FALSE(silence->spec.carry_to_next_business_day());
  EXPECT_FALSE(
      ResolvePolicy({}, type::v1::CLOCK_KIND_STATUTORY_REPLY, {kReclamation, "", 0}).has_value());
}

TEST(ResolvePolicyTest, AmountZeroSwitchesTheClockOff) {
  v1::DeadlinePolicy off = Policy("off", 0, "", 0, 0);
  off.set_clock(type::v1::CLOCK_KIND_ACKNOWLEDGEMENT);
  EXPECT_FALSE(ResolvePolicy({off}, type::v1::CLOCK_KIND_ACKNOWLEDGEMENT, {kReclamation, "", 0})
                   .has_value());
  EXPECT_TRUE(
      ResolvePolicy({}, type::v1::CLOCK_KIND_ACKNOWLEDGEMENT, {kReclamation, "", 0}).has_value());
}

TEST(ToCalendarPolicyTest, CitizensDeadlinesCarryToTheNextBusinessDayByDefault) {
  type::v1::DeadlineSpec spec;
  spec.set_amount(2);
  spec.set_unit(type::v1::DEADLINE_UNIT_CALENDAR_MONTHS);
  EXPECT_TRUE(
      ToCalendarPolicy(spec, type::v1::CLOCK_KIND_APPEAL_WINDOW).carry_to_next_business_day);
  EXPECT_FALSE(
      ToCalendarPolicy(spec, type::v1::CLOCK_KIND_STATUTORY_REPLY).carry_to_next_business_day);
  spec.set_carry_to_next_business_day(true);
  EXPECT_TRUE(
      ToCalendarPolicy(spec, type::v1::CLOCK_KIND_STATUTORY_REPLY).carry_to_next_business_day);
}

TEST(ValidateDeadlinePolicyTest, NamesEveryBadField) {
  v1::DeadlinePolicy policy;
  policy.mutable_spec()->set_amount(1001);
  policy.set_warning_percent(100);
  EXPECT_THAT(
      ValidateDeadlinePolicy(policy, "policy."),
      UnorderedElementsAre(Field(&common::FieldViolation::field, "policy.administration_id"),
                           Field(&common::FieldViolation::field, "policy.clock"),
                           Field(&common::FieldViolation::field, "policy.spec.amount"),
                           Field(&common::FieldViolation::field, "policy.spec.unit"),
                           Field(&common::FieldViolation::field, "policy.warning_percent")));
  EXPECT_TRUE(ValidateDeadlinePolicy(Policy("ok", 0, "", 0), "policy.").empty());
}

}  // namespace
}  // namespace doleances::workflow
