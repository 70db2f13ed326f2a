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

}  // namespace doleances::util
