#include "common/status/grpc_status.h"

#include "common/status/status_macros.h"
#include "doleances/type/v1/errors.pb.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace doleances::common {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

TEST(GrpcStatusTest, OkBecomesGrpcOk) { EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok()); }

TEST(GrpcStatusTest, CodeAndMessagePassThrough) {
  grpc::Status status = ToGrpcStatus(absl::AbortedError("version 3 is stale"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(status.error_message(), "version 3 is stale");
}

TEST(GrpcStatusTest, InvalidArgumentsNamesEveryFieldInMessageAndPayload) {
  absl::Status status = InvalidArguments({{"complaint.subject", "is required"},
                                          {"complaint.territory.commune_code", "must be 5 chars"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("complaint.subject: is required"));
  EXPECT_THAT(status.message(), HasSubstr("complaint.territory.commune_code"));
  EXPECT_THAT(FieldViolationsOf(status),
              ElementsAre(Field(&FieldViolation::field, "complaint.subject"),
                          Field(&FieldViolation::field, "complaint.territory.commune_code")));
}

TEST(GrpcStatusTest, DetailsTravelAsASerializedStatusWithBadRequest) {
  grpc::Status status = ToGrpcStatus(InvalidArguments({{"idempotency_key", "is required"}}));

  type::v1::Status rich;
  ASSERT_TRUE(rich.ParseFromString(status.error_details()));
  EXPECT_EQ(rich.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  ASSERT_EQ(rich.details_size(), 1);
  type::v1::BadRequest bad_request;
  ASSERT_TRUE(rich.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "idempotency_key");
}

TEST(GrpcStatusTest, StatusWithoutDetailsSendsNone) {
  EXPECT_TRUE(ToGrpcStatus(absl::NotFoundError("no such complaint")).error_details().empty());
}

absl::StatusOr<int> Half(int value) {
  if (value % 2 != 0) {
    return absl::InvalidArgumentError("value must be even");
  }
  return value / 2;
}

absl::StatusOr<int> Quarter(int value) {
  ASSIGN_OR_RETURN(int half, Half(value));
  ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

TEST(StatusMacrosTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().code(), absl::StatusCode::kInvalidArgument);
}

absl::Status CheckEven(int value) {
  RETURN_IF_ERROR(Half(value).status());
  return absl::OkStatus();
}

TEST(StatusMacrosTest, ReturnIfErrorReturnsEarly) {
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_FALSE(CheckEven(5).ok());
}

}  // namespace
}  // namespace doleances::common
