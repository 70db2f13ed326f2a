#include "services/mediation/mediation_timers.h"

#include "doleances/mediation/v1/mediation_service.pb.h"

#include <functional>

namespace doleances::mediation {
namespace {

// A timer not fired yet: what it announces, when, and how to mark it fired.
struct PendingTimer {
  Firing firing;
  absl::Time at;
  std::function<void()> mark;
};

// The timers of one running clock not fired yet. `due_firing` is what its due time announces;
// `warning_fired` belongs to a record that must outlive the list, as do what `due_fired` reads
// and `mark_due` sets.
void AddClock(const Firing& due_firing, absl::Time start, bool& warning_fired,
              std::function<bool()> due_fired, std::function<void()> mark_due,
              std::vector<PendingTimer>& pending) {
  if (!warning_fired) {
    Firing warning = due_firing;
    warning.kind = TimerKind::kWarning;
    pending.push_back(
        {warning, WarningTime(start, due_firing.due), [&warning_fired] { warning_fired = true; }});
  }
  if (!due_fired()) {
    pending.push_back({due_firing, due_firing.due, std::move(mark_due)});
  }
}

// The one list of the running clocks' timers, shared by FireDue and NextFireTime; it points into
// `m` and `open_proposals`.
std::vector<PendingTimer> Pending(MediationRecord& m, std::vector<ProposalRecord>& open_proposals) {
  std::vector<PendingTimer> pending;
  if (m.state == v1::MEDIATION_STATE_AWAITING_ADMISSIBILITY && !m.admissibility_stop.has_value()) {
    AddClock(
        {TimerClock::kAdmissibility, TimerKind::kBreach, m.admissibility_due, ""}, m.request_time,
        m.admissibility_warning_fired, [&m] { return m.admissibility_breach_fired; },
        [&m] { m.admissibility_breach_fired = true; }, pending);
  }
  if (m.state == v1::MEDIATION_STATE_IN_PROGRESS && m.saisine_notify_time.has_value() &&
      m.outcome_due.has_value()) {
    AddClock(
        {TimerClock::kOutcome, TimerKind::kBreach, *m.outcome_due, ""}, *m.saisine_notify_time,
        m.outcome_warning_fired, [&m] { return m.outcome_breach_fired; },
        [&m] { m.outcome_breach_fired = true; }, pending);
  }
  for (ProposalRecord& p : open_proposals) {
    if (p.state != v1::PROPOSAL_STATE_OPEN) {
      continue;
    }
    AddClock(
        {TimerClock::kProposalAcceptance, TimerKind::kExpiry, p.acceptance_deadline, p.proposal_id},
        p.create_time, p.warning_fired, [] { return false; },
        [&p] { p.state = v1::PROPOSAL_STATE_EXPIRED; }, pending);
  }
  return pending;
}

}  // namespace

absl::Time WarningTime(absl::Time start, absl::Time due) {
  return start + (due - start) * kWarningFraction;
}

std::vector<Firing> FireDue(MediationRecord& mediation, std::vector<ProposalRecord>& open_proposals,
                            absl::Time now) {
  std::vector<Firing> owed;
  for (PendingTimer& timer : Pending(mediation, open_proposals)) {
    if (timer.at > now) {
      continue;
    }
    timer.mark();
    if (timer.firing.kind == TimerKind::kWarning && timer.firing.due <= now) {
      continue;
    }
    owed.push_back(timer.firing);
  }
  return owed;
}

std::optional<absl::Time> NextFireTime(const MediationRecord& mediation,
                                       const std::vector<ProposalRecord>& open_proposals) {
  MediationRecord m = mediation;
  std::vector<ProposalRecord> proposals = open_proposals;
  std::optional<absl::Time> next;
  for (const PendingTimer& timer : Pending(m, proposals)) {
    if (!next.has_value() || timer.at < *next) {
      next = timer.at;
    }
  }
  return next;
}

}  // namespace doleances::mediation
