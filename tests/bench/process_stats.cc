#include "tests/bench/process_stats.h"

#include <absl/strings/numbers.h>
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

}  // namespace

std::optional<ProcessSample> SampleProcess(int pid) {
  const std::string dir = "/proc/" + std::to_string(pid);
  std::ifstream stat_file(dir + "/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const size_t name_end = stat.rfind(')');
  if (name_end == std::string::npos) {
    return std::nullopt;
  }
  std::istringstream fields(stat.substr(name_end + 2));
  std::string field;
  int64_t utime = 0, stime = 0;
  for (int index = 3; fields >> field; ++index) {
    if (index == 14) {
      utime = std::stoll(field);
    } else if (index == 15) {
      stime = std::stoll(field);
      break;
    }
  }
  std::ifstream status_file(dir + "/status");
  const std::string status((std::istreambuf_iterator<char>(status_file)),
                           std::istreambuf_iterator<char>());
  static const double kTicksPerSecond = static_cast<double>(sysconf(_SC_CLK_TCK));
  return ProcessSample{
      .cpu = absl::Seconds(static_cast<double>(utime + stime) / kTicksPerSecond),
      .rss_kib = StatusKib(status, "VmRSS"),
      .peak_kib = StatusKib(status, "VmHWM"),
  };
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
