#include "tests/bench/bench_targets.h"

#include "doleances/bench/v1/noop.grpc.pb.h"
#include "doleances/intake/v1/intake_service.grpc.pb.h"

#include <absl/strings/str_cat.h>

namespace doleances::bench {
namespace {

using intake::v1::IntakeService;

std::string StatusText(const grpc::Status& status) {
  return absl::StrCat("code ", status.error_code(), ": ", status.error_message());
}

// One item per call: ok or not.
CallOutcome Judge(const grpc::Status& status) {
  return CallOutcome{.ok = status.ok(),
                     .items_ok = status.ok() ? 1 : 0,
                     .items_failed = status.ok() ? 0 : 1,
                     .error = status.ok() ? "" : StatusText(status)};
}

class SingleSubmission final : public Target {
 public:
  SingleSubmission(const std::shared_ptr<grpc::Channel>& channel, std::string authorization,
                   const SubmissionPool& pool)
      : stub_(IntakeService::NewStub(channel)),
        authorization_(std::move(authorization)),
        pool_(pool) {}

  std::unique_ptr<Call> MakeCall(int64_t n) override {
    auto call = std::make_unique<Unary>(pool_.Single(n), prepare_, judge_);
    call->context.AddMetadata("authorization", authorization_);
    return call;
  }

 private:
  using Unary = UnaryCall<intake::v1::SubmitComplaintRequest, intake::v1::SubmitComplaintResponse>;

  std::unique_ptr<IntakeService::Stub> stub_;
  const std::string authorization_;
  const SubmissionPool& pool_;
  const Unary::Prepare prepare_ = [this](grpc::ClientContext* context,
                                         const intake::v1::SubmitComplaintRequest& request,
                                         grpc::CompletionQueue* cq) {
    return stub_->PrepareAsyncSubmitComplaint(context, request, cq);
  };
  const Unary::Judge judge_ = [](const grpc::Status& status,
                                 const intake::v1::SubmitComplaintResponse& response) {
    CallOutcome outcome = Judge(status);
    outcome.complaint_id = status.ok() ? response.complaint_id() : "";
    return outcome;
  };
};

class BulkSubmission final : public Target {
 public:
  BulkSubmission(const std::shared_ptr<grpc::Channel>& channel, std::string authorization,
                 int batch, const SubmissionPool& pool)
      : stub_(IntakeService::NewStub(channel)),
        authorization_(std::move(authorization)),
        batch_(batch),
        pool_(pool) {}

  std::unique_ptr<Call> MakeCall(int64_t n) override {
    intake::v1::SubmitComplaintsRequest request;
    for (int64_t i = n * batch_; i < (n + 1) * batch_; ++i) {
      *request.add_requests() = pool_.Single(i);
    }
    auto call = std::make_unique<Unary>(std::move(request), prepare_, judge_);
    call->context.AddMetadata("authorization", authorization_);
    return call;
  }

 private:
  using Unary =
      UnaryCall<intake::v1::SubmitComplaintsRequest, intake::v1::SubmitComplaintsResponse>;

  std::unique_ptr<IntakeService::Stub> stub_;
  const std::string authorization_;
  const int batch_;
  const SubmissionPool& pool_;
  const Unary::Prepare prepare_ = [this](grpc::ClientContext* context,
                                         const intake::v1::SubmitComplaintsRequest& request,
                                         grpc::CompletionQueue* cq) {
    return stub_->PrepareAsyncSubmitComplaints(context, request, cq);
  };
  // The call may succeed with some items refused: each item counts on its own.
  const Unary::Judge judge_ = [this](const grpc::Status& status,
                                     const intake::v1::SubmitComplaintsResponse& response) {
    if (!status.ok()) {
      CallOutcome outcome = Judge(status);
      outcome.items_failed = batch_;
      return outcome;
    }
    CallOutcome outcome{.ok = true};
    for (const auto& result : response.results()) {
      if (result.has_error()) {
        ++outcome.items_failed;
        outcome.error = result.error().message();
      } else {
        ++outcome.items_ok;
      }
    }
    return outcome;
  };
};

class Noop final : public Target {
 public:
  Noop(const std::shared_ptr<grpc::Channel>& channel, const SubmissionPool& pool)
      : stub_(v1::NoopService::NewStub(channel)), pool_(pool) {}

  std::unique_ptr<Call> MakeCall(int64_t n) override {
    v1::NoopRequest request;
    request.set_payload(pool_.Payload(n));
    return std::make_unique<Unary>(std::move(request), prepare_, judge_);
  }

 private:
  using Unary = UnaryCall<v1::NoopRequest, v1::NoopResponse>;

  std::unique_ptr<v1::NoopService::Stub> stub_;
  const SubmissionPool& pool_;
  const Unary::Prepare prepare_ =
      [this](grpc::ClientContext* context, const v1::NoopRequest& request,
             grpc::CompletionQueue* cq) { return stub_->PrepareAsyncNoop(context, request, cq); };
  const Unary::Judge judge_ = [](const grpc::Status& status, const v1::NoopResponse&) {
    return Judge(status);
  };
};

}  // namespace

SubmissionPool::SubmissionPool(std::vector<intake::v1::Complaint> complaints, std::string run)
    : complaints_(std::move(complaints)), run_(std::move(run)) {
  for (size_t n = 0; n < complaints_.size(); ++n) {
    payloads_.push_back(Single(static_cast<int64_t>(n)).SerializeAsString());
  }
}

intake::v1::SubmitComplaintRequest SubmissionPool::Single(int64_t n) const {
  intake::v1::SubmitComplaintRequest request;
  request.set_idempotency_key(absl::StrCat(run_, "-", n));
  *request.mutable_complaint() = complaints_[n % complaints_.size()];
  request.mutable_complaint()->set_external_reference(absl::StrCat("BENCH-", run_, "-", n));
  return request;
}

size_t SubmissionPool::AverageBytes() const {
  size_t total = 0;
  for (const std::string& payload : payloads_) {
    total += payload.size();
  }
  return total / payloads_.size();
}

std::unique_ptr<Target> MakeTarget(const std::string& name,
                                   const std::shared_ptr<grpc::Channel>& channel,
                                   const std::string& api_key, int batch,
                                   const SubmissionPool& pool) {
  const std::string authorization = "Bearer " + api_key;
  if (name == "intake-single") {
    return std::make_unique<SingleSubmission>(channel, authorization, pool);
  }
  if (name == "intake-bulk") {
    return std::make_unique<BulkSubmission>(channel, authorization, batch, pool);
  }
  if (name == "noop") {
    return std::make_unique<Noop>(channel, pool);
  }
  return nullptr;
}

}  // namespace doleances::bench
