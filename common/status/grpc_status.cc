#include "common/status/grpc_status.h"

#include "doleances/type/v1/errors.pb.h"

#include <absl/strings/cord.h>
#include <absl/strings/match.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_join.h>

namespace doleances::common {
namespace {

// Payload keys of attached details are their Any type URLs.
constexpr char kTypeUrlPrefix[] = "type.googleapis.com/";

std::string TypeUrl(const google::protobuf::Message& message) {
  return absl::StrCat(kTypeUrlPrefix, message.GetDescriptor()->full_name());
}

}  // namespace

absl::Status WithDetail(absl::Status status, const google::protobuf::Message& detail) {
  status.SetPayload(TypeUrl(detail), absl::Cord(detail.SerializeAsString()));
  return status;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) {
    return grpc::Status::OK;
  }
  const grpc::StatusCode code = static_cast<grpc::StatusCode>(status.code());
  type::v1::Status rich;
  status.ForEachPayload([&rich](absl::string_view type_url, const absl::Cord& payload) {
    if (absl::StartsWith(type_url, kTypeUrlPrefix)) {
      google::protobuf::Any* detail = rich.add_details();
      detail->set_type_url(std::string(type_url));
      detail->set_value(std::string(payload));
    }
  });
  if (rich.details().empty()) {
    return grpc::Status(code, std::string(status.message()));
  }
  rich.set_code(static_cast<int>(status.code()));
  rich.set_message(std::string(status.message()));
  return grpc::Status(code, std::string(status.message()), rich.SerializeAsString());
}

absl::Status InvalidArguments(const std::vector<FieldViolation>& violations) {
  std::vector<std::string> parts;
  type::v1::BadRequest bad_request;
  for (const FieldViolation& violation : violations) {
    parts.push_back(absl::StrCat(violation.field, ": ", violation.description));
    type::v1::FieldViolation* detail = bad_request.add_field_violations();
    detail->set_field(violation.field);
    detail->set_description(violation.description);
  }
  return WithDetail(absl::InvalidArgumentError(absl::StrJoin(parts, "; ")), bad_request);
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> violations;
  auto payload = status.GetPayload(TypeUrl(type::v1::BadRequest::default_instance()));
  type::v1::BadRequest bad_request;
  if (payload.has_value() && bad_request.ParseFromString(std::string(*payload))) {
    for (const type::v1::FieldViolation& violation : bad_request.field_violations()) {
      violations.push_back({violation.field(), violation.description()});
    }
  }
  return violations;
}

}  // namespace doleances::common
