#pragma once

#include <absl/time/time.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace doleances::bench {

// What the kernel says a process has used so far (Linux /proc).
struct ProcessSample {
  absl::Duration cpu;    // User plus system time of all its threads (clock-tick resolution).
  int64_t rss_kib = 0;   // VmRSS: resident now.
  int64_t peak_kib = 0;  // VmHWM: highest resident size since it started.
};

// Nullopt when the process is gone or /proc cannot be read.
std::optional<ProcessSample> SampleProcess(int pid);

// CPU (user plus system) of a process and its children: its own threads, its live children and
// the children it has reaped, e.g. a PostgreSQL postmaster's backends, parallel workers, WAL
// writer and checkpointer. Nullopt when the process is gone.
std::optional<absl::Duration> TreeCpu(int pid);

// The parent of a process; nullopt when it is gone.
std::optional<int> ParentOf(int pid);

// A named group of processes sampled together, e.g. "postgres" = every backend.
struct WatchedGroup {
  std::string name;
  std::vector<int> pids;
};

// "name:pid[,pid...]"; nullopt when malformed.
std::optional<WatchedGroup> ParseWatchedGroup(const std::string& text);

// Sums the samples of a group's processes; processes that are gone count as zero.
ProcessSample SampleGroup(const WatchedGroup& group);

}  // namespace doleances::bench
