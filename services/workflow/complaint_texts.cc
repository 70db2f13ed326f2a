#include "services/workflow/complaint_texts.h"

#include <absl/container/flat_hash_map.h>
#include <absl/strings/str_cat.h>
#include <grpcpp/client_context.h>

#include <chrono>

namespace doleances::workflow {

IntakeComplaintTexts::IntakeComplaintTexts(std::shared_ptr<grpc::Channel> channel,
                                           std::function<std::string()> api_key)
    : stub_(intake::v1::IntakeService::NewStub(std::move(channel))), api_key_(std::move(api_key)) {}

namespace {

// Ids per BatchGetComplaints call (the RPC's limit).
constexpr int kIdsPerCall = 100;

// What the last Prefetch of this thread fetched, and from which source.
struct Prefetched {
  const IntakeComplaintTexts* source = nullptr;
  absl::flat_hash_map<std::string, ComplaintText> texts;
};
thread_local Prefetched prefetched;

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
  if (prefetched.source == this) {
    if (auto found = prefetched.texts.find(complaint_id); found != prefetched.texts.end()) {
      ComplaintText text = std::move(found->second);
      prefetched.texts.erase(found);  // Served once: the text leaves memory as soon as used.
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
  prefetched = {this, {}};  // The previous batch's texts go, fetched or not.
  for (size_t first = 0; first < complaint_ids.size(); first += kIdsPerCall) {
    intake::v1::BatchGetComplaintsRequest request;
    for (size_t i = first; i < complaint_ids.size() && i < first + kIdsPerCall; ++i) {
      request.add_complaint_ids(complaint_ids[i]);
    }
    intake::v1::BatchGetComplaintsResponse response;
    if (!stub_->BatchGetComplaints(Context().get(), request, &response).ok()) {
      return;  // Text fetches the rest one by one, and reports what fails.
    }
    for (const intake::v1::Complaint& complaint : response.complaints()) {
      prefetched.texts.insert_or_assign(complaint.complaint_id(), TextOf(complaint));
    }
  }
}

}  // namespace doleances::workflow
