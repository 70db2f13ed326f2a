#include "common/status/grpc_status.h"

#include <absl/strings/cord.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_join.h>
#include <absl/strings/str_split.h>

namespace doleances::common {
namespace {

// Payload key under which field violations travel inside an absl::Status.
constexpr char kViolationsPayload[] = "type.doleances/field_violations";

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) {
    return grpc::Status::OK;
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

absl::Status InvalidArguments(const std::vector<FieldViolation>& violations) {
  std::vector<std::string> parts;
  std::string encoded;
  for (const FieldViolation& violation : violations) {
    parts.push_back(absl::StrCat(violation.field, ": ", violation.description));
    // Field paths and descriptions never contain a NUL or a newline (we write them).
    absl::StrAppend(&encoded, violation.field, std::string(1, '\0'), violation.description, "\n");
  }
  absl::Status status = absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
  status.SetPayload(kViolationsPayload, absl::Cord(encoded));
  return status;
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> violations;
  auto payload = status.GetPayload(kViolationsPayload);
  if (!payload.has_value()) {
    return violations;
  }
  for (absl::string_view line : absl::StrSplit(std::string(*payload), '\n', absl::SkipEmpty())) {
    std::vector<std::string> field_and_description = absl::StrSplit(line, '\0');
    if (field_and_description.size() == 2) {
      violations.push_back({field_and_description[0], field_and_description[1]});
    }
  }
  return violations;
}

}  // namespace doleances::common
