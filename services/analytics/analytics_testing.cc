#include "services/analytics/analytics_testing.h"

#include "common/auth/doleances_auth_migrations.h"
#include "common/db/migrations.h"
#include "common/db/transaction.h"
#include "common/events/doleances_events_migrations.h"
#include "common/testing/status_matchers.h"
#include "common/util/proto_time.h"
#include "common/util/uuid.h"
#include "services/analytics/analytics_permissions.h"
#include "services/analytics/doleances_analytics_migrations.h"
#include "services/analytics/kpi_query.h"

#include <absl/time/clock.h>
#include <gmock/gmock.h>

namespace doleances::analytics::testing {

using ::doleances::testing::IsOk;
using events::v1::Event;

Event EventFactory::Base(const std::string& complaint_id, absl::Time at) const {
  Event event;
  event.set_event_id(util::NewUuid());
  event.set_complaint_id(complaint_id);
  event.set_administration_id(administration_id_);
  event.set_source(events::v1::EVENT_SOURCE_WORKFLOW);
  *event.mutable_occur_time() = util::ToTimestamp(at);
  return event;
}

Event EventFactory::Received(const std::string& complaint_id, absl::Time at,
                             const std::string& category, const std::string& department_code,
                             type::v1::ComplaintKind kind, type::v1::Channel channel) const {
  Event event = Base(complaint_id, at);
  event.set_source(events::v1::EVENT_SOURCE_INTAKE);
  auto* received = event.mutable_complaint_received();
  received->set_kind(kind);
  received->set_channel(channel);
  received->set_category_hint(category);
  received->set_priority(type::v1::PRIORITY_NORMAL);
  received->mutable_territory()->set_department_code(department_code);
  received->mutable_territory()->set_region_code("84");
  *received->mutable_receive_time() = util::ToTimestamp(at);
  return event;
}

Event EventFactory::Routed(const std::string& complaint_id, absl::Time at,
                           const std::string& category, const std::string& department_id,
                           std::vector<std::string> keywords) const {
  Event event = Base(complaint_id, at);
  auto* routed = event.mutable_complaint_routed();
  routed->set_category(category);
  routed->set_department_id(department_id);
  routed->set_priority(type::v1::PRIORITY_NORMAL);
  for (std::string& keyword : keywords) {
    routed->add_matched_keywords(std::move(keyword));
  }
  return event;
}

Event EventFactory::Transitioned(const std::string& complaint_id, absl::Time at,
                                 type::v1::CaseState from, type::v1::CaseState to) const {
  Event event = Base(complaint_id, at);
  event.mutable_case_transitioned()->set_from_state(from);
  event.mutable_case_transitioned()->set_to_state(to);
  return event;
}

Event EventFactory::Responded(const std::string& complaint_id, absl::Time at) const {
  Event event = Base(complaint_id, at);
  event.mutable_complaint_responded()->set_response_id(util::NewUuid());
  return event;
}

Event EventFactory::ClockStopped(const std::string& complaint_id, absl::Time at,
                                 type::v1::ClockKind clock, type::v1::ClockState state) const {
  Event event = Base(complaint_id, at);
  event.mutable_clock_stopped()->set_clock(clock);
  event.mutable_clock_stopped()->set_state(state);
  *event.mutable_clock_stopped()->mutable_stop_time() = util::ToTimestamp(at);
  return event;
}

Event EventFactory::Breached(const std::string& complaint_id, absl::Time due,
                             type::v1::ClockKind clock) const {
  Event event = Base(complaint_id, due);
  event.mutable_deadline_breached()->set_clock(clock);
  *event.mutable_deadline_breached()->mutable_due_time() = util::ToTimestamp(due);
  return event;
}

Event EventFactory::Feedback(const std::string& complaint_id, absl::Time at, int satisfaction,
                             bool problem_solved) const {
  Event event = Base(complaint_id, at);
  event.set_source(events::v1::EVENT_SOURCE_INTAKE);
  event.mutable_feedback_received()->set_satisfaction(satisfaction);
  event.mutable_feedback_received()->set_problem_solved(problem_solved);
  return event;
}

Event EventFactory::Withdrawn(const std::string& complaint_id, absl::Time at) const {
  Event event = Base(complaint_id, at);
  event.set_source(events::v1::EVENT_SOURCE_INTAKE);
  event.mutable_complaint_withdrawn();
  return event;
}

Event EventFactory::Escalated(const std::string& complaint_id, absl::Time at) const {
  Event event = Base(complaint_id, at);
  event.mutable_case_escalated()->set_escalation_level(1);
  return event;
}

Event EventFactory::MediationOpened(const std::string& complaint_id, absl::Time at) const {
  Event event = Base(complaint_id, at);
  event.set_source(events::v1::EVENT_SOURCE_MEDIATION);
  event.mutable_mediation_opened()->set_mediation_id(util::NewUuid());
  return event;
}

Event EventFactory::MediationClosed(const std::string& complaint_id, absl::Time at) const {
  Event event = Base(complaint_id, at);
  event.set_source(events::v1::EVENT_SOURCE_MEDIATION);
  event.mutable_mediation_closed()->set_outcome(type::v1::MEDIATION_OUTCOME_AGREEMENT);
  return event;
}

void AnalyticsTestEnvironment::SetUp() {
  ASSERT_TRUE(absl::LoadTimeZone(kAggregateTimeZone, &paris_));
  now_ = absl::FromCivil(absl::CivilSecond(2026, 4, 15, 12, 0, 0), paris_);
  pool_ = database_.MakePool({.prepare_hooks = {&events::EventLog::PrepareStatements,
                                                &events::EventConsumer::PrepareStatements,
                                                &auth::PrincipalStore::PrepareStatements,
                                                &PgAnalyticsStore::PrepareStatements}});
  ASSERT_NE(pool_, nullptr);
  for (const db::MigrationSet* set :
       {&events::EventsMigrations(), &auth::AuthMigrations(), &AnalyticsMigrations()}) {
    ASSERT_THAT(db::ApplyMigrations(*pool_, *set), IsOk());
  }
  principals_ = std::make_unique<auth::PrincipalStore>(*pool_);
  authorizer_ =
      std::make_unique<auth::Authorizer>(*principals_, AnalyticsPermissions(), auth::AuthOptions{});
  store_ = std::make_unique<PgAnalyticsStore>(*pool_);
  handler_ = std::make_unique<AnalyticsEventHandler>(nullptr, paris_);
  consumer_ = std::make_unique<events::EventConsumer>(
      *pool_, handler_->ConsumerOptions(),
      [this](pqxx::work& tx, const events::StoredEvent& event) {
        return handler_->Apply(tx, event);
      });
  ASSERT_THAT(consumer_->Register(), IsOk());
  service_ = std::make_unique<AnalyticsServiceImpl>(
      *authorizer_, *store_, 5, [this] { return now_; }, [this] { return now_; });
  server_ = std::make_unique<::doleances::testing::LocalGrpcServer>(service_.get());
  stub_ = v1::AnalyticsService::NewStub(server_->channel());
  analyst_key_ = MakeKey("analyst", {auth::Role::kAnalyst}, {kLyon, kParis});
}

void AnalyticsTestEnvironment::Publish(const std::vector<Event>& events) {
  ASSERT_THAT(
      db::RunInTransaction(*pool_, "publish",
                           [&](pqxx::work& tx) -> absl::Status {
                             for (const Event& event : events) {
                               const absl::Status appended = events::EventLog::Append(
                                   tx, {event.complaint_id(), "Event", event.SerializeAsString()});
                               if (!appended.ok()) {
                                 return appended;
                               }
                             }
                             return absl::OkStatus();
                           }),
      IsOk());
}

void AnalyticsTestEnvironment::Drain() {
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (consumer_->MeasureLag()->pending_events > 0 && absl::Now() < deadline) {
    ASSERT_THAT(consumer_->PollOnce(), IsOk());
  }
  ASSERT_EQ(consumer_->MeasureLag()->pending_events, 0);
}

std::string AnalyticsTestEnvironment::MakeKey(const std::string& id, std::vector<auth::Role> roles,
                                              std::vector<std::string> administrations) {
  return ::doleances::testing::IssueTestKey(*principals_, id, std::move(roles),
                                            std::move(administrations));
}

std::unique_ptr<grpc::ClientContext> AnalyticsTestEnvironment::Context(const std::string& key) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  if (!key.empty()) {
    context->AddMetadata("authorization", "Bearer " + key);
  }
  return context;
}

}  // namespace doleances::analytics::testing
