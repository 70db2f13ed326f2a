#include "services/workflow/mediation_requester.h"

#include "common/db/pg_time.h"
#include "common/db/transaction.h"
#include "common/log/log.h"

#include <absl/strings/str_cat.h>
#include <grpcpp/client_context.h>
#include <pqxx/pqxx>

#include <algorithm>
#include <chrono>

namespace doleances::workflow {
namespace {

constexpr auto kCallTimeout = std::chrono::seconds(5);
constexpr absl::Duration kMaxBackoff = absl::Minutes(5);

absl::Duration Backoff(int attempts) {
  return std::min(absl::Seconds(1) * (int64_t{1} << std::min(attempts, 20)), kMaxBackoff);
}

}  // namespace

MediationRequester::MediationRequester(db::ConnectionPool& pool,
                                       std::shared_ptr<grpc::Channel> channel,
                                       std::function<std::string()> api_key,
                                       std::function<absl::Time()> clock)
    : pool_(pool),
      stub_(mediation::v1::MediationService::NewStub(std::move(channel))),
      api_key_(std::move(api_key)),
      clock_(std::move(clock)) {}

absl::StatusOr<int> MediationRequester::SendDue(int limit) {
  int acknowledged = 0;
  for (int i = 0; i < limit; ++i) {
    absl::StatusOr<bool> attempted = SendOne(acknowledged);
    if (!attempted.ok()) {
      return attempted.status();
    }
    if (!*attempted) {
      break;
    }
  }
  return acknowledged;
}

absl::StatusOr<bool> MediationRequester::SendOne(int& acknowledged) {
  return db::RunInTransaction(
      pool_, "workflow_send_mediation_request", [&](pqxx::work& tx) -> absl::StatusOr<bool> {
        const absl::Time now = clock_();
        const pqxx::result due = tx.exec_params(
            absl::StrCat("SELECT case_id::text, request, attempts FROM workflow.mediation_requests"
                         " WHERE mediation_id IS NULL AND next_attempt_time <= ",
                         db::TimestampFromMicros("$1"),
                         " ORDER BY next_attempt_time LIMIT 1 FOR UPDATE SKIP LOCKED"),
            absl::ToUnixMicros(now));
        if (due.empty()) {
          return false;
        }
        const std::string case_id = due[0][0].as<std::string>();
        const int attempts = due[0][2].as<int>() + 1;
        mediation::v1::OpenMediationRequest request;
        request.ParseFromString(pqxx::binarystring(due[0][1]).str());

        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
        if (const std::string key = api_key_(); !key.empty()) {
          context.AddMetadata("authorization", "Bearer " + key);
        }
        mediation::v1::OpenMediationResponse response;
        const grpc::Status status = stub_->OpenMediation(&context, request, &response);
        if (!status.ok()) {
          const std::string error = absl::StrCat(
              "gRPC code ", static_cast<int>(status.error_code()), ": ", status.error_message());
          log::Warning("mediation did not take the request yet; will retry",
                       {{"case_id", case_id},
                        {"attempts", static_cast<long long>(attempts)},
                        {"error", error}});
          tx.exec_params(absl::StrCat("UPDATE workflow.mediation_requests SET attempts = $2,"
                                      " last_error = $3, next_attempt_time = ",
                                      db::TimestampFromMicros("$4"), " WHERE case_id = $1"),
                         case_id, attempts, error, absl::ToUnixMicros(now + Backoff(attempts - 1)));
          return true;
        }
        const std::string& mediation_id = response.mediation().mediation_id();
        tx.exec_params(
            "UPDATE workflow.mediation_requests SET attempts = $2, mediation_id = $3,"
            " last_error = '' WHERE case_id = $1",
            case_id, attempts, mediation_id);
        tx.exec_params("UPDATE workflow.cases SET mediation_id = $2 WHERE case_id = $1", case_id,
                       mediation_id);
        ++acknowledged;
        return true;
      });
}

}  // namespace doleances::workflow
