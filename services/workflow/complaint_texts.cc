#include "services/workflow/complaint_texts.h"

#include <absl/strings/str_cat.h>
#include <grpcpp/client_context.h>

#include <chrono>

namespace doleances::workflow {

IntakeComplaintTexts::IntakeComplaintTexts(std::shared_ptr<grpc::Channel> channel,
                                           std::function<std::string()> api_key)
    : stub_(intake::v1::IntakeService::NewStub(std::move(channel))), api_key_(std::move(api_key)) {}

absl::StatusOr<ComplaintText> IntakeComplaintTexts::Text(const std::string& complaint_id) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  if (const std::string key = api_key_(); !key.empty()) {
    context.AddMetadata("authorization", "Bearer " + key);
  }
  intake::v1::GetComplaintRequest request;
  request.set_complaint_id(complaint_id);
  intake::v1::GetComplaintResponse response;
  const grpc::Status status = stub_->GetComplaint(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat("intake GetComplaint: ", status.error_message()));
  }
  const intake::v1::Complaint& complaint = response.complaint();
  return ComplaintText{complaint.subject(),
                       complaint.description(),
                       complaint.administration_id(),
                       complaint.kind(),
                       complaint.category_hint(),
                       complaint.territory().commune_code(),
                       complaint.territory().department_code(),
                       complaint.priority()};
}

}  // namespace doleances::workflow
