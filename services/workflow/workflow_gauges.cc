#include "services/workflow/workflow_gauges.h"

#include "common/db/transaction.h"
#include "doleances/type/v1/complaint.pb.h"

#include <pqxx/pqxx>

namespace doleances::workflow {
namespace {

std::string StateLabel(int state) {
  return EnumLabel(type::v1::CaseState_Name(static_cast<type::v1::CaseState>(state)),
                   "CASE_STATE_");
}

}  // namespace

absl::Status RefreshWorkflowGauges(db::ConnectionPool& pool, WorkflowMetrics& metrics) {
  using Count = WorkflowMetrics::Count;
  struct Counts {
    std::vector<Count> open, past, near;
  };
  absl::StatusOr<Counts> counts = db::RunInTransaction(
      pool, "workflow_refresh_gauges", [](pqxx::work& tx) -> absl::StatusOr<Counts> {
        Counts result;
        for (const pqxx::row& row :
             tx.exec("SELECT c.administration_id, COALESCE(q.department_id::text, ''), c.state,"
                     " count(*) FROM workflow.cases c LEFT JOIN workflow.queues q"
                     " ON q.queue_id = c.queue_id WHERE c.state NOT IN (7, 10, 12, 13)"
                     " GROUP BY 1, 2, 3")) {
          result.open.push_back({{{"administration", row[0].as<std::string>()},
                                  {"department", row[1].as<std::string>()},
                                  {"state", StateLabel(row[2].as<int>())}},
                                 row[3].as<double>()});
        }
        // BREACHED = 3, RUNNING = 1 (type.v1.ClockState).
        for (const pqxx::row& row :
             tx.exec("SELECT c.administration_id, COALESCE(q.department_id::text, ''), k.clock,"
                     " count(*) FILTER (WHERE k.state = 3),"
                     " count(*) FILTER (WHERE k.state = 1 AND k.due_time - now() <"
                     "   (k.due_time - k.start_time) * 0.2)"
                     " FROM workflow.case_clocks k JOIN workflow.cases c ON c.case_id = k.case_id"
                     " LEFT JOIN workflow.queues q ON q.queue_id = c.queue_id"
                     " WHERE k.state IN (1, 3) AND k.clock <> 5 GROUP BY 1, 2, 3")) {
          const std::map<std::string, std::string> labels = {
              {"administration", row[0].as<std::string>()},
              {"department", row[1].as<std::string>()},
              {"clock", ClockLabel(row[2].as<int>())}};
          result.past.push_back({labels, row[3].as<double>()});
          result.near.push_back({labels, row[4].as<double>()});
        }
        return result;
      });
  if (!counts.ok()) {
    return counts.status();
  }
  metrics.SetOpenCases(counts->open);
  metrics.SetPastDeadline(counts->past);
  metrics.SetNearDeadline(counts->near);
  return absl::OkStatus();
}

}  // namespace doleances::workflow
