#include "services/workflow/case_opening.h"

#include "common/events/event_log.h"
#include "common/log/log.h"
#include "doleances/events/v1/events.pb.h"
#include "services/workflow/case_assignment.h"
#include "services/workflow/case_mapping.h"
#include "services/workflow/clock_keeper.h"
#include "services/workflow/pg_case_store.h"
#include "services/workflow/workflow_metrics.h"

#include <absl/strings/str_cat.h>
#include <absl/time/clock.h>
#include <pqxx/pqxx>

namespace doleances::workflow {
namespace {

// Whether any rule matches on keywords, so that the complaint's text is worth reading.
bool AnyKeywordRule(const std::vector<Rule>& rules) {
  for (const Rule& rule : rules) {
    if (!rule.criteria.keywords.empty()) {
      return true;
    }
  }
  return false;
}

absl::StatusOr<RouteDecision> RouteByRules(pqxx::transaction_base& tx, CaseOpening& opening) {
  const RoutingConfig config = PgCaseStore::LoadRoutingConfig(tx, opening.record.administration_id);
  std::vector<Rule> rules;
  for (const std::string& serialized : config.rules) {
    v1::RoutingRule rule;
    if (rule.ParseFromString(serialized)) {
      rules.push_back(RuleFromProto(rule));
    }
  }
  // Events carry no citizen text (DESIGN.md §3): keyword rules match on the subject and
  // description read from intake, and only when some rule has keywords.
  RouteInput& input = opening.input;
  if (opening.texts != nullptr && AnyKeywordRule(rules) && input.subject.empty() &&
      input.description.empty()) {
    absl::StatusOr<ComplaintText> text = opening.texts->Text(opening.record.complaint_id);
    if (absl::IsNotFound(text.status())) {
      log::Warning("complaint text not found in intake; routed without keywords",
                   {{"complaint_id", opening.record.complaint_id}});
    } else if (!text.ok()) {
      return text.status();  // Intake unreachable: the consumer retries this event.
    } else {
      input.subject = std::move(text->subject);
      input.description = std::move(text->description);
    }
  }
  return Route(rules, config.default_queue_id.value_or(""), input);
}

absl::StatusOr<RouteDecision> RouteToNamedQueue(pqxx::transaction_base& tx,
                                                const CaseOpening& opening) {
  const pqxx::result queue = tx.exec_params(
      "SELECT 1 FROM workflow.queues WHERE queue_id::text = $1 AND administration_id = $2"
      " AND active",
      opening.queue_id, opening.record.administration_id);
  if (queue.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("target_queue_id: ", opening.queue_id,
                                                   " is not an active queue of administration ",
                                                   opening.record.administration_id));
  }
  RouteDecision decision;
  decision.method = RouteMethod::kManual;
  decision.queue_id = opening.queue_id;
  decision.category = opening.input.category;
  decision.priority = opening.input.priority;
  decision.explanation = absl::StrCat("placed in queue ", opening.queue_id, " by hand");
  return decision;
}

events::v1::Event RoutedEvent(const CaseRecord& record, const RouteDecision& decision,
                              absl::Time now) {
  events::v1::Event event = WorkflowEvent(record, now);
  events::v1::ComplaintRouted* route = event.mutable_complaint_routed();
  route->set_case_id(record.case_id);
  route->set_queue_id(decision.queue_id);
  route->set_department_id(record.department_id.value_or(""));
  route->set_routing_rule_id(decision.rule_id);
  route->set_method(static_cast<type::v1::RouteMethod>(decision.method));
  route->set_category(decision.category);
  route->set_priority(static_cast<type::v1::Priority>(record.priority));
  route->set_parent_case_id(record.parent_case_id.value_or(""));
  for (const std::string& keyword : decision.matched_keywords) {
    route->add_matched_keywords(keyword);
  }
  return event;
}

}  // namespace

absl::StatusOr<std::optional<CaseRecord>> OpenCase(pqxx::transaction_base& tx, CaseOpening opening,
                                                   absl::Time now) {
  absl::StatusOr<RouteDecision> decision =
      opening.queue_id.empty() ? RouteByRules(tx, opening) : RouteToNamedQueue(tx, opening);
  if (!decision.ok()) {
    return decision.status();
  }
  CaseRecord& record = opening.record;
  record.category = decision->category;
  if (decision->priority != 0) {
    record.priority = decision->priority;
  }
  const bool routed = decision->method != RouteMethod::kNoQueue;
  record.state = routed ? type::v1::CASE_STATE_ROUTED : type::v1::CASE_STATE_RECEIVED;
  if (routed) {
    record.queue_id = decision->queue_id;
  }
  if (!decision->rule_id.empty()) {
    record.routing_rule_id = decision->rule_id;
  }
  if (routed) {
    ++record.event_version;  // ComplaintRouted is the case's first event.
  }
  CaseHistoryEntry first = opening.first_entry;
  first.version = 1;
  first.from_state = type::v1::CASE_STATE_RECEIVED;
  first.to_state = record.state;
  if (first.internal_note.empty()) {
    first.internal_note = decision->explanation;
  } else {
    absl::StrAppend(&first.internal_note, "\n", decision->explanation);
  }
  first.occur_time = now;
  if (!PgCaseStore::CreateCase(tx, record, first)) {
    return std::nullopt;
  }
  if (!routed) {
    log::Warning("no rule and no default queue: case waits for manual routing",
                 {{"administration_id", record.administration_id}});
    // The legal clocks run from receipt, routed or not.
    if (absl::Status started =
            ClockKeeper::ApplyEffect(tx, record, ClockEffect::kStart, now, /*new_case=*/true);
        !started.ok()) {
      return started;
    }
    return record;
  }
  if (absl::Status appended =
          events::EventLog::Append(tx, {record.complaint_id, "ComplaintRouted",
                                        RoutedEvent(record, *decision, now).SerializeAsString()});
      !appended.ok()) {
    return appended;
  }
  if (WorkflowMetrics* metrics = WorkflowMetrics::Current(); metrics != nullptr) {
    metrics->Routed(LabelsOf(record), absl::Now() - record.receive_time);
  }
  if (absl::Status started =
          ClockKeeper::ApplyEffect(tx, record, ClockEffect::kStart, now, /*new_case=*/true);
      !started.ok()) {
    return started;
  }
  if (absl::Status assigned = AssignIfQueueAutoAssigns(tx, record, now); !assigned.ok()) {
    return assigned;
  }
  return record;
}

}  // namespace doleances::workflow
