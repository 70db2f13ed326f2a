#include "services/workflow/clock_engine.h"

#include "common/util/proto_time.h"

#include <absl/strings/str_cat.h>

#include <algorithm>

namespace doleances::workflow {
namespace {

using type::v1::ClockKind;

// The clocks that start with a case, and restart with a new recourse.
constexpr ClockKind kCaseClocks[] = {
    type::v1::CLOCK_KIND_ACKNOWLEDGEMENT, type::v1::CLOCK_KIND_FIRST_RESPONSE,
    type::v1::CLOCK_KIND_RESOLUTION, type::v1::CLOCK_KIND_STATUTORY_REPLY};

ClockRecord* Find(std::vector<ClockRecord>& clocks, ClockKind kind) {
  auto found = std::find_if(clocks.begin(), clocks.end(),
                            [kind](const ClockRecord& clock) { return clock.clock == kind; });
  return found == clocks.end() ? nullptr : &*found;
}

// The instant the clock last (re)started: the start, or the resume of its latest restart.
absl::Time EffectiveStart(const ClockRecord& clock) {
  absl::Time start = clock.start_time;
  for (const ClockPauseRecord& pause : clock.pauses) {
    if (pause.resume.has_value() && pause.resume_mode == type::v1::RESUME_MODE_RESTART) {
      start = *pause.resume;
    }
  }
  return start;
}

void SetOptionalTime(std::optional<absl::Time> time, google::protobuf::Timestamp* target) {
  if (time.has_value()) {
    *target = util::ToTimestamp(*time);
  }
}

events::v1::Event StartedEvent(const ClockRecord& clock, const ClockCaseContext& context,
                               bool restart) {
  events::v1::Event event;
  events::v1::ClockStarted* started = event.mutable_clock_started();
  started->set_case_id(context.case_id);
  started->set_clock(static_cast<ClockKind>(clock.clock));
  *started->mutable_spec() = clock.spec;
  started->set_policy_id(clock.policy_id);
  *started->mutable_start_time() = util::ToTimestamp(EffectiveStart(clock));
  SetOptionalTime(clock.due_time, started->mutable_due_time());
  SetOptionalTime(clock.warning_time, started->mutable_warning_time());
  started->set_restart(restart);
  return event;
}

events::v1::Event StoppedEvent(const ClockRecord& clock, const ClockCaseContext& context) {
  events::v1::Event event;
  events::v1::ClockStopped* stopped = event.mutable_clock_stopped();
  stopped->set_case_id(context.case_id);
  stopped->set_clock(static_cast<ClockKind>(clock.clock));
  SetOptionalTime(clock.stop_time, stopped->mutable_stop_time());
  SetOptionalTime(clock.due_time, stopped->mutable_due_time());
  stopped->set_state(static_cast<type::v1::ClockState>(clock.state));
  return event;
}

// Stops a clock for good: CANCELLED, or MET / MISSED by its due time.
std::optional<events::v1::Event> Stop(ClockRecord& clock, const ClockCaseContext& context,
                                      absl::Time now, bool cancel) {
  if (clock.stopped()) {
    return std::nullopt;
  }
  if (cancel) {
    clock.state = type::v1::CLOCK_STATE_CANCELLED;
  } else if (clock.state == type::v1::CLOCK_STATE_BREACHED ||
             (clock.running() && clock.due_time.has_value() && now > *clock.due_time)) {
    clock.state = type::v1::CLOCK_STATE_MISSED;
  } else {
    clock.state = type::v1::CLOCK_STATE_MET;
  }
  if (!clock.pauses.empty() && !clock.pauses.back().resume.has_value()) {
    clock.pauses.back().resume = now;  // A paused clock stops where it stood.
    clock.pauses.back().resume_mode = type::v1::RESUME_MODE_CONTINUE;
  }
  clock.stop_time = now;
  clock.dirty = true;
  return StoppedEvent(clock, context);
}

std::optional<events::v1::Event> Pause(ClockRecord& clock, const ClockCaseContext& context,
                                       absl::Time now, type::v1::PauseReason reason) {
  // A breached clock runs on: its deadline has passed, a pause could not give it back.
  if (clock.state != type::v1::CLOCK_STATE_RUNNING) {
    return std::nullopt;
  }
  clock.state = type::v1::CLOCK_STATE_PAUSED;
  clock.pauses.push_back({.start = now, .resume = std::nullopt, .reason = reason});
  clock.due_time.reset();
  clock.warning_time.reset();
  clock.dirty = true;
  events::v1::Event event;
  events::v1::ClockPaused* paused = event.mutable_clock_paused();
  paused->set_case_id(context.case_id);
  paused->set_clock(static_cast<ClockKind>(clock.clock));
  *paused->mutable_pause_time() = util::ToTimestamp(now);
  paused->set_reason(reason);
  return event;
}

}  // namespace

absl::StatusOr<calendar::Deadline> ClockEngine::Compute(const ClockRecord& clock) const {
  std::vector<calendar::Pause> pauses;
  for (const ClockPauseRecord& pause : clock.pauses) {
    pauses.push_back({pause.start, pause.resume});
  }
  return calendar::ComputeDeadline(calendar_, ToCalendarPolicy(clock.spec, clock.clock),
                                   clock.start_time, pauses);
}

absl::Status ClockEngine::Recompute(ClockRecord& clock) const {
  absl::StatusOr<calendar::Deadline> deadline = Compute(clock);
  if (!deadline.ok()) {
    return deadline.status();
  }
  if (deadline->due != clock.due_time) {
    // A new due time is a new deadline: its warning and breach may fire again.
    clock.warning_fired = false;
    clock.due_fired = false;
  }
  clock.due_time = deadline->due;
  clock.warning_time.reset();
  if (clock.due_time.has_value() && clock.warning_percent > 0) {
    const absl::Time start = EffectiveStart(clock);
    clock.warning_time = start + (*clock.due_time - start) * clock.warning_percent / 100;
  }
  clock.dirty = true;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<events::v1::Event>> ClockEngine::Restart(
    ClockRecord& clock, const ClockCaseContext& context, absl::Time start,
    const std::string& reason) const {
  std::optional<ResolvedPolicy> policy = policy_for_(static_cast<ClockKind>(clock.clock));
  if (!policy.has_value()) {
    return Stop(clock, context, start, /*cancel=*/true);
  }
  clock.policy_id = policy->policy_id;
  clock.spec = policy->spec;
  clock.pause_while_awaiting_citizen = policy->pause_while_awaiting_citizen;
  clock.warning_percent = policy->warning_percent;
  clock.escalate_on_breach = policy->escalate_on_breach;
  clock.state = type::v1::CLOCK_STATE_RUNNING;
  clock.start_time = start;
  clock.start_reason = reason;
  clock.stop_time.reset();
  clock.pauses.clear();
  clock.due_time.reset();
  if (absl::Status computed = Recompute(clock); !computed.ok()) {
    return computed;
  }
  return StartedEvent(clock, context, /*restart=*/true);
}

absl::StatusOr<std::optional<events::v1::Event>> ClockEngine::Start(
    ClockKind kind, const ClockCaseContext& context, absl::Time start, const std::string& reason,
    std::vector<ClockRecord>& clocks) const {
  if (ClockRecord* existing = Find(clocks, kind); existing != nullptr) {
    return Restart(*existing, context, start, reason);
  }
  std::optional<ResolvedPolicy> policy = policy_for_(kind);
  if (!policy.has_value()) {
    return std::nullopt;
  }
  ClockRecord clock;
  clock.clock = kind;
  clock.policy_id = policy->policy_id;
  clock.spec = policy->spec;
  clock.pause_while_awaiting_citizen = policy->pause_while_awaiting_citizen;
  clock.warning_percent = policy->warning_percent;
  clock.escalate_on_breach = policy->escalate_on_breach;
  clock.start_time = start;
  clock.start_reason = reason;
  if (absl::Status computed = Recompute(clock); !computed.ok()) {
    return computed;
  }
  clocks.push_back(std::move(clock));
  return StartedEvent(clocks.back(), context, /*restart=*/false);
}

absl::StatusOr<std::vector<events::v1::Event>> ClockEngine::Apply(
    ClockEffect effect, const ClockCaseContext& context, absl::Time now,
    std::vector<ClockRecord>& clocks) const {
  std::vector<events::v1::Event> emitted;
  auto emit = [&emitted](std::optional<events::v1::Event> event) {
    if (event.has_value()) {
      emitted.push_back(*std::move(event));
    }
  };
  auto stop = [&](ClockKind kind, bool cancel) {
    if (ClockRecord* clock = Find(clocks, kind); clock != nullptr) {
      emit(Stop(*clock, context, now, cancel));
    }
  };
  // Resumes the clocks paused for `reason`, continuing or restarting as their spec says.
  auto resume = [&](type::v1::PauseReason reason) -> absl::Status {
    for (ClockRecord& clock : clocks) {
      if (!clock.paused() || clock.pauses.empty() || clock.pauses.back().reason != reason) {
        continue;
      }
      ClockPauseRecord& pause = clock.pauses.back();
      pause.resume = now;
      pause.resume_mode = clock.spec.resume_mode() == type::v1::RESUME_MODE_RESTART
                              ? type::v1::RESUME_MODE_RESTART
                              : type::v1::RESUME_MODE_CONTINUE;
      clock.state = type::v1::CLOCK_STATE_RUNNING;
      if (absl::Status computed = Recompute(clock); !computed.ok()) {
        return computed;
      }
      if (pause.resume_mode == type::v1::RESUME_MODE_RESTART) {
        emitted.push_back(StartedEvent(clock, context, /*restart=*/true));
        continue;
      }
      events::v1::Event event;
      events::v1::ClockResumed* resumed = event.mutable_clock_resumed();
      resumed->set_case_id(context.case_id);
      resumed->set_clock(static_cast<ClockKind>(clock.clock));
      *resumed->mutable_resume_time() = util::ToTimestamp(now);
      SetOptionalTime(clock.due_time, resumed->mutable_due_time());
      SetOptionalTime(clock.warning_time, resumed->mutable_warning_time());
      *resumed->mutable_paused_duration() = util::ToDuration(now - pause.start);
      emitted.push_back(std::move(event));
    }
    return absl::OkStatus();
  };
  auto start = [&](ClockKind kind, absl::Time at, const std::string& reason) -> absl::Status {
    absl::StatusOr<std::optional<events::v1::Event>> started =
        Start(kind, context, at, reason, clocks);
    if (!started.ok()) {
      return started.status();
    }
    emit(*std::move(started));
    return absl::OkStatus();
  };

  switch (effect) {
    case ClockEffect::kNone:
      break;
    case ClockEffect::kStart:
      for (ClockKind kind : kCaseClocks) {
        if (Find(clocks, kind) == nullptr) {
          const bool from_transfer =
              context.transfer_time.has_value() && kind != type::v1::CLOCK_KIND_STATUTORY_REPLY;
          if (absl::Status started =
                  from_transfer ? start(kind, *context.transfer_time, "case transferred in")
                                : start(kind, context.receive_time, "complaint received");
              !started.ok()) {
            return started;
          }
        }
      }
      break;
    case ClockEffect::kPauseAwaitingCitizen:
      // Asking the citizen for information is the case's first substantive answer.
      stop(type::v1::CLOCK_KIND_ACKNOWLEDGEMENT, false);
      stop(type::v1::CLOCK_KIND_FIRST_RESPONSE, false);
      for (ClockRecord& clock : clocks) {
        if (clock.pause_while_awaiting_citizen &&
            clock.clock != type::v1::CLOCK_KIND_APPEAL_WINDOW) {
          emit(Pause(clock, context, now, type::v1::PAUSE_REASON_AWAITING_CITIZEN));
        }
      }
      break;
    case ClockEffect::kResumeFromCitizen:
      if (absl::Status resumed = resume(type::v1::PAUSE_REASON_AWAITING_CITIZEN); !resumed.ok()) {
        return resumed;
      }
      break;
    case ClockEffect::kPauseInMediation:
      for (ClockRecord& clock : clocks) {
        if (clock.clock == type::v1::CLOCK_KIND_RESOLUTION ||
            clock.clock == type::v1::CLOCK_KIND_STATUTORY_REPLY ||
            clock.clock == type::v1::CLOCK_KIND_APPEAL_WINDOW) {
          emit(Pause(clock, context, now, type::v1::PAUSE_REASON_IN_MEDIATION));
        }
      }
      break;
    case ClockEffect::kResumeFromMediation:
      if (absl::Status resumed = resume(type::v1::PAUSE_REASON_IN_MEDIATION); !resumed.ok()) {
        return resumed;
      }
      break;
    case ClockEffect::kEscalate:
      stop(type::v1::CLOCK_KIND_APPEAL_WINDOW, false);
      for (ClockKind kind :
           {type::v1::CLOCK_KIND_FIRST_RESPONSE, type::v1::CLOCK_KIND_RESOLUTION}) {
        if (absl::Status started = start(kind, now, "restarted on escalation"); !started.ok()) {
          return started;
        }
      }
      break;
    case ClockEffect::kStopForDecision:
      for (ClockKind kind : kCaseClocks) {
        stop(kind, false);
      }
      if (absl::Status started =
              start(type::v1::CLOCK_KIND_APPEAL_WINDOW, now, "decision notified");
          !started.ok()) {
        return started;
      }
      break;
    case ClockEffect::kStop:
      for (ClockKind kind : kCaseClocks) {
        stop(kind, false);
      }
      break;
    case ClockEffect::kCancel:
      for (ClockRecord& clock : clocks) {
        emit(Stop(clock, context, now, true));
      }
      break;
    case ClockEffect::kRestartForRecourse:
      stop(type::v1::CLOCK_KIND_APPEAL_WINDOW, false);
      for (ClockKind kind : kCaseClocks) {
        if (absl::Status started = start(kind, now, "new recourse"); !started.ok()) {
          return started;
        }
      }
      break;
  }
  return emitted;
}

absl::StatusOr<std::vector<events::v1::Event>> ClockEngine::FireDue(
    const ClockCaseContext& context, absl::Time now, std::vector<ClockRecord>& clocks) const {
  std::vector<events::v1::Event> emitted;
  bool implicit_decision = false;
  absl::Time implicit_decision_time;
  for (ClockRecord& clock : clocks) {
    if (!clock.running() || !clock.due_time.has_value()) {
      continue;
    }
    const absl::Time due = *clock.due_time;
    if (!clock.warning_fired && clock.warning_time.has_value() && *clock.warning_time <= now) {
      clock.warning_fired = true;
      clock.dirty = true;
      if (due > now) {
        events::v1::Event event;
        events::v1::DeadlineWarning* warning = event.mutable_deadline_warning();
        warning->set_case_id(context.case_id);
        warning->set_clock(static_cast<ClockKind>(clock.clock));
        *warning->mutable_due_time() = util::ToTimestamp(due);
        warning->set_queue_id(context.queue_id);
        warning->set_department_id(context.department_id);
        emitted.push_back(std::move(event));
      }
    }
    if (clock.due_fired || due > now) {
      continue;
    }
    clock.due_fired = true;
    clock.dirty = true;
    if (IsLegalClock(clock.clock)) {
      clock.state = type::v1::CLOCK_STATE_EXPIRED;
      clock.stop_time = due;
      emitted.push_back(StoppedEvent(clock, context));
      if (clock.clock == type::v1::CLOCK_KIND_STATUTORY_REPLY) {
        implicit_decision = true;
        implicit_decision_time = due;
        events::v1::Event event;
        events::v1::ImplicitDecisionReached* decision = event.mutable_implicit_decision_reached();
        decision->set_case_id(context.case_id);
        decision->set_clock(type::v1::CLOCK_KIND_STATUTORY_REPLY);
        *decision->mutable_due_time() = util::ToTimestamp(due);
        // Silence on a recours is a rejection (CRPA L231-4).
        decision->set_decision(events::v1::IMPLICIT_DECISION_REJECTION);
        emitted.push_back(std::move(event));
      }
      continue;
    }
    clock.state = type::v1::CLOCK_STATE_BREACHED;
    events::v1::Event event;
    events::v1::DeadlineBreached* breach = event.mutable_deadline_breached();
    breach->set_case_id(context.case_id);
    breach->set_clock(static_cast<ClockKind>(clock.clock));
    *breach->mutable_due_time() = util::ToTimestamp(due);
    breach->set_queue_id(context.queue_id);
    breach->set_department_id(context.department_id);
    breach->set_escalates(clock.escalate_on_breach);
    emitted.push_back(std::move(event));
  }
  if (implicit_decision) {
    // The implicit decision is notified at the deadline: the citizen's appeal window opens then.
    absl::StatusOr<std::optional<events::v1::Event>> window =
        Start(type::v1::CLOCK_KIND_APPEAL_WINDOW, context, implicit_decision_time,
              "implicit rejection", clocks);
    if (!window.ok()) {
      return window.status();
    }
    if (window->has_value()) {
      emitted.push_back(**window);
    }
  }
  return emitted;
}

}  // namespace doleances::workflow
