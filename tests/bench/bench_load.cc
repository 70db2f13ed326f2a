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
#include "tests/bench/bench_targets.h"
#include "tests/bench/complaint_generator.h"
#include "tests/bench/load_engine.h"
#include "tests/bench/process_stats.h"

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
  const int distinct = Int(flags, "pool");
  const bool closed = options.concurrency > 0 && options.rate == 0;
  const bool open = options.rate > 0 && options.concurrency == 0;
  if (flags.values["address"].empty() || closed == open || options.threads < 1 || batch < 1 ||
      distinct < 1 || options.duration <= absl::ZeroDuration() ||
      options.warmup < absl::ZeroDuration()) {
    std::cerr << "usage: see the comment at the top of tests/bench/bench_load.cc\n";
    return 2;
  }

  const std::string run = flags.values.count("run-id")
                              ? flags.values["run-id"]
                              : absl::StrCat(absl::ToUnixMicros(absl::Now()));
  const bench::SubmissionPool pool(
      bench::GenerateComplaints(distinct, static_cast<uint64_t>(Int(flags, "seed")),
                                flags.values["administration"], absl::Now()),
      run);
  std::unique_ptr<bench::Target> calls = bench::MakeTarget(
      target, grpc::CreateChannel(flags.values["address"], grpc::InsecureChannelCredentials()),
      flags.values["api-key"], batch, pool);
  if (calls == nullptr) {
    std::cerr << "--target must be intake-single, intake-bulk or noop\n";
    return 2;
  }
  const bench::CallFactory make_call = [&calls](int64_t n) { return calls->MakeCall(n); };

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
                   target == "intake-bulk" ? batch : 1, pool.AverageBytes(), seconds, result.calls,
                   result.failed_calls, result.items_ok, result.items_failed, result.late_starts,
                   static_cast<double>(result.calls) / seconds,
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
