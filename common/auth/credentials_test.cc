#include "common/auth/credentials.h"

#include <gtest/gtest.h>

namespace doleances::auth {
namespace {

TEST(CredentialsTest, ParsesAWellFormedBearerKey) {
  std::optional<ApiKey> key = ParseBearerApiKey("Bearer dk_k1a2_s3cr3tV4lue");
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->key_id, "k1a2");
  EXPECT_EQ(key->secret, "s3cr3tV4lue");
}

TEST(CredentialsTest, FormatThenParseRoundTrips) {
  const ApiKey key{"abc", "xyz123"};
  std::optional<ApiKey> parsed = ParseBearerApiKey("Bearer " + FormatApiKey(key));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->key_id, key.key_id);
  EXPECT_EQ(parsed->secret, key.secret);
}

TEST(CredentialsTest, RejectsMalformedHeaders) {
  for (const char* header :
       {"", "Bearer", "Bearer dk_", "Bearer dk_abc", "Bearer dk__secret", "Bearer dk_abc_",
        "Basic dk_abc_def", "Bearer dk_a-b_c", "Bearer dk_abc_d ef", "bearer dk_abc_def"}) {
    EXPECT_FALSE(ParseBearerApiKey(header).has_value()) << header;
  }
}

}  // namespace
}  // namespace doleances::auth
