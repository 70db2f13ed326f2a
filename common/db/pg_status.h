#pragma once

#include <absl/status/status.h>
#include <absl/strings/string_view.h>

namespace doleances::db {

// The one place where libpqxx exceptions become absl::Status. Call it only inside a catch block:
// it rethrows the exception in flight to classify it.
//   unique_violation → ALREADY_EXISTS, serialization_failure/deadlock → ABORTED,
//   broken_connection → UNAVAILABLE, in_doubt_error / statement_completion_unknown → UNKNOWN,
//   query_canceled (statement timeout) → DEADLINE_EXCEEDED, anything else → INTERNAL.
// SQLSTATE, query and server message go to the log; the returned message names only `operation`.
absl::Status CurrentPgExceptionToStatus(absl::string_view operation);

// True for the failures that a fresh attempt of the whole transaction may cure.
bool IsRetryableTransactionFailure(const absl::Status& status);

}  // namespace doleances::db
