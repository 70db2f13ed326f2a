#include "common/util/proto_time.h"

namespace doleances::util {

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  const int64_t micros = absl::ToUnixMicros(time);
  const int64_t seconds = micros >= 0 ? micros / 1000000 : (micros - 999999) / 1000000;
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(static_cast<int32_t>((micros - seconds * 1000000) * 1000));
  return timestamp;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

google::protobuf::Duration ToDuration(absl::Duration duration) {
  const int64_t micros = absl::ToInt64Microseconds(duration);
  google::protobuf::Duration result;
  result.set_seconds(micros / 1000000);  // Both parts carry the sign, as Duration requires.
  result.set_nanos(static_cast<int32_t>((micros % 1000000) * 1000));
  return result;
}

}  // namespace doleances::util
