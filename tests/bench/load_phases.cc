#include "tests/bench/load_phases.h"

#include "tests/bench/process_stats.h"

#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <absl/time/clock.h>
#include <unistd.h>

#include <iostream>

namespace doleances::bench {
namespace {

absl::Duration OwnCpu() {
  return TreeCpu(static_cast<int>(getpid())).value_or(absl::ZeroDuration());
}

}  // namespace

LoadPhases::LoadPhases(std::optional<int> postmaster_pid) : postmaster_pid_(postmaster_pid) {
  Restart();
}

void LoadPhases::End(const std::string& name) {
  const double wall = absl::ToDoubleSeconds(absl::Now() - start_);
  const double own = absl::ToDoubleSeconds(OwnCpu() - own_cpu_);
  const double server = absl::ToDoubleSeconds(ServerCpu() - server_cpu_);
  phases_.push_back(
      absl::StrFormat("\"%s\":{\"wall_s\":%.1f,\"bench_cpu_s\":%.1f,\"server_cpu_s\":%.1f}", name,
                      wall, own, server));
  std::cerr << absl::StrFormat("phase %s: %.1f s (bench CPU %.1f s, server CPU %.1f s)\n", name,
                               wall, own, server);
  Restart();
}

std::string LoadPhases::Json() const { return absl::StrCat("{", absl::StrJoin(phases_, ","), "}"); }

absl::Duration LoadPhases::ServerCpu() const {
  return postmaster_pid_.has_value() ? TreeCpu(*postmaster_pid_).value_or(absl::ZeroDuration())
                                     : absl::ZeroDuration();
}

void LoadPhases::Restart() {
  start_ = absl::Now();
  own_cpu_ = OwnCpu();
  server_cpu_ = ServerCpu();
}

}  // namespace doleances::bench
