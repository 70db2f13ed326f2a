#include "common/util/proto_time.h"
#include "common/util/uuid.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace doleances::util {
namespace {

TEST(UuidTest, IsAVersion4UuidAndUnique) {
  std::set<std::string> seen;
  const std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (int i = 0; i < 1000; ++i) {
    const std::string uuid = NewUuid();
    EXPECT_TRUE(std::regex_match(uuid, shape)) << uuid;
    seen.insert(uuid);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(ProtoTimeTest, RoundTripsMicrosecondsBeforeAndAfterTheEpoch) {
  for (int64_t micros :
       {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{1795000000123456}, int64_t{-1500001}}) {
    const absl::Time time = absl::FromUnixMicros(micros);
    const google::protobuf::Timestamp timestamp = ToTimestamp(time);
    EXPECT_GE(timestamp.nanos(), 0);
    EXPECT_LT(timestamp.nanos(), 1000000000);
    EXPECT_EQ(FromTimestamp(timestamp), time) << micros;
  }
}

}  // namespace
}  // namespace doleances::util
