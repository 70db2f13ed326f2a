#pragma once

#include <absl/time/time.h>

#include <optional>
#include <string>
#include <vector>

namespace doleances::bench {

// Wall time and CPU, of this process and of the whole PostgreSQL cluster (backends, parallel
// workers, WAL writer, checkpointer), per phase of a load: where a slow load spends its time.
// The cluster's CPU is read from /proc, so only when PostgreSQL runs on this machine.
class LoadPhases {
 public:
  // `postmaster_pid`: nullopt when PostgreSQL runs elsewhere (its CPU then counts as zero).
  explicit LoadPhases(std::optional<int> postmaster_pid);

  // Ends the phase begun at the previous End (or at construction), names it and logs it to
  // stderr.
  void End(const std::string& name);

  // {"name": {"wall_s": .., "bench_cpu_s": .., "server_cpu_s": ..}, ...}, in phase order.
  std::string Json() const;

 private:
  absl::Duration ServerCpu() const;
  void Restart();

  std::optional<int> postmaster_pid_;
  std::vector<std::string> phases_;
  absl::Time start_;
  absl::Duration own_cpu_;
  absl::Duration server_cpu_;
};

}  // namespace doleances::bench
