// The test fixture shared by intake's service tests: IntakeService over a real gRPC port and a
// fresh PostgreSQL database.
#pragma once

#include "common/auth/authorizer.h"
#include "common/auth/principal_store.h"
#include "common/events/commit_notifier.h"
#include "common/events/event_consumer.h"
#include "common/events/event_log.h"
#include "common/testing/grpc_testing.h"
#include "common/testing/pg_test_database.h"
#include "doleances/intake/v1/intake_service.grpc.pb.h"
#include "services/intake/change_hub.h"
#include "services/intake/group_committer.h"
#include "services/intake/intake_metrics.h"
#include "services/intake/intake_permissions.h"
#include "services/intake/intake_service.h"
#include "services/intake/pg_complaint_store.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace doleances::intake {

inline constexpr char kLyon[] = "6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b";
inline constexpr char kParis[] = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";

// A complete, valid submission to Lyon under idempotency key `key`.
v1::SubmitComplaintRequest ValidRequest(const std::string& key);

class IntakeServiceTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // (Re)starts the committer, the service and its server with `options`.
  void StartService(GroupCommitOptions options);

  std::string MakeKey(const std::string& id, std::vector<auth::Role> roles,
                      std::vector<std::string> administrations);
  std::unique_ptr<grpc::ClientContext> Context(const std::string& key);
  grpc::Status Submit(const v1::SubmitComplaintRequest& request,
                      v1::SubmitComplaintResponse* response, const std::string& key = "");
  // The single number `sql` selects.
  int64_t Count(const std::string& sql);

  testing::PgTestDatabase database_;
  std::unique_ptr<db::ConnectionPool> pool_ = database_.MakePool(
      {.size = 12,
       .prepare_hooks = {
           &events::EventLog::PrepareStatements, &events::EventConsumer::PrepareStatements,
           &auth::PrincipalStore::PrepareStatements, &PgComplaintStore::PrepareStatements}});
  auth::PrincipalStore principals_{*pool_};
  auth::Authorizer authorizer_{principals_, IntakePermissions(), {}};
  PgComplaintStore store_{*pool_};
  events::CommitNotifier notifier_{*pool_};
  prometheus::Registry registry_;
  IntakeMetrics metrics_{registry_};
  std::unique_ptr<calendar::BusinessCalendar> calendar_;
  ChangeHub changes_;
  // Declared before the service and server, so destroyed after them: calls waiting for a batch
  // are answered before it stops.
  std::unique_ptr<GroupCommitter> committer_;
  std::unique_ptr<IntakeServiceImpl> service_;
  std::unique_ptr<testing::LocalGrpcServer> server_;
  std::unique_ptr<v1::IntakeService::Stub> stub_;
  std::string lyon_portal_key_;
  std::string other_portal_key_;
  std::string agent_paris_key_;
};

}  // namespace doleances::intake
