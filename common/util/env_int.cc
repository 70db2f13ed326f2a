#include "common/util/env_int.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>

#include <cstdlib>

namespace doleances::util {

absl::Status ReadIntFromEnv(const char* variable, int min, int max, int& value) {
  const char* text = std::getenv(variable);
  if (text == nullptr) {
    return absl::OkStatus();
  }
  int parsed = 0;
  if (!absl::SimpleAtoi(text, &parsed) || parsed < min || parsed > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(variable, " must be a whole number from ", min, " to ", max));
  }
  value = parsed;
  return absl::OkStatus();
}

}  // namespace doleances::util
