#pragma once

#include <absl/time/time.h>
#include <google/protobuf/timestamp.pb.h>

namespace doleances::util {

// absl::Time ↔ google.protobuf.Timestamp, exact to the microsecond (what PostgreSQL keeps).
google::protobuf::Timestamp ToTimestamp(absl::Time time);
absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp);

}  // namespace doleances::util
