#include "common/db/pg_time.h"

#include <absl/strings/str_cat.h>

namespace doleances::db {

std::string TimestampFromMicros(absl::string_view parameter) {
  return absl::StrCat("('epoch'::timestamptz + ", parameter,
                      "::bigint * interval '1 microsecond')");
}

}  // namespace doleances::db
