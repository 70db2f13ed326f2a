#include "common/db/pg_status.h"

#include "common/log/log.h"

#include <absl/strings/cord.h>
#include <absl/strings/str_cat.h>
#include <pqxx/pqxx>

namespace doleances::db {
namespace {

// Marks ABORTED statuses that come from the database's own conflict detection (as opposed to a
// version check in our code), which the transaction helper retries.
constexpr char kRetryablePayload[] = "type.doleances/retryable_transaction";

absl::Status Retryable(absl::Status status) {
  status.SetPayload(kRetryablePayload, absl::Cord("1"));
  return status;
}

}  // namespace

absl::Status CurrentPgExceptionToStatus(absl::string_view operation) {
  try {
    throw;
  } catch (const pqxx::unique_violation& e) {
    log::Warning("unique violation", {{"operation", operation}, {"sqlstate", e.sqlstate()}});
    return absl::AlreadyExistsError(absl::StrCat(operation, ": already exists"));
  } catch (const pqxx::serialization_failure&) {
    return Retryable(absl::AbortedError(absl::StrCat(operation, ": concurrent update, retry")));
  } catch (const pqxx::deadlock_detected&) {
    return Retryable(absl::AbortedError(absl::StrCat(operation, ": deadlock, retry")));
  } catch (const pqxx::statement_completion_unknown& e) {
    log::Error("statement completion unknown", {{"operation", operation}, {"error", e.what()}});
    return absl::UnknownError(absl::StrCat(operation, ": outcome unknown"));
  } catch (const pqxx::in_doubt_error& e) {
    log::Error("commit in doubt", {{"operation", operation}, {"error", e.what()}});
    return absl::UnknownError(absl::StrCat(operation, ": commit outcome unknown"));
  } catch (const pqxx::broken_connection& e) {
    log::Error("database connection broken", {{"operation", operation}, {"error", e.what()}});
    return absl::UnavailableError(absl::StrCat(operation, ": database unavailable"));
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() == "57014") {  // query_canceled: statement_timeout fired.
      log::Warning("statement cancelled", {{"operation", operation}, {"query", e.query()}});
      return absl::DeadlineExceededError(absl::StrCat(operation, ": database statement timed out"));
    }
    if (e.sqlstate() == "57P01" || e.sqlstate() == "57P02" || e.sqlstate() == "57P03") {
      // admin_shutdown, crash_shutdown, cannot_connect_now: the server is going away.
      log::Error("database shutting down", {{"operation", operation}, {"sqlstate", e.sqlstate()}});
      return absl::UnavailableError(absl::StrCat(operation, ": database unavailable"));
    }
    log::Error("sql error", {{"operation", operation},
                             {"sqlstate", e.sqlstate()},
                             {"query", e.query()},
                             {"error", e.what()}});
    return absl::InternalError(absl::StrCat(operation, " failed"));
  } catch (const std::exception& e) {
    log::Error("database error", {{"operation", operation}, {"error", e.what()}});
    return absl::InternalError(absl::StrCat(operation, " failed"));
  }
}

bool IsRetryableTransactionFailure(const absl::Status& status) {
  return status.code() == absl::StatusCode::kAborted &&
         status.GetPayload(kRetryablePayload).has_value();
}

}  // namespace doleances::db
