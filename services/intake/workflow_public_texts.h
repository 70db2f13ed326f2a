#pragma once

#include "doleances/workflow/v1/workflow_service.grpc.pb.h"

#include <absl/status/statusor.h>
#include <grpcpp/channel.h>

#include <functional>
#include <memory>
#include <string>

namespace doleances::intake {

// Where the public text of a workflow history entry comes from: events carry no text
// (DESIGN.md §3), so intake reads a question or response from WorkflowService.GetCaseHistory in
// PUBLIC view when it mirrors the change.
class PublicTextSource {
 public:
  virtual ~PublicTextSource() = default;
  // The text of entry `entry_id` ("<case id>/<version>") of case `case_id`; UNAVAILABLE (and
  // the like) while workflow cannot be reached, so the consumer retries rather than skipping.
  virtual absl::StatusOr<std::string> PublicText(const std::string& case_id,
                                                 const std::string& entry_id) = 0;
};

// PublicTextSource over gRPC, calling as intake's service principal.
class WorkflowPublicTexts final : public PublicTextSource {
 public:
  // `api_key()` is read at each call, so a key issued after start-up is picked up.
  WorkflowPublicTexts(std::shared_ptr<grpc::Channel> channel, std::function<std::string()> api_key);

  absl::StatusOr<std::string> PublicText(const std::string& case_id,
                                         const std::string& entry_id) override;

 private:
  std::unique_ptr<workflow::v1::WorkflowService::Stub> stub_;
  std::function<std::string()> api_key_;
};

}  // namespace doleances::intake
