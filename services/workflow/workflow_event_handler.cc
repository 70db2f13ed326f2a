#include "services/workflow/workflow_event_handler.h"

#include "common/log/log.h"
#include "doleances/events/v1/events.pb.h"
#include "services/workflow/case_mapping.h"
#include "services/workflow/case_opening.h"
#include "services/workflow/complaint_texts.h"
#include "services/workflow/mediation_outcome.h"
#include "services/workflow/workflow_rpc_support.h"

#include <pqxx/pqxx>

namespace doleances::workflow {
namespace {

// The case an appeal follows: the newest case of the complaint it names (after a transfer, the
// one in the competent administration); empty if workflow has none.
std::optional<std::string> CaseOfRelatedComplaint(pqxx::transaction_base& tx,
                                                  const std::string& related_complaint_id) {
  if (related_complaint_id.empty()) {
    return std::nullopt;
  }
  if (!IsUuid(related_complaint_id)) {  // Intake validates it; a cast error would stall the log.
    log::Warning("appeal names a complaint id that is not a UUID; opened unlinked",
                 {{"related_complaint_id", related_complaint_id}});
    return std::nullopt;
  }
  // Compared as uuid so that cases_by_complaint serves it.
  const pqxx::result rows = tx.exec_params(
      "SELECT case_id::text FROM workflow.cases WHERE complaint_id = $1::uuid"
      " ORDER BY create_time DESC, case_id LIMIT 1",
      related_complaint_id);
  if (rows.empty()) {
    log::Warning("appeal names a complaint workflow has no case for; opened unlinked",
                 {{"related_complaint_id", related_complaint_id}});
    return std::nullopt;
  }
  return rows[0][0].as<std::string>();
}

absl::Status RouteReceivedComplaint(pqxx::work& tx, const events::v1::Event& received,
                                    ComplaintTextSource* texts) {
  const events::v1::ComplaintReceived& complaint = received.complaint_received();
  CaseOpening opening;
  opening.texts = texts;
  opening.input.kind = complaint.kind();
  opening.input.category = complaint.category_hint();
  opening.input.commune_code = complaint.territory().commune_code();
  opening.input.department_code = complaint.territory().department_code();
  opening.input.priority = complaint.priority();
  CaseRecord& record = opening.record;
  record.case_id = NewCaseId();
  record.complaint_id = received.complaint_id();
  record.administration_id = received.administration_id();
  record.kind = complaint.kind();
  record.channel = complaint.channel();
  record.commune_code = opening.input.commune_code;
  record.department_code = opening.input.department_code;
  record.priority = complaint.priority();
  record.receive_time = FromTimestamp(complaint.receive_time());
  record.parent_case_id = CaseOfRelatedComplaint(tx, complaint.related_complaint_id());
  opening.first_entry.actor_kind = type::v1::ACTOR_KIND_SYSTEM;
  return OpenCase(tx, std::move(opening), FromTimestamp(received.occur_time())).status();
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

std::function<void(const std::vector<events::StoredEvent>&)> PrefetchReceivedTexts(
    ComplaintTextSource& texts) {
  return [&texts](const std::vector<events::StoredEvent>& batch) {
    std::vector<std::string> received;
    for (const events::StoredEvent& event : batch) {
      if (event.event_type == "ComplaintReceived") {
        received.push_back(event.aggregate_id);  // Intake's events are keyed by complaint.
      }
    }
    if (!received.empty()) {
      texts.Prefetch(received);
    }
  };
}

}  // namespace doleances::workflow
