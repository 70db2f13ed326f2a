#pragma once

#include "tests/bench/latency_histogram.h"

#include <absl/synchronization/mutex.h>
#include <absl/time/time.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace doleances::bench {

// How one call ended, as the target judges it (a bulk call may succeed with failed items).
struct CallOutcome {
  bool ok = false;
  int items_ok = 0;
  int items_failed = 0;
  std::string error;         // First failure's message, for the log.
  std::string complaint_id;  // Set by targets that create one complaint, for end-to-end timing.
};

// One RPC in flight on the engine's completion queue. Targets derive from it (see UnaryCall).
class Call {
 public:
  virtual ~Call() = default;
  // Starts the RPC; its completion is delivered on `cq` with `tag`.
  virtual void Start(grpc::CompletionQueue* cq, void* tag) = 0;
  // Called once the completion arrived.
  virtual CallOutcome Outcome() = 0;

  grpc::ClientContext context;
};

// A unary call made through a generated stub's PrepareAsync<Method>.
template <typename Request, typename Response>
class UnaryCall : public Call {
 public:
  using Prepare = std::function<std::unique_ptr<grpc::ClientAsyncResponseReader<Response>>(
      grpc::ClientContext*, const Request&, grpc::CompletionQueue*)>;
  using Judge = std::function<CallOutcome(const grpc::Status&, const Response&)>;

  UnaryCall(Request request, const Prepare& prepare, const Judge& judge)
      : request_(std::move(request)), prepare_(prepare), judge_(judge) {}

  void Start(grpc::CompletionQueue* cq, void* tag) override {
    reader_ = prepare_(&context, request_, cq);
    reader_->StartCall();
    reader_->Finish(&response_, &status_, tag);
  }
  CallOutcome Outcome() override { return judge_(status_, response_); }

 private:
  Request request_;
  const Prepare& prepare_;
  const Judge& judge_;
  Response response_;
  grpc::Status status_;
  std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader_;
};

// Makes call number `sequence`, ready to start.
using CallFactory = std::function<std::unique_ptr<Call>(int64_t sequence)>;

struct LoadOptions {
  int concurrency = 0;  // Closed loop: this many calls always in flight.
  double rate = 0;      // Open loop: calls started per second, whatever the answers do.
  absl::Duration warmup = absl::Seconds(2);
  absl::Duration duration = absl::Seconds(10);
  int threads = 2;  // Completion-queue threads.
  // Open loop only: past this many calls in flight the pacer waits; the calls it then starts
  // late are still timed from their intended send time.
  int max_in_flight = 20000;
  bool record_complaint_ids = false;
};

struct LoadResult {
  LatencyHistogram latency;  // Of measured calls, from intended send time to completion.
  int64_t calls = 0;         // Measured calls (intended send time inside the window).
  int64_t failed_calls = 0;
  int64_t items_ok = 0;
  int64_t items_failed = 0;
  int64_t late_starts = 0;  // Open loop: measured calls started > 1 ms after their intended time.
  std::vector<std::string> first_errors;
  // (complaint id, intended send time in µs since the epoch) of measured calls, when asked.
  std::vector<std::pair<std::string, int64_t>> complaint_send_times;
};

// Runs a closed- or open-loop load: a warm-up, whose calls are not measured, then a measured
// window of options.duration. In the open loop a call's latency runs from the time it should
// have been sent, so a stall that delays later sends shows in their latency (no coordinated
// omission). `at_window_start` and `at_window_end` run on a helper thread at the window's edges
// (to sample CPU and memory of the processes under test).
void RunLoad(const LoadOptions& options, const CallFactory& make_call,
             const std::function<void()>& at_window_start,
             const std::function<void()>& at_window_end, LoadResult& result);

}  // namespace doleances::bench
