#include "services/mediation/mediation_deadline_timer.h"

#include "common/db/transaction.h"
#include "common/util/proto_time.h"
#include "services/mediation/mediation_mapping.h"
#include "services/mediation/mediation_timers.h"
#include "services/mediation/pg_mediation_store.h"

#include <string>
#include <utility>
#include <vector>

namespace doleances::mediation {
namespace {

constexpr char kTimerActor[] = "mediation-deadline-timer";

type::v1::ClockKind KindOf(TimerClock clock) {
  switch (clock) {
    case TimerClock::kAdmissibility:
      return type::v1::CLOCK_KIND_MEDIATION_ADMISSIBILITY;
    case TimerClock::kOutcome:
      return type::v1::CLOCK_KIND_MEDIATION_OUTCOME;
    case TimerClock::kProposalAcceptance:
      return type::v1::CLOCK_KIND_PROPOSAL_ACCEPTANCE;
  }
  return type::v1::CLOCK_KIND_UNSPECIFIED;
}

// "MEDIATION_ADMISSIBILITY": the metric label, as MediationServiceImpl writes it.
std::string ClockLabel(TimerClock clock) {
  constexpr absl::string_view kPrefix = "CLOCK_KIND_";
  return type::v1::ClockKind_Name(KindOf(clock)).substr(kPrefix.size());
}

EventMaker Announce(const Firing& firing, absl::Time now) {
  return [firing, now](const MediationRecord& after, int64_t version) {
    type::v1::Actor actor;
    actor.set_kind(type::v1::ACTOR_KIND_SYSTEM);
    actor.set_actor_id(kTimerActor);
    events::v1::Event event = MediationEvent(after, version, actor, now);
    const type::v1::ClockKind clock = KindOf(firing.clock);
    const google::protobuf::Timestamp due = util::ToTimestamp(firing.due);
    switch (firing.kind) {
      case TimerKind::kWarning: {
        events::v1::DeadlineWarning* warning = event.mutable_deadline_warning();
        warning->set_mediation_id(after.mediation_id);
        warning->set_clock(clock);
        *warning->mutable_due_time() = due;
        break;
      }
      case TimerKind::kBreach: {
        events::v1::DeadlineBreached* breach = event.mutable_deadline_breached();
        breach->set_mediation_id(after.mediation_id);
        breach->set_clock(clock);
        *breach->mutable_due_time() = due;
        breach->set_escalates(false);  // Mediation has no automatic escalation.
        break;
      }
      case TimerKind::kExpiry: {
        // The parties let the deadline pass: a fact of the mediation, not a failure.
        events::v1::ClockStopped* stopped = event.mutable_clock_stopped();
        stopped->set_mediation_id(after.mediation_id);
        stopped->set_clock(clock);
        *stopped->mutable_stop_time() = due;
        *stopped->mutable_due_time() = due;
        stopped->set_state(type::v1::CLOCK_STATE_EXPIRED);
        break;
      }
    }
    return ToNewEvent(event);
  };
}

}  // namespace

absl::StatusOr<MediationDeadlineTimer::Pass> MediationDeadlineTimer::RunPass() {
  std::vector<TimerClock> breached;
  absl::StatusOr<Pass> pass = db::RunInTransaction(
      pool_, "mediation_fire_timers", [&](pqxx::work& tx) -> absl::StatusOr<Pass> {
        breached.clear();  // A retried transaction starts over.
        const absl::Time now = clock_();
        Pass result;
        for (MediationRecord& mediation : PgMediationStore::ClaimDueTimers(tx, now, batch_size_)) {
          ++result.claimed;
          std::vector<ProposalRecord> proposals =
              PgMediationStore::OpenProposals(tx, mediation.mediation_id);
          std::vector<EventMaker> makers;
          for (const Firing& firing : FireDue(mediation, proposals, now)) {
            makers.push_back(Announce(firing, now));
            if (firing.kind == TimerKind::kBreach) {
              breached.push_back(firing.clock);
            }
          }
          if (!makers.empty()) {
            mediation.update_time = now;
          }
          absl::StatusOr<MediationRecord> written =
              PgMediationStore::WriteFired(tx, mediation, proposals, makers);
          if (!written.ok()) {
            return written.status();
          }
          result.events += static_cast<int>(makers.size());
        }
        return result;
      });
  if (pass.ok()) {
    for (TimerClock clock : breached) {
      metrics_.DeadlineBreached(ClockLabel(clock));
    }
  }
  return pass;
}

absl::StatusOr<int> MediationDeadlineTimer::FireOnce() {
  absl::StatusOr<Pass> pass = RunPass();
  if (!pass.ok()) {
    return pass.status();
  }
  return pass->events;
}

absl::StatusOr<int> MediationDeadlineTimer::FireAllDue() {
  int total = 0;
  while (true) {
    absl::StatusOr<Pass> pass = RunPass();
    if (!pass.ok()) {
      return pass.status();
    }
    total += pass->events;
    // Every claimed mediation was re-armed past `now`, so this ends.
    if (pass->claimed == 0) {
      return total;
    }
  }
}

}  // namespace doleances::mediation
