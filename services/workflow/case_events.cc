#include "services/workflow/case_events.h"

#include "common/events/event_log.h"
#include "services/workflow/case_mapping.h"

#include <absl/strings/str_cat.h>

namespace doleances::workflow {

absl::Status AppendCaseEvents(pqxx::transaction_base& tx, CaseRecord& record, absl::Time now,
                              std::vector<events::v1::Event> payloads, bool store_version) {
  for (events::v1::Event& payload : payloads) {
    ++record.event_version;
    events::v1::Event event = WorkflowEvent(record, now);
    event.MergeFrom(payload);
    // The event type is the payload's message name ("ClockStarted").
    const std::string type =
        event.GetDescriptor()->FindFieldByNumber(event.payload_case())->message_type()->name();
    if (absl::Status appended =
            events::EventLog::Append(tx, {record.complaint_id, type, event.SerializeAsString()});
        !appended.ok()) {
      return appended;
    }
  }
  if (store_version && !payloads.empty()) {
    tx.exec_params("UPDATE workflow.cases SET event_version = $2 WHERE case_id = $1",
                   record.case_id, record.event_version);
  }
  return absl::OkStatus();
}

}  // namespace doleances::workflow
