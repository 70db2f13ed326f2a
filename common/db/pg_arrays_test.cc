#include "common/db/pg_arrays.h"

#include <gtest/gtest.h>

namespace doleances::db {
namespace {

TEST(PgArraysTest, QuotesAndEscapesTextElements) {
  EXPECT_EQ(TextArrayLiteral({}), "{}");
  EXPECT_EQ(TextArrayLiteral({"a", "b c", "d\"e", "f\\g", "h,i"}),
            R"({"a","b c","d\"e","f\\g","h,i"})");
}

TEST(PgArraysTest, JoinsIntegers) {
  EXPECT_EQ(IntArrayLiteral({}), "{}");
  EXPECT_EQ(IntArrayLiteral({1, -2, 30}), "{1,-2,30}");
  EXPECT_EQ(Int64ArrayLiteral({int64_t{1} << 40, -2}), "{1099511627776,-2}");
}

TEST(PgArraysTest, HexEncodesByteaElements) {
  EXPECT_EQ(ByteaArrayLiteral({}), "{}");
  EXPECT_EQ(ByteaArrayLiteral({std::string("\0\x7f\"", 3), ""}), R"({"\\x007f22","\\x"})");
}

}  // namespace
}  // namespace doleances::db
