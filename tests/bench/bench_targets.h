#pragma once

#include "tests/bench/load_engine.h"

#include "doleances/intake/v1/intake_service.pb.h"

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

namespace doleances::bench {

// The submissions every call draws from: distinct complaints, reused round robin with a fresh
// idempotency key and external reference per call, so that each call stores a new complaint.
class SubmissionPool {
 public:
  // `run` makes keys unique across runs against the same database.
  SubmissionPool(std::vector<intake::v1::Complaint> complaints, std::string run);

  intake::v1::SubmitComplaintRequest Single(int64_t n) const;
  // A serialized submission: the bytes SubmitComplaint would carry, for the no-op target.
  const std::string& Payload(int64_t n) const { return payloads_[n % payloads_.size()]; }
  size_t AverageBytes() const;

 private:
  std::vector<intake::v1::Complaint> complaints_;
  std::string run_;
  std::vector<std::string> payloads_;
};

// What bench_load calls: makes call number n, ready for the engine to start.
class Target {
 public:
  virtual ~Target() = default;
  virtual std::unique_ptr<Call> MakeCall(int64_t n) = 0;
};

// "intake-single" (SubmitComplaint), "intake-bulk" (SubmitComplaints of `batch` items) or
// "noop" (G0); nullptr for another name. The pool must outlive the target.
std::unique_ptr<Target> MakeTarget(const std::string& name,
                                   const std::shared_ptr<grpc::Channel>& channel,
                                   const std::string& api_key, int batch,
                                   const SubmissionPool& pool);

}  // namespace doleances::bench
