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
}

}  // namespace
}  // namespace doleances::db
