#include "services/workflow/clock_keeper.h"

#include "services/workflow/calendar_mapping.h"
#include "services/workflow/case_events.h"
#include "services/workflow/pg_clock_store.h"
#include "services/workflow/workflow_metrics.h"

namespace doleances::workflow {
namespace {

absl::StatusOr<std::shared_ptr<const calendar::BusinessCalendar>> CalendarOf(
    pqxx::transaction_base& tx, const std::string& administration_id) {
  std::optional<v1::Calendar> stored = PgClockStore::LoadCalendar(tx, administration_id);
  return BusinessCalendarFor(stored.value_or(DefaultCalendar(administration_id)));
}

ClockCaseContext ContextOf(const CaseRecord& record) {
  return {record.case_id, record.queue_id.value_or(""), record.department_id.value_or(""),
          record.receive_time, record.transfer_time};
}

// Counts met and breached deadlines (the statutory silence expiring is the administration's
// breach too; the citizen's appeal window expiring is not).
void ReportDeadlines(const CaseRecord& record, const std::vector<events::v1::Event>& emitted) {
  WorkflowMetrics* metrics = WorkflowMetrics::Current();
  if (metrics == nullptr) {
    return;
  }
  const std::string department = record.department_id.value_or("");
  for (const events::v1::Event& event : emitted) {
    if (event.has_deadline_breached()) {
      metrics->DeadlineBreached(record.administration_id, department,
                                ClockLabel(event.deadline_breached().clock()));
    } else if (event.has_clock_stopped()) {
      const events::v1::ClockStopped& stopped = event.clock_stopped();
      if (stopped.state() == type::v1::CLOCK_STATE_MET) {
        metrics->DeadlineMet(record.administration_id, department, ClockLabel(stopped.clock()));
      } else if (stopped.state() == type::v1::CLOCK_STATE_EXPIRED &&
                 stopped.clock() == type::v1::CLOCK_KIND_STATUTORY_REPLY) {
        metrics->DeadlineBreached(record.administration_id, department,
                                  ClockLabel(stopped.clock()));
      }
    }
  }
}

// Runs `step` on the case's clocks, then saves and announces what it changed.
template <typename Step>
absl::StatusOr<int> RunClocks(pqxx::transaction_base& tx, CaseRecord& record, absl::Time now,
                              bool new_case, Step step) {
  PgClockStore::ClockRules rules = PgClockStore::LoadClockRules(tx, record.administration_id);
  absl::StatusOr<std::shared_ptr<const calendar::BusinessCalendar>> calendar =
      BusinessCalendarFor(rules.calendar.value_or(DefaultCalendar(record.administration_id)));
  if (!calendar.ok()) {
    return calendar.status();
  }
  const std::vector<v1::DeadlinePolicy>& policies = rules.policies;
  const PolicyMatchInput match{record.kind, record.category, record.priority};
  const ClockEngine engine(
      **calendar, [&](type::v1::ClockKind clock) { return ResolvePolicy(policies, clock, match); });
  std::vector<ClockRecord> clocks =
      new_case ? std::vector<ClockRecord>{} : PgClockStore::LoadClocks(tx, record.case_id);
  absl::StatusOr<std::vector<events::v1::Event>> emitted = step(engine, ContextOf(record), clocks);
  if (!emitted.ok()) {
    return emitted.status();
  }
  ReportDeadlines(record, *emitted);
  const int count = static_cast<int>(emitted->size());
  if (absl::Status appended =
          AppendCaseEvents(tx, record, now, *std::move(emitted), /*store_version=*/false);
      !appended.ok()) {
    return appended;
  }
  PgClockStore::SaveClocks(tx, record.case_id, clocks, record.event_version);
  return count;
}

}  // namespace

absl::Status ClockKeeper::ApplyEffect(pqxx::transaction_base& tx, CaseRecord& record,
                                      ClockEffect effect, absl::Time now, bool new_case) {
  if (effect == ClockEffect::kNone) {
    return absl::OkStatus();
  }
  return RunClocks(tx, record, now, new_case,
                   [&](const ClockEngine& engine, const ClockCaseContext& context,
                       std::vector<ClockRecord>& clocks) {
                     return engine.Apply(effect, context, now, clocks);
                   })
      .status();
}

absl::StatusOr<ClockKeeper::Fired> ClockKeeper::FireDue(pqxx::transaction_base& tx,
                                                        CaseRecord& record, absl::Time now) {
  Fired fired;
  absl::StatusOr<int> events =
      RunClocks(tx, record, now, /*new_case=*/false,
                [&](const ClockEngine& engine, const ClockCaseContext& context,
                    std::vector<ClockRecord>& clocks) {
                  absl::StatusOr<std::vector<events::v1::Event>> emitted =
                      engine.FireDue(context, now, clocks);
                  if (emitted.ok()) {
                    for (const events::v1::Event& event : *emitted) {
                      if (event.has_deadline_breached() && event.deadline_breached().escalates()) {
                        fired.escalate_for = event.deadline_breached().clock();
                      }
                    }
                  }
                  return emitted;
                });
  if (!events.ok()) {
    return events.status();
  }
  fired.events = *events;
  return fired;
}

absl::StatusOr<ClockKeeper::Snapshot> ClockKeeper::Load(pqxx::transaction_base& tx,
                                                        const CaseRecord& record) {
  absl::StatusOr<std::shared_ptr<const calendar::BusinessCalendar>> calendar =
      CalendarOf(tx, record.administration_id);
  if (!calendar.ok()) {
    return calendar.status();
  }
  return Snapshot{PgClockStore::LoadClocks(tx, record.case_id), *std::move(calendar)};
}

}  // namespace doleances::workflow
