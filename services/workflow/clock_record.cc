#include "services/workflow/clock_record.h"

namespace doleances::workflow {

std::optional<absl::Time> ClockRecord::NextFireTime() const {
  if (!running()) {
    return std::nullopt;
  }
  if (!warning_fired && warning_time.has_value()) {
    return warning_time;
  }
  if (!due_fired && due_time.has_value()) {
    return due_time;
  }
  return std::nullopt;
}

}  // namespace doleances::workflow
