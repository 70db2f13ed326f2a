#pragma once

#include <absl/status/status.h>
#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include <string>
#include <vector>

namespace doleances::common {

// One invalid field of a request (doleances.type.v1.FieldViolation).
struct FieldViolation {
  std::string field;        // Path in the request, e.g. "complaint.territory.commune_code".
  std::string description;  // What is wrong, safe to show the caller.
};

// Attaches a detail message (BadRequest, PreconditionFailure, ErrorInfo of doleances.type.v1) to
// `status`; ToGrpcStatus sends it to the caller in the grpc-status-details-bin trailer.
absl::Status WithDetail(absl::Status status, const google::protobuf::Message& detail);

// Converts absl::Status to grpc::Status. The codes are identical by definition (both are
// google.rpc.Code); the message passes through unchanged, so it must never hold internal details.
// Attached details travel as a serialized doleances.type.v1.Status (wire-compatible with
// google.rpc.Status).
grpc::Status ToGrpcStatus(const absl::Status& status);

// INVALID_ARGUMENT whose message names every offending field ("field: description; ...") and
// whose details hold a doleances.type.v1.BadRequest with the same violations.
absl::Status InvalidArguments(const std::vector<FieldViolation>& violations);

// The violations of the BadRequest attached to `status`, or none.
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

}  // namespace doleances::common
