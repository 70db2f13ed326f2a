#include "common/auth/authorizer.h"

#include "common/auth/doleances_auth_migrations.h"
#include "common/db/migrations.h"
#include "common/testing/pg_test_database.h"
#include "common/testing/status_matchers.h"
#include "grpc/health/v1/health.grpc.pb.h"

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace doleances::auth {
namespace {

using ::doleances::testing::IsOk;
using ::doleances::testing::StatusIs;
using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;

// A real gRPC service whose one RPC is guarded like every Doléances handler, so the test goes
// through real metadata on a real port.
class GuardedService : public Health::Service {
 public:
  explicit GuardedService(Authorizer& authorizer) : authorizer_(authorizer) {}

  grpc::Status Check(grpc::ServerContext* context, const HealthCheckRequest* request,
                     HealthCheckResponse* response) override {
    absl::StatusOr<Caller> caller = authorizer_.Authorize(*context, request->service());
    if (!caller.ok()) {
      return grpc::Status(static_cast<grpc::StatusCode>(caller.status().code()),
                          std::string(caller.status().message()));
    }
    response->set_status(caller->anonymous_tracking_code_caller() ? HealthCheckResponse::NOT_SERVING
                                                                  : HealthCheckResponse::SERVING);
    return grpc::Status::OK;
  }

 private:
  Authorizer& authorizer_;
};

const PermissionTable& TestPermissions() {
  static const auto* const table = new PermissionTable{
      {"AdminOnly", {.roles = {Role::kAdmin}}},
      {"AgentsOrSupervisors", {.roles = {Role::kAgent, Role::kSupervisor}}},
      {"Track", {.roles = {Role::kAgent}, .tracking_code_callers = true}},
  };
  return *table;
}

class AuthorizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(pool_, nullptr);
    ASSERT_THAT(db::ApplyMigrations(*pool_, AuthMigrations()), IsOk());
    ASSERT_THAT(store_.UpsertPrincipal({"agent-1", {Role::kAgent}, {"mairie-lyon"}}, std::nullopt),
                IsOk());
    absl::StatusOr<ApiKey> key = store_.IssueApiKey("agent-1", std::nullopt);
    ASSERT_THAT(key, IsOk());
    agent_key_ = "Bearer " + FormatApiKey(*key);
    StartServer({});
  }

  void StartServer(AuthOptions options) {
    if (server_ != nullptr) {
      server_->Shutdown();
    }
    authorizer_ = std::make_unique<Authorizer>(store_, TestPermissions(), options);
    service_ = std::make_unique<GuardedService>(*authorizer_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    stub_ = Health::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                                grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_ != nullptr) {
      server_->Shutdown();
    }
  }

  grpc::Status Call(const std::string& method, const std::string& header = "",
                    const std::string& value = "", HealthCheckResponse* response = nullptr) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    if (!header.empty()) {
      context.AddMetadata(header, value);
    }
    HealthCheckRequest request;
    request.set_service(method);
    HealthCheckResponse ignored;
    return stub_->Check(&context, request, response != nullptr ? response : &ignored);
  }

  testing::PgTestDatabase database_;
  std::unique_ptr<db::ConnectionPool> pool_ =
      database_.MakePool({.prepare_hooks = {&PrincipalStore::PrepareStatements}});
  PrincipalStore store_{*pool_};
  std::string agent_key_;
  std::unique_ptr<Authorizer> authorizer_;
  std::unique_ptr<GuardedService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<Health::Stub> stub_;
};

TEST_F(AuthorizerTest, ValidKeyWithTheRoleIsAllowed) {
  EXPECT_TRUE(Call("AgentsOrSupervisors", "authorization", agent_key_).ok());
}

TEST_F(AuthorizerTest, ValidKeyWithoutTheRoleIsPermissionDenied) {
  EXPECT_EQ(Call("AdminOnly", "authorization", agent_key_).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AuthorizerTest, NoCredentialsIsUnauthenticated) {
  EXPECT_EQ(Call("AgentsOrSupervisors").error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthorizerTest, WrongSecretIsUnauthenticated) {
  EXPECT_EQ(Call("AgentsOrSupervisors", "authorization", agent_key_ + "x").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthorizerTest, MalformedHeaderIsUnauthenticated) {
  EXPECT_EQ(Call("AgentsOrSupervisors", "authorization", "Basic abc").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthorizerTest, RevokedKeyIsRefusedOnceTheCacheExpires) {
  StartServer({.key_cache_ttl = absl::ZeroDuration()});
  ASSERT_TRUE(Call("AgentsOrSupervisors", "authorization", agent_key_).ok());
  const std::string key_id = ParseBearerApiKey(agent_key_)->key_id;
  ASSERT_THAT(store_.RevokeApiKey(key_id), IsOk());

  EXPECT_EQ(Call("AgentsOrSupervisors", "authorization", agent_key_).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthorizerTest, ExpiredKeyIsUnauthenticated) {
  absl::StatusOr<ApiKey> expired = store_.IssueApiKey("agent-1", absl::Seconds(-1));
  ASSERT_THAT(expired, IsOk());
  EXPECT_EQ(
      Call("AgentsOrSupervisors", "authorization", "Bearer " + FormatApiKey(*expired)).error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthorizerTest, MethodWithoutRuleIsDeniedToEveryone) {
  EXPECT_EQ(Call("Unlisted", "authorization", agent_key_).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AuthorizerTest, TrackingCodeMethodAdmitsAnonymousCallers) {
  HealthCheckResponse response;
  ASSERT_TRUE(Call("Track", "", "", &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);  // anonymous
}

TEST_F(AuthorizerTest, DevHeaderIsIgnoredUnlessSwitchedOn) {
  const std::string dev = "id=dev;roles=admin;administrations=*";
  EXPECT_EQ(Call("AdminOnly", kDevPrincipalHeader, dev).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  StartServer({.dev_trust_header = true});
  EXPECT_TRUE(Call("AdminOnly", kDevPrincipalHeader, dev).ok());
}

TEST_F(AuthorizerTest, UnknownPrincipalCannotGetAKey) {
  EXPECT_THAT(store_.IssueApiKey("nobody", std::nullopt), StatusIs(absl::StatusCode::kNotFound));
}

TEST(DevPrincipalTest, ParsesRolesAndAdministrations) {
  absl::StatusOr<Principal> principal =
      ParseDevPrincipal("id=a1;roles=agent,supervisor;administrations=x,y");
  ASSERT_THAT(principal, IsOk());
  EXPECT_TRUE(principal->HasRole(Role::kSupervisor));
  EXPECT_TRUE(principal->MayAccessAdministration("y"));
  EXPECT_FALSE(principal->MayAccessAdministration("z"));
}

TEST(DevPrincipalTest, RejectsUnknownRole) {
  EXPECT_THAT(ParseDevPrincipal("id=a1;roles=king"), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace doleances::auth
