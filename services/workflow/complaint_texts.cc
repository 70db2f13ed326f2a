#include "services/workflow/complaint_texts.h"

#include <absl/strings/str_cat.h>
#include <grpcpp/client_context.h>

#include <chrono>

namespace doleances::workflow {

IntakeComplaintTexts::IntakeComplaintTexts(std::shared_ptr<grpc::Channel> channel,
                                           std::function<std::string()> api_key)
    : stub_(intake::v1::IntakeService::NewStub(std::move(channel))), api_key_(std::move(api_key)) {}

namespace {

// Ids per BatchGetComplaints call (the RPC's limit), and texts kept at most.
constexpr int kIdsPerCall = 100;
constexpr size_t kMaxPrefetched = 2000;

ComplaintText TextOf(const intake::v1::Complaint& complaint) {
  return ComplaintText{complaint.subject(),
                       complaint.description(),
                       complaint.administration_id(),
                       complaint.kind(),
                       complaint.category_hint(),
                       complaint.territory().commune_code(),
                       complaint.territory().department_code(),
                       complaint.priority()};
}

}  // namespace

std::unique_ptr<grpc::ClientContext> IntakeComplaintTexts::Context() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  if (const std::string key = api_key_(); !key.empty()) {
    context->AddMetadata("authorization", "Bearer " + key);
  }
  return context;
}

absl::StatusOr<ComplaintText> IntakeComplaintTexts::Text(const std::string& complaint_id) {
  {
    absl::MutexLock lock(&mutex_);
    if (auto found = prefetched_.find(complaint_id); found != prefetched_.end()) {
      ComplaintText text = std::move(found->second);
      prefetched_.erase(found);
      return text;
    }
  }
  intake::v1::GetComplaintRequest request;
  request.set_complaint_id(complaint_id);
  intake::v1::GetComplaintResponse response;
  const grpc::Status status = stub_->GetComplaint(Context().get(), request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat("intake GetComplaint: ", status.error_message()));
  }
  return TextOf(response.complaint());
}

void IntakeComplaintTexts::Prefetch(const std::vector<std::string>& complaint_ids) {
  for (size_t first = 0; first < complaint_ids.size(); first += kIdsPerCall) {
    intake::v1::BatchGetComplaintsRequest request;
    for (size_t i = first; i < complaint_ids.size() && i < first + kIdsPerCall; ++i) {
      request.add_complaint_ids(complaint_ids[i]);
    }
    intake::v1::BatchGetComplaintsResponse response;
    if (!stub_->BatchGetComplaints(Context().get(), request, &response).ok()) {
      return;  // Text fetches them one by one, and reports what fails.
    }
    absl::MutexLock lock(&mutex_);
    if (prefetched_.size() > kMaxPrefetched) {
      prefetched_.clear();
    }
    for (const intake::v1::Complaint& complaint : response.complaints()) {
      prefetched_.insert_or_assign(complaint.complaint_id(), TextOf(complaint));
    }
  }
}

}  // namespace doleances::workflow
