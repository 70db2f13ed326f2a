#include "services/workflow/clock_mapping.h"

#include "common/util/proto_time.h"
#include "services/workflow/calendar_mapping.h"

#include <absl/strings/str_split.h>

namespace doleances::workflow {
namespace {

void SetDate(absl::CivilDay day, type::v1::Date* date) {
  date->set_year(static_cast<int>(day.year()));
  date->set_month(day.month());
  date->set_day(day.day());
}

}  // namespace

type::v1::Deadline ToDeadline(const ClockRecord& clock) {
  type::v1::Deadline deadline;
  deadline.set_clock(static_cast<type::v1::ClockKind>(clock.clock));
  deadline.set_state(static_cast<type::v1::ClockState>(clock.state));
  *deadline.mutable_spec() = clock.spec;
  deadline.set_policy_id(clock.policy_id);
  absl::Time start = clock.start_time;
  for (const ClockPauseRecord& pause : clock.pauses) {
    if (pause.resume.has_value() && pause.resume_mode == type::v1::RESUME_MODE_RESTART) {
      start = *pause.resume;
    }
  }
  *deadline.mutable_start_time() = util::ToTimestamp(start);
  if (clock.due_time.has_value()) {
    *deadline.mutable_due_time() = util::ToTimestamp(*clock.due_time);
  }
  if (clock.warning_time.has_value() && clock.running()) {
    *deadline.mutable_warning_time() = util::ToTimestamp(*clock.warning_time);
  }
  if (clock.stop_time.has_value()) {
    *deadline.mutable_stop_time() = util::ToTimestamp(*clock.stop_time);
  }
  if (clock.paused() && !clock.pauses.empty()) {
    deadline.set_pause_reason(static_cast<type::v1::PauseReason>(clock.pauses.back().reason));
    *deadline.mutable_pause_time() = util::ToTimestamp(clock.pauses.back().start);
  }
  return deadline;
}

type::v1::DeadlineExplanation ToExplanation(const ClockRecord& clock,
                                            const calendar::Deadline& deadline) {
  const calendar::Explanation& explained = deadline.explanation;
  type::v1::DeadlineExplanation result;
  result.set_clock(static_cast<type::v1::ClockKind>(clock.clock));
  *result.mutable_spec() = clock.spec;
  result.set_policy_id(clock.policy_id);
  result.set_time_zone(explained.time_zone.name());
  *result.mutable_start_time() = util::ToTimestamp(clock.start_time);
  result.set_start_reason(clock.start_reason);
  for (const ClockPauseRecord& pause : clock.pauses) {
    type::v1::ClockPause* applied = result.add_pauses();
    *applied->mutable_pause_time() = util::ToTimestamp(pause.start);
    if (pause.resume.has_value()) {
      *applied->mutable_resume_time() = util::ToTimestamp(*pause.resume);
    }
    applied->set_reason(static_cast<type::v1::PauseReason>(pause.reason));
    applied->set_resume_mode(static_cast<type::v1::ResumeMode>(pause.resume_mode));
  }
  for (const calendar::DayStatus& day : explained.skipped_days) {
    type::v1::SkippedDay* skipped = result.add_skipped_days();
    SetDate(day.day, skipped->mutable_date());
    skipped->set_reason(SkipReasonOf(day.reason));
    skipped->set_label(day.detail);
  }
  result.set_counted_units(static_cast<int>(explained.counted_days.size()));
  if (explained.raw_due_day.has_value()) {
    SetDate(*explained.raw_due_day, result.mutable_raw_due_date());
    result.set_carried_to_next_business_day(
        explained.due.has_value() &&
        absl::CivilDay(explained.time_zone.At(*explained.due).cs) != *explained.raw_due_day);
  }
  if (deadline.due.has_value()) {
    *result.mutable_due_time() = util::ToTimestamp(*deadline.due);
  }
  for (absl::string_view line : absl::StrSplit(explained.ToString(), '\n', absl::SkipEmpty())) {
    result.add_steps(std::string(line));
  }
  return result;
}

}  // namespace doleances::workflow
