#include "tests/bench/process_stats.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_split.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace doleances::bench {
namespace {

int64_t StatusKib(const std::string& status, const std::string& field) {
  const size_t at = status.find(field + ":");
  int64_t kib = 0;
  if (at != std::string::npos) {
    std::istringstream(status.substr(at + field.size() + 1)) >> kib;
  }
  return kib;
}

// The fields of /proc/PID/stat from the third (state) on, so that field n is at index n - 3;
// empty when the process is gone. The command name (field 2) may hold spaces and parentheses:
// fields are counted after the last ')'.
std::vector<std::string> StatFields(int pid) {
  std::ifstream stat_file("/proc/" + std::to_string(pid) + "/stat");
  const std::string stat((std::istreambuf_iterator<char>(stat_file)),
                         std::istreambuf_iterator<char>());
  const size_t name_end = stat.rfind(')');
  if (name_end == std::string::npos) {
    return {};
  }
  return absl::StrSplit(stat.substr(name_end + 2), ' ', absl::SkipEmpty());
}

// Field n of /proc/PID/stat as a number, 0 when absent.
int64_t StatField(const std::vector<std::string>& fields, int n) {
  int64_t value = 0;
  if (n - 3 < static_cast<int>(fields.size())) {
    (void)absl::SimpleAtoi(fields[n - 3], &value);
  }
  return value;
}

absl::Duration Ticks(int64_t ticks) {
  static const double kTicksPerSecond = static_cast<double>(sysconf(_SC_CLK_TCK));
  return absl::Seconds(static_cast<double>(ticks) / kTicksPerSecond);
}

constexpr int kParentField = 4;
constexpr int kUserField = 14;  // Then system (15), reaped children's user (16) and system (17).

}  // namespace

std::optional<ProcessSample> SampleProcess(int pid) {
  const std::vector<std::string> fields = StatFields(pid);
  if (fields.empty()) {
    return std::nullopt;
  }
  std::ifstream status_file("/proc/" + std::to_string(pid) + "/status");
  const std::string status((std::istreambuf_iterator<char>(status_file)),
                           std::istreambuf_iterator<char>());
  return ProcessSample{
      .cpu = Ticks(StatField(fields, kUserField) + StatField(fields, kUserField + 1)),
      .rss_kib = StatusKib(status, "VmRSS"),
      .peak_kib = StatusKib(status, "VmHWM"),
  };
}

std::optional<absl::Duration> TreeCpu(int pid) {
  const std::vector<std::string> fields = StatFields(pid);
  if (fields.empty()) {
    return std::nullopt;
  }
  int64_t ticks = 0;
  for (int field = kUserField; field < kUserField + 4; ++field) {
    ticks += StatField(fields, field);
  }
  absl::Duration cpu = Ticks(ticks);
  std::ifstream children_file(absl::StrCat("/proc/", pid, "/task/", pid, "/children"));
  for (int child = 0; children_file >> child;) {
    if (std::optional<absl::Duration> child_cpu = TreeCpu(child); child_cpu.has_value()) {
      cpu += *child_cpu;
    }
  }
  return cpu;
}

std::optional<int> ParentOf(int pid) {
  const std::vector<std::string> fields = StatFields(pid);
  if (fields.empty()) {
    return std::nullopt;
  }
  return static_cast<int>(StatField(fields, kParentField));
}

std::optional<WatchedGroup> ParseWatchedGroup(const std::string& text) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0) {
    return std::nullopt;
  }
  WatchedGroup group{.name = text.substr(0, colon)};
  for (absl::string_view part : absl::StrSplit(text.substr(colon + 1), ',', absl::SkipEmpty())) {
    int pid = 0;
    if (!absl::SimpleAtoi(part, &pid) || pid <= 0) {
      return std::nullopt;
    }
    group.pids.push_back(pid);
  }
  return group.pids.empty() ? std::nullopt : std::optional<WatchedGroup>(group);
}

ProcessSample SampleGroup(const WatchedGroup& group) {
  ProcessSample total{.cpu = absl::ZeroDuration()};
  for (int pid : group.pids) {
    if (std::optional<ProcessSample> one = SampleProcess(pid); one.has_value()) {
      total.cpu += one->cpu;
      total.rss_kib += one->rss_kib;
      total.peak_kib += one->peak_kib;
    }
  }
  return total;
}

}  // namespace doleances::bench
