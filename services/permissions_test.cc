// Every RPC of every service has a permission rule: an RPC cannot ship without someone deciding
// who may call it (the authorizer denies methods without a rule, so this also keeps them usable).
#include "doleances/analytics/v1/analytics_service.grpc.pb.h"
#include "doleances/intake/v1/intake_service.grpc.pb.h"
#include "doleances/mediation/v1/mediation_service.grpc.pb.h"
#include "doleances/workflow/v1/workflow_service.grpc.pb.h"
#include "services/analytics/analytics_permissions.h"
#include "services/intake/intake_permissions.h"
#include "services/mediation/mediation_permissions.h"
#include "services/workflow/workflow_permissions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace doleances {
namespace {

using ::testing::IsEmpty;

TEST(PermissionsTest, EveryIntakeRpcHasARule) {
  EXPECT_THAT(intake::IntakePermissions().MethodsWithoutRule(
                  *intake::v1::SubmitComplaintRequest::descriptor()->file()->FindServiceByName(
                      "IntakeService")),
              IsEmpty());
}

TEST(PermissionsTest, EveryWorkflowRpcHasARule) {
  EXPECT_THAT(workflow::WorkflowPermissions().MethodsWithoutRule(
                  *workflow::v1::GetCaseRequest::descriptor()->file()->FindServiceByName(
                      "WorkflowService")),
              IsEmpty());
}

TEST(PermissionsTest, EveryMediationRpcHasARule) {
  EXPECT_THAT(mediation::MediationPermissions().MethodsWithoutRule(
                  *mediation::v1::OpenMediationRequest::descriptor()->file()->FindServiceByName(
                      "MediationService")),
              IsEmpty());
}

TEST(PermissionsTest, EveryAnalyticsRpcHasARule) {
  EXPECT_THAT(analytics::AnalyticsPermissions().MethodsWithoutRule(
                  *analytics::v1::GetKpisRequest::descriptor()->file()->FindServiceByName(
                      "AnalyticsService")),
              IsEmpty());
}

}  // namespace
}  // namespace doleances
