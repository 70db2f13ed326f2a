#pragma once

#include <absl/time/time.h>
#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>

namespace doleances::util {

// absl::Time ↔ google.protobuf.Timestamp, exact to the microsecond (what PostgreSQL keeps).
google::protobuf::Timestamp ToTimestamp(absl::Time time);
absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp);

// absl::Duration → google.protobuf.Duration, truncated to the microsecond.
google::protobuf::Duration ToDuration(absl::Duration duration);

}  // namespace doleances::util
