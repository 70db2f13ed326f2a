#include "services/intake/intake_service_fixture.h"

#include "common/auth/doleances_auth_migrations.h"
#include "common/db/migrations.h"
#include "common/db/transaction.h"
#include "common/events/doleances_events_migrations.h"
#include "common/testing/status_matchers.h"
#include "services/intake/doleances_intake_migrations.h"

#include <absl/time/clock.h>
#include <gmock/gmock.h>
#include <pqxx/pqxx>

namespace doleances::intake {

using ::doleances::testing::IsOk;

v1::SubmitComplaintRequest ValidRequest(const std::string& key) {
  v1::SubmitComplaintRequest request;
  request.set_idempotency_key(key);
  v1::Complaint* complaint = request.mutable_complaint();
  complaint->set_administration_id(kLyon);
  complaint->set_kind(type::v1::COMPLAINT_KIND_RECLAMATION);
  complaint->set_channel(type::v1::CHANNEL_API);
  complaint->set_subject("Lampadaire éteint rue Mercière");
  complaint->set_description("Le lampadaire devant le numéro 12 est éteint depuis trois semaines.");
  complaint->set_category_hint("voirie");
  complaint->mutable_territory()->set_commune_code("69123");
  complaint->mutable_territory()->set_department_code("69");
  complaint->mutable_citizen()->set_given_name("Camille");
  complaint->mutable_citizen()->set_family_name("Martin");
  complaint->mutable_citizen()->set_email("camille.martin@example.org");
  return request;
}

void IntakeServiceTest::SetUp() {
  ASSERT_NE(pool_, nullptr);
  for (const db::MigrationSet* set :
       {&events::EventsMigrations(), &auth::AuthMigrations(), &IntakeMigrations()}) {
    ASSERT_THAT(db::ApplyMigrations(*pool_, *set), IsOk());
  }
  lyon_portal_key_ = MakeKey("portal-lyon", {auth::Role::kSubmitter}, {kLyon});
  other_portal_key_ = MakeKey("portal-other", {auth::Role::kSubmitter}, {kLyon, kParis});
  agent_paris_key_ = MakeKey("agent-paris", {auth::Role::kAgent}, {kParis});
  absl::StatusOr<calendar::BusinessCalendar> calendar = calendar::BusinessCalendar::Create({});
  ASSERT_THAT(calendar, IsOk());
  calendar_ = std::make_unique<calendar::BusinessCalendar>(*calendar);
  StartService({});
}

void IntakeServiceTest::StartService(GroupCommitOptions options) {
  stub_.reset();
  server_.reset();
  service_.reset();
  committer_.reset();
  committer_ = std::make_unique<GroupCommitter>(store_, notifier_, metrics_, std::move(options));
  service_ = std::make_unique<IntakeServiceImpl>(authorizer_, store_, *committer_, notifier_,
                                                 metrics_, *calendar_, changes_, &absl::Now);
  server_ = std::make_unique<testing::LocalGrpcServer>(service_.get());
  stub_ = v1::IntakeService::NewStub(server_->channel());
}

std::string IntakeServiceTest::MakeKey(const std::string& id, std::vector<auth::Role> roles,
                                       std::vector<std::string> administrations) {
  return testing::IssueTestKey(principals_, id, std::move(roles), std::move(administrations));
}

std::unique_ptr<grpc::ClientContext> IntakeServiceTest::Context(const std::string& key) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!key.empty()) {
    context->AddMetadata("authorization", "Bearer " + key);
  }
  return context;
}

grpc::Status IntakeServiceTest::Submit(const v1::SubmitComplaintRequest& request,
                                       v1::SubmitComplaintResponse* response,
                                       const std::string& key) {
  return stub_->SubmitComplaint(Context(key.empty() ? lyon_portal_key_ : key).get(), request,
                                response);
}

int64_t IntakeServiceTest::Count(const std::string& sql) {
  absl::StatusOr<int64_t> count = db::RunInTransaction(*pool_, "count", [&](pqxx::work& tx) {
    return absl::StatusOr<int64_t>(tx.exec1(sql)[0].as<int64_t>());
  });
  EXPECT_THAT(count, IsOk());
  return count.value_or(-1);
}

}  // namespace doleances::intake
