#include "services/mediation/precondition.h"

#include "common/status/grpc_status.h"

#include "doleances/type/v1/errors.pb.h"

#include <string>

namespace doleances::mediation {

absl::Status PreconditionError(absl::string_view type, absl::string_view subject,
                               absl::string_view description) {
  type::v1::PreconditionFailure failure;
  type::v1::PreconditionViolation* violation = failure.add_violations();
  violation->set_type(std::string(type));
  violation->set_subject(std::string(subject));
  violation->set_description(std::string(description));
  return common::WithDetail(absl::FailedPreconditionError(description), failure);
}

}  // namespace doleances::mediation
