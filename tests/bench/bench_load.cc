// bench_load: the load generator of the benchmarks (docs/benchmarks.md).
//   bench_load --target=intake-single|intake-bulk|noop --address=HOST:PORT
//              (--concurrency=N | --rate=CALLS_PER_S) [--warmup=2] [--duration=10]
//              [--api-key=KEY --administration=UUID] [--batch=100] [--threads=2] [--seed=1]
//              [--watch=NAME:PID[,PID...]]... [--ids-out=FILE]
// Closed loop (--concurrency) keeps N calls in flight; open loop (--rate) starts calls on a fixed
// schedule and times each from its scheduled start. Prints one JSON line: throughput, latency
// percentiles, and for each watched process group its CPU per call and memory at the end of the
// measured window. --ids-out writes "complaint_id,intended_send_unix_us" of each measured
// single submission, for end-to-end timing against the event log.
#include "tests/bench/complaint_generator.h"
#include "tests/bench/load_engine.h"
#include "tests/bench/process_stats.h"

#include "doleances/bench/v1/noop.grpc.pb.h"
#include "doleances/intake/v1/intake_service.grpc.pb.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <absl/time/clock.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <map>

namespace {

using namespace doleances;
using bench::CallOutcome;

struct Flags {
  std::map<std::string, std::string> values = {
      {"warmup", "2"}, {"duration", "10"}, {"batch", "100"},     {"threads", "2"},
      {"seed", "1"},   {"pool", "1000"},   {"concurrency", "0"}, {"rate", "0"}};
  std::vector<bench::WatchedGroup> watched;
};

bool ParseFlags(int argc, char** argv, Flags& flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t equals = arg.find('=');
    if (arg.rfind("--", 0) != 0 || equals == std::string::npos) {
      std::cerr << "bad argument " << arg << " (expected --name=value)\n";
      return false;
    }
    const std::string name = arg.substr(2, equals - 2), value = arg.substr(equals + 1);
    if (name == "watch") {
      std::optional<bench::WatchedGroup> group = bench::ParseWatchedGroup(value);
      if (!group.has_value()) {
        std::cerr << "--watch must be NAME:PID[,PID...], got " << value << "\n";
        return false;
      }
      flags.watched.push_back(*group);
    } else {
      flags.values[name] = value;
    }
  }
  return true;
}

// The request bodies every call draws from: distinct complaints, reused round robin with a
// fresh idempotency key and external reference per call so that each call stores a new one.
class Requests {
 public:
  Requests(std::vector<intake::v1::Complaint> complaints, std::string run)
      : complaints_(std::move(complaints)), run_(std::move(run)) {
    for (size_t n = 0; n < complaints_.size(); ++n) {
      payloads_.push_back(Single(static_cast<int64_t>(n)).SerializeAsString());
    }
  }

  intake::v1::SubmitComplaintRequest Single(int64_t n) const {
    intake::v1::SubmitComplaintRequest request;
    request.set_idempotency_key(absl::StrCat(run_, "-", n));
    *request.mutable_complaint() = complaints_[n % complaints_.size()];
    request.mutable_complaint()->set_external_reference(absl::StrCat("BENCH-", run_, "-", n));
    return request;
  }

  // A serialized submission, for the no-op target: the bytes SubmitComplaint would carry.
  const std::string& Payload(int64_t n) const { return payloads_[n % payloads_.size()]; }

  size_t AverageSize() const {
    size_t total = 0;
    for (const std::string& payload : payloads_) {
      total += payload.size();
    }
    return total / payloads_.size();
  }

 private:
  std::vector<intake::v1::Complaint> complaints_;
  std::string run_;
  std::vector<std::string> payloads_;
};

std::string StatusText(const grpc::Status& status) {
  return absl::StrCat("code ", status.error_code(), ": ", status.error_message());
}

double Double(const Flags& flags, const std::string& name) {
  double value = 0;
  return absl::SimpleAtod(flags.values.at(name), &value) ? value : -1;
}

int Int(const Flags& flags, const std::string& name) {
  int value = 0;
  return absl::SimpleAtoi(flags.values.at(name), &value) ? value : -1;
}

