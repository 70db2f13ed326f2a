#include "services/workflow/workflow_event_handler.h"

#include "common/log/log.h"
#include "doleances/events/v1/events.pb.h"
#include "services/workflow/case_assignment.h"
#include "services/workflow/case_mapping.h"
#include "services/workflow/clock_keeper.h"
#include "services/workflow/complaint_texts.h"
#include "services/workflow/mediation_outcome.h"
#include "services/workflow/workflow_metrics.h"

#include <absl/time/clock.h>
#include "services/workflow/pg_case_store.h"
#include "services/workflow/routing.h"

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

absl::Status RouteReceivedComplaint(pqxx::work& tx, const events::v1::Event& received,
                                    ComplaintTextSource* texts) {
  const events::v1::ComplaintReceived& complaint = received.complaint_received();
  const RoutingConfig config = PgCaseStore::LoadRoutingConfig(tx, received.administration_id());
  std::vector<Rule> rules;
  for (const std::string& serialized : config.rules) {
    v1::RoutingRule rule;
    if (rule.ParseFromString(serialized)) {
      rules.push_back(RuleFromProto(rule));
    }
  }
  RouteInput input;
  input.kind = complaint.kind();
  input.category = complaint.category_hint();
  input.commune_code = complaint.territory().commune_code();
  input.department_code = complaint.territory().department_code();
  input.priority = complaint.priority();
  // Events carry no citizen text (DESIGN.md §3): keyword rules match on the subject and
  // description read from intake, and only when some rule has keywords.
  if (texts != nullptr && AnyKeywordRule(rules)) {
    absl::StatusOr<ComplaintText> text = texts->Text(received.complaint_id());
    if (absl::IsNotFound(text.status())) {
      log::Warning("complaint text not found in intake; routed without keywords",
                   {{"complaint_id", received.complaint_id()}});
    } else if (!text.ok()) {
      return text.status();  // Intake unreachable: the consumer retries this event.
    } else {
      input.subject = std::move(text->subject);
      input.description = std::move(text->description);
    }
  }
  const RouteDecision decision = Route(rules, config.default_queue_id.value_or(""), input);

  const absl::Time now = FromTimestamp(received.occur_time());
  CaseRecord record;
  record.case_id = NewCaseId();
  record.complaint_id = received.complaint_id();
  record.administration_id = received.administration_id();
  record.kind = complaint.kind();
  record.category = decision.category;
  record.commune_code = input.commune_code;
  record.department_code = input.department_code;
  record.priority = decision.priority != 0 ? decision.priority : complaint.priority();
  record.receive_time = FromTimestamp(complaint.receive_time());
  const bool routed = decision.method != RouteMethod::kNoQueue;
  record.state = routed ? type::v1::CASE_STATE_ROUTED : type::v1::CASE_STATE_RECEIVED;
  if (routed) {
    record.queue_id = decision.queue_id;
  }
  if (!decision.rule_id.empty()) {
    record.routing_rule_id = decision.rule_id;
  }
  record.event_version = routed ? 1 : 0;  // ComplaintRouted is the case's first event.
  CaseHistoryEntry first;
  first.version = 1;
  first.from_state = type::v1::CASE_STATE_RECEIVED;
  first.to_state = record.state;
  first.actor_kind = type::v1::ACTOR_KIND_SYSTEM;
  first.internal_note = decision.explanation;
  first.occur_time = now;
  if (!PgCaseStore::CreateCase(tx, record, first)) {
    return absl::OkStatus();  // Redelivered: the case exists already.
  }
  if (!routed) {
    log::Warning("no rule and no default queue: case waits for manual routing",
                 {{"administration_id", record.administration_id}});
    // The legal clocks run from receipt, routed or not.
    return ClockKeeper::ApplyEffect(tx, record, ClockEffect::kStart, now, /*new_case=*/true);
  }
  events::v1::Event event = WorkflowEvent(record, now);
  events::v1::ComplaintRouted* route = event.mutable_complaint_routed();
  route->set_case_id(record.case_id);
  route->set_queue_id(decision.queue_id);
  route->set_department_id(record.department_id.value_or(""));
  route->set_routing_rule_id(decision.rule_id);
  route->set_method(static_cast<type::v1::RouteMethod>(decision.method));
  route->set_category(decision.category);
  route->set_priority(static_cast<type::v1::Priority>(record.priority));
  for (const std::string& keyword : decision.matched_keywords) {
    route->add_matched_keywords(keyword);
  }
  if (absl::Status appended = events::EventLog::Append(
          tx, {record.complaint_id, "ComplaintRouted", event.SerializeAsString()});
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
  return AssignIfQueueAutoAssigns(tx, record, now);
}

absl::Status Apply(pqxx::work& tx, const events::StoredEvent& stored, ComplaintTextSource* texts) {
  events::v1::Event event;
  if (!event.ParseFromString(stored.payload)) {
    log::Error("unreadable event skipped", {{"event_id", static_cast<long long>(stored.id)}});
    return absl::OkStatus();
  }
  switch (event.payload_case()) {
    case events::v1::Event::kComplaintReceived:
      return RouteReceivedComplaint(tx, event, texts);
    case events::v1::Event::kMediationClosed: {
      // The outcome reaches the case through the log even if workflow was down when it closed.
      const events::v1::MediationClosed& closed = event.mediation_closed();
      absl::StatusOr<OutcomeApplied> applied =
          ApplyMediationOutcome(tx, closed.case_id(), closed.mediation_id(), closed.outcome(),
                                FromTimestamp(event.occur_time()));
      if (absl::IsNotFound(applied.status())) {
        log::Warning("mediation closed for an unknown case", {{"case_id", closed.case_id()}});
        return absl::OkStatus();
      }
      return applied.status();
    }
    default:
      return absl::OkStatus();
  }
}

}  // namespace

absl::Status ApplyWorkflowEvent(pqxx::work& tx, const events::StoredEvent& stored) {
  return Apply(tx, stored, nullptr);
}

events::EventHandler WorkflowEventHandler(ComplaintTextSource& texts) {
  return [&texts](pqxx::work& tx, const events::StoredEvent& stored) {
    return Apply(tx, stored, &texts);
  };
}

}  // namespace doleances::workflow
