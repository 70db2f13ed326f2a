#pragma once

#include <absl/status/status.h>

namespace doleances::util {

// Reads the whole number in environment variable `variable`, if set, into `value` (left alone
// when unset); INVALID_ARGUMENT naming the variable when it is not a number within [min, max].
absl::Status ReadIntFromEnv(const char* variable, int min, int max, int& value);

}  // namespace doleances::util
