#include "services/intake/workflow_public_texts.h"

#include <absl/strings/str_cat.h>
#include <grpcpp/client_context.h>

#include <chrono>

namespace doleances::intake {

WorkflowPublicTexts::WorkflowPublicTexts(std::shared_ptr<grpc::Channel> channel,
                                         std::function<std::string()> api_key)
    : stub_(workflow::v1::WorkflowService::NewStub(std::move(channel))),
      api_key_(std::move(api_key)) {}

absl::StatusOr<std::string> WorkflowPublicTexts::PublicText(const std::string& case_id,
                                                            const std::string& entry_id) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  if (const std::string key = api_key_(); !key.empty()) {
    context.AddMetadata("authorization", "Bearer " + key);
  }
  workflow::v1::GetCaseHistoryRequest request;
  request.set_case_id(case_id);
  request.set_view(workflow::v1::CASE_HISTORY_VIEW_PUBLIC);
  workflow::v1::GetCaseHistoryResponse response;
  const grpc::Status status = stub_->GetCaseHistory(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat("workflow GetCaseHistory: ", status.error_message()));
  }
  for (const workflow::v1::CaseHistoryEntry& entry : response.entries()) {
    if (entry.entry_id() == entry_id) {
      return entry.text();
    }
  }
  return absl::NotFoundError(absl::StrCat("no public entry ", entry_id, " in case ", case_id));
}

}  // namespace doleances::intake
