#pragma once

#include "doleances/intake/v1/intake_service.grpc.pb.h"

#include <absl/status/statusor.h>
#include <grpcpp/channel.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace doleances::workflow {

// A complaint's own words, which keyword rules match on, and what else routing matches on (for
// PreviewRoute of a stored complaint).
struct ComplaintText {
  std::string subject;
  std::string description;
  std::string administration_id;
  int kind = 0;  // doleances.type.v1.ComplaintKind
  std::string category_hint;
  std::string commune_code;
  std::string department_code;
  int priority = 0;  // doleances.type.v1.Priority
};

// Where routing reads them: events carry no citizen text (DESIGN.md §3), so workflow asks intake,
// and only when a keyword rule could use them.
class ComplaintTextSource {
 public:
  virtual ~ComplaintTextSource() = default;
  // NOT_FOUND for a complaint intake does not hold; UNAVAILABLE (and the like) while intake
  // cannot be reached, so that the consumer retries the event rather than misrouting it.
  virtual absl::StatusOr<ComplaintText> Text(const std::string& complaint_id) = 0;
  // A hint that Text will soon be asked for these complaints: a source may fetch them together.
  // Best effort: a failure here only means Text fetches them one by one.
  virtual void Prefetch(const std::vector<std::string>& /*complaint_ids*/) {}
};

// ComplaintTextSource over IntakeService, calling as workflow's service principal: Prefetch
// reads a consumer batch's complaints with one BatchGetComplaints and keeps each, for the calling
// thread only, until Text takes it or the thread's next Prefetch (a consumer member prefetches and
// routes its batch in its own thread, so no citizen text outlives the batch); Text asks
// GetComplaint for any other. Thread-safe (consumer members and RPC handlers share it).
class IntakeComplaintTexts final : public ComplaintTextSource {
 public:
  // `api_key()` is read at each call, so a key issued after start-up is picked up.
  IntakeComplaintTexts(std::shared_ptr<grpc::Channel> channel,
                       std::function<std::string()> api_key);

  absl::StatusOr<ComplaintText> Text(const std::string& complaint_id) override;
  void Prefetch(const std::vector<std::string>& complaint_ids) override;

 private:
  std::unique_ptr<grpc::ClientContext> Context() const;

  std::unique_ptr<intake::v1::IntakeService::Stub> stub_;
  std::function<std::string()> api_key_;
};

}  // namespace doleances::workflow