std::string Milliseconds(absl::Duration d) {
  return absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(d));
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) {
    return 2;
  }
  const std::string target = flags.values["target"];
  bench::LoadOptions options{.concurrency = Int(flags, "concurrency"),
                             .rate = Double(flags, "rate"),
                             .warmup = absl::Seconds(Double(flags, "warmup")),
                             .duration = absl::Seconds(Double(flags, "duration")),
                             .threads = Int(flags, "threads"),
                             .record_complaint_ids = !flags.values["ids-out"].empty()};
  const int batch = Int(flags, "batch");
  const int pool = Int(flags, "pool");
  const bool closed = options.concurrency > 0 && options.rate == 0;
  const bool open = options.rate > 0 && options.concurrency == 0;
  if ((target != "intake-single" && target != "intake-bulk" && target != "noop") ||
      flags.values["address"].empty() || closed == open || options.threads < 1 || batch < 1 ||
      pool < 1 || options.duration <= absl::ZeroDuration() ||
      options.warmup < absl::ZeroDuration()) {
    std::cerr << "usage: see the comment at the top of tests/bench/bench_load.cc\n";
    return 2;
  }

  const std::string run = flags.values.count("run-id")
                              ? flags.values["run-id"]
                              : absl::StrCat(absl::ToUnixMicros(absl::Now()));
  const Requests requests(bench::GenerateComplaints(pool, static_cast<uint64_t>(Int(flags, "seed")),
                                                    flags.values["administration"], absl::Now()),
                          run);
  auto channel = grpc::CreateChannel(flags.values["address"], grpc::InsecureChannelCredentials());
  auto intake = intake::v1::IntakeService::NewStub(channel);
  auto noop = bench::v1::NoopService::NewStub(channel);
  const std::string authorization = "Bearer " + flags.values["api-key"];

  // What each target sends and how it judges the answer; the engine does the rest.
  using SingleCall =
      bench::UnaryCall<intake::v1::SubmitComplaintRequest, intake::v1::SubmitComplaintResponse>;
  using BulkCall =
      bench::UnaryCall<intake::v1::SubmitComplaintsRequest, intake::v1::SubmitComplaintsResponse>;
  using NoopCall = bench::UnaryCall<bench::v1::NoopRequest, bench::v1::NoopResponse>;
  const SingleCall::Prepare prepare_single = [&](grpc::ClientContext* context,
                                                 const intake::v1::SubmitComplaintRequest& request,
                                                 grpc::CompletionQueue* cq) {
    return intake->PrepareAsyncSubmitComplaint(context, request, cq);
  };
  const SingleCall::Judge judge_single = [](const grpc::Status& status,
                                            const intake::v1::SubmitComplaintResponse& response) {
    CallOutcome outcome{
        .ok = status.ok(), .items_ok = status.ok() ? 1 : 0, .items_failed = status.ok() ? 0 : 1};
    if (status.ok()) {
      outcome.complaint_id = response.complaint_id();
    } else {
      outcome.error = StatusText(status);
    }
    return outcome;
  };
  const BulkCall::Prepare prepare_bulk = [&](grpc::ClientContext* context,
                                             const intake::v1::SubmitComplaintsRequest& request,
                                             grpc::CompletionQueue* cq) {
    return intake->PrepareAsyncSubmitComplaints(context, request, cq);
  };
  const BulkCall::Judge judge_bulk = [batch](const grpc::Status& status,
                                             const intake::v1::SubmitComplaintsResponse& response) {
    CallOutcome outcome{.ok = status.ok()};
    if (!status.ok()) {
      outcome.items_failed = batch;
      outcome.error = StatusText(status);
      return outcome;
    }
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
  const NoopCall::Prepare prepare_noop =
      [&](grpc::ClientContext* context, const bench::v1::NoopRequest& request,
          grpc::CompletionQueue* cq) { return noop->PrepareAsyncNoop(context, request, cq); };
  const NoopCall::Judge judge_noop = [](const grpc::Status& status,
                                        const bench::v1::NoopResponse&) {
    return CallOutcome{.ok = status.ok(),
                       .items_ok = status.ok() ? 1 : 0,
                       .items_failed = status.ok() ? 0 : 1,
                       .error = status.ok() ? "" : StatusText(status)};
  };

  const bench::CallFactory make_call = [&](int64_t n) -> std::unique_ptr<bench::Call> {
    std::unique_ptr<bench::Call> call;
    if (target == "intake-single") {
      call = std::make_unique<SingleCall>(requests.Single(n), prepare_single, judge_single);
    } else if (target == "intake-bulk") {
      intake::v1::SubmitComplaintsRequest request;
      for (int64_t i = n * batch; i < (n + 1) * batch; ++i) {
        *request.add_requests() = requests.Single(i);
      }
      call = std::make_unique<BulkCall>(std::move(request), prepare_bulk, judge_bulk);
    } else {
      // The same bytes a single submission carries, so the transport's work is the same.
      bench::v1::NoopRequest request;
      request.set_payload(requests.Payload(n));
      call = std::make_unique<NoopCall>(std::move(request), prepare_noop, judge_noop);
    }
    if (target != "noop") {
      call->context.AddMetadata("authorization", authorization);
    }
    return call;
  };

  // The client watches itself too: on a shared machine its CPU is CPU the server did not get.
  flags.watched.push_back({.name = "client", .pids = {static_cast<int>(getpid())}});
  std::vector<bench::ProcessSample> before(flags.watched.size()), after(flags.watched.size());
  bench::LoadResult result;
  bench::RunLoad(
      options, make_call,
      [&] {
        for (size_t i = 0; i < flags.watched.size(); ++i) {
          before[i] = bench::SampleGroup(flags.watched[i]);
        }
      },
      [&] {
        for (size_t i = 0; i < flags.watched.size(); ++i) {
          after[i] = bench::SampleGroup(flags.watched[i]);
        }
      },
      result);

  const double seconds = absl::ToDoubleSeconds(options.duration);
  const int64_t items = result.items_ok;
  std::vector<std::string> processes;
  for (size_t i = 0; i < flags.watched.size(); ++i) {
    const double cpu_us = absl::ToDoubleMicroseconds(after[i].cpu - before[i].cpu);
    processes.push_back(absl::StrFormat(
        "\"%s\":{\"cpu_s\":%.3f,\"cpu_us_per_call\":%.1f,\"cpu_us_per_item\":%.1f,"
        "\"rss_kib\":%d,\"peak_kib\":%d}",
        flags.watched[i].name, cpu_us / 1e6, result.calls ? cpu_us / result.calls : 0,
        items ? cpu_us / items : 0, after[i].rss_kib, after[i].peak_kib));
  }
  for (const std::string& error : result.first_errors) {
    std::cerr << "call failed: " << error << "\n";
  }
  const bench::LatencyHistogram& latency = result.latency;
  std::cout << absl::StrFormat(
                   "{\"target\":\"%s\",\"mode\":\"%s\",\"concurrency\":%d,\"rate\":%.1f,"
                   "\"batch\":%d,\"item_bytes\":%d,\"duration_s\":%.1f,\"calls\":%d,"
                   "\"failed_calls\":%d,\"items_ok\":%d,\"items_failed\":%d,\"late_starts\":%d,"
                   "\"calls_per_s\":%.1f,\"items_per_s\":%.1f,\"latency_ms\":{\"p50\":%s,"
                   "\"p90\":%s,\"p99\":%s,\"p999\":%s,\"max\":%s,\"mean\":%s},"
                   "\"processes\":{%s}}",
                   target, closed ? "closed" : "open", options.concurrency, options.rate,
                   target == "intake-bulk" ? batch : 1, requests.AverageSize(), seconds,
                   result.calls, result.failed_calls, result.items_ok, result.items_failed,
                   result.late_starts, static_cast<double>(result.calls) / seconds,
                   static_cast<double>(items) / seconds, Milliseconds(latency.Percentile(0.5)),
                   Milliseconds(latency.Percentile(0.9)), Milliseconds(latency.Percentile(0.99)),
                   Milliseconds(latency.Percentile(0.999)), Milliseconds(latency.max()),
                   Milliseconds(latency.mean()), absl::StrJoin(processes, ","))
            << std::endl;

  if (const std::string path = flags.values["ids-out"]; !path.empty()) {
    std::ofstream out(path);
    for (const auto& [id, micros] : result.complaint_send_times) {
      out << id << "," << micros << "\n";
    }
  }
  return result.failed_calls == 0 && result.items_failed == 0 ? 0 : 1;
}
