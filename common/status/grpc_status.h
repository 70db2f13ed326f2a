#pragma once

#include <absl/status/status.h>
#include <grpcpp/support/status.h>

#include <string>
#include <vector>

namespace doleances::common {

// One invalid field of a request, in the shape of google.rpc.BadRequest.FieldViolation.
struct FieldViolation {
  std::string field;        // Path in the request, e.g. "complaint.territory.commune_code".
  std::string description;  // What is wrong, safe to show the caller.
};

// Converts absl::Status to grpc::Status. The codes are identical by definition (both are
// google.rpc.Code); the message passes through unchanged, so it must never hold internal details.
grpc::Status ToGrpcStatus(const absl::Status& status);

// INVALID_ARGUMENT whose message names every offending field ("field: description; ...").
// The violations are also attached as a payload so ToGrpcStatus can return them as details.
absl::Status InvalidArguments(const std::vector<FieldViolation>& violations);

// The violations attached by InvalidArguments, or none.
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

}  // namespace doleances::common
