#pragma once

// RETURN_IF_ERROR / ASSIGN_OR_RETURN, which Abseil 20220623 does not ship.

#include <absl/status/status.h>
#include <absl/status/statusor.h>

#define DOLEANCES_STATUS_CONCAT_INNER(a, b) a##b
#define DOLEANCES_STATUS_CONCAT(a, b) DOLEANCES_STATUS_CONCAT_INNER(a, b)

// Returns the status from the enclosing function when `expr` is not OK.
#define RETURN_IF_ERROR(expr)                  \
  do {                                         \
    ::absl::Status doleances_status_ = (expr); \
    if (!doleances_status_.ok()) {             \
      return doleances_status_;                \
    }                                          \
  } while (false)

// `ASSIGN_OR_RETURN(T x, StatusOr<T> expr)`: declares/assigns x, or returns the error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  DOLEANCES_ASSIGN_OR_RETURN_IMPL(DOLEANCES_STATUS_CONCAT(doleances_statusor_, __LINE__), lhs, expr)

#define DOLEANCES_ASSIGN_OR_RETURN_IMPL(statusor, lhs, expr) \
  auto statusor = (expr);                                    \
  if (!statusor.ok()) {                                      \
    return std::move(statusor).status();                     \
  }                                                          \
  lhs = *std::move(statusor)
