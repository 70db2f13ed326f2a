#include "services/intake/tracking_code.h"

#include "common/status/grpc_status.h"
#include "common/testing/status_matchers.h"

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/ascii.h>
#include <absl/strings/str_replace.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace doleances::intake {
namespace {

using ::doleances::testing::IsOk;
using ::doleances::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr int kCodeSymbols = 14;

// Index of the n-th symbol of a display-form code, skipping the dashes.
int DisplayIndex(int symbol) { return symbol + symbol / 4; }

bool IsAccepted(const std::string& code) { return NormalizeTrackingCode(code).ok(); }

TEST(TrackingCodeTest, NewCodeHasTheDisplayShape) {
  EXPECT_THAT(NewTrackingCode(), MatchesRegex("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){2}-"
                                              "[0-9A-HJKMNP-TV-Z]{2}"));
}

TEST(TrackingCodeTest, DisplayLengthAndRandomBitsMeetTheContract) {
  const std::string code = NewTrackingCode();
  EXPECT_EQ(code.size(), static_cast<size_t>(kTrackingCodeDisplayLength));
  EXPECT_GE(kTrackingCodeRandomBits, 60);
  // One check symbol besides the random ones, each carrying 5 bits.
  EXPECT_EQ(absl::StrReplaceAll(code, {{"-", ""}}).size() * 5,
            static_cast<size_t>(kTrackingCodeRandomBits + 5));
}

TEST(TrackingCodeTest, NewCodeRoundTripsThroughNormalize) {
  for (int i = 0; i < 1000; ++i) {
    const std::string code = NewTrackingCode();
    absl::StatusOr<std::string> normalized = NormalizeTrackingCode(code);
    ASSERT_THAT(normalized, IsOk());
    EXPECT_EQ(*normalized, code);
  }
}

TEST(TrackingCodeTest, EverySingleSubstitutionIsRejected) {
  for (int sample = 0; sample < 20; ++sample) {
    const std::string code = NewTrackingCode();
    for (int symbol = 0; symbol < kCodeSymbols; ++symbol) {
      const int index = DisplayIndex(symbol);
      for (char replacement : std::string(kAlphabet)) {
        if (replacement == code[index]) {
          continue;
        }
        std::string typo = code;
        typo[index] = replacement;
        EXPECT_FALSE(IsAccepted(typo)) << "symbol " << symbol << " -> " << replacement;
      }
    }
  }
}

TEST(TrackingCodeTest, EveryAdjacentTranspositionIsRejected) {
  int swaps_checked = 0;
  for (int sample = 0; sample < 200; ++sample) {
    const std::string code = NewTrackingCode();
    const std::string compact = absl::StrReplaceAll(code, {{"-", ""}});
    for (int symbol = 0; symbol + 1 < kCodeSymbols; ++symbol) {
      if (compact[symbol] == compact[symbol + 1]) {
        continue;
      }
      std::string swapped = compact;
      std::swap(swapped[symbol], swapped[symbol + 1]);
      EXPECT_FALSE(IsAccepted(swapped)) << "swap at " << symbol;
      ++swaps_checked;
    }
  }
  EXPECT_GT(swaps_checked, 2000);
}

TEST(TrackingCodeTest, AcceptsLowercaseMissingDashesAndSpaces) {
  const std::string code = NewTrackingCode();
  const std::string compact = absl::StrReplaceAll(code, {{"-", ""}});

  EXPECT_THAT(NormalizeTrackingCode(absl::AsciiStrToLower(code)), IsOk());
  EXPECT_EQ(*NormalizeTrackingCode(absl::AsciiStrToLower(code)), code);
  EXPECT_EQ(*NormalizeTrackingCode(compact), code);
  EXPECT_EQ(*NormalizeTrackingCode(absl::StrReplaceAll(code, {{"-", " "}})), code);
  EXPECT_EQ(*NormalizeTrackingCode(" " + compact.substr(0, 5) + "-" + compact.substr(5) + " "),
            code);
}

TEST(TrackingCodeTest, AcceptsCrockfordAliases) {
  // Find codes that contain a 0 and a 1, so the aliases have something to stand for.
  std::string code;
  do {
    code = NewTrackingCode();
  } while (code.find('0') == std::string::npos || code.find('1') == std::string::npos);

  EXPECT_EQ(*NormalizeTrackingCode(absl::StrReplaceAll(code, {{"0", "O"}, {"1", "I"}})), code);
  EXPECT_EQ(*NormalizeTrackingCode(absl::StrReplaceAll(code, {{"0", "o"}, {"1", "l"}})), code);
  EXPECT_EQ(*NormalizeTrackingCode(absl::StrReplaceAll(code, {{"1", "L"}})), code);
  EXPECT_EQ(*NormalizeTrackingCode(absl::StrReplaceAll(code, {{"1", "i"}})), code);
}

TEST(TrackingCodeTest, RejectsWrongLength) {
  const std::string compact = absl::StrReplaceAll(NewTrackingCode(), {{"-", ""}});

  EXPECT_THAT(NormalizeTrackingCode(compact.substr(0, 13)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("tracking_code")));
  EXPECT_THAT(NormalizeTrackingCode(compact + "0"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("tracking_code")));
  EXPECT_THAT(NormalizeTrackingCode(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(NormalizeTrackingCode("----"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(TrackingCodeTest, RejectsCharactersOutsideTheAlphabet) {
  const std::string code = NewTrackingCode();
  const std::vector<std::string> not_symbols = {"U", "u", "*", "~",        "$",
                                                "=", "_", ".", "\xC3\xA9", std::string(1, '\0')};
  for (const std::string& bad : not_symbols) {
    std::string typo = code;
    typo.replace(0, 1, bad);
    EXPECT_THAT(NormalizeTrackingCode(typo), StatusIs(absl::StatusCode::kInvalidArgument));
  }
}

TEST(TrackingCodeTest, ErrorNamesTheFieldAndNeverEchoesTheCode) {
  std::string typo = NewTrackingCode();
  typo[0] = typo[0] == 'A' ? 'B' : 'A';

  const absl::Status status = NormalizeTrackingCode(typo).status();

  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(common::FieldViolationsOf(status),
              ElementsAre(Field(&common::FieldViolation::field, "tracking_code")));
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr(typo)));
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr(typo.substr(5, 4))));
}

TEST(TrackingCodeTest, HundredThousandCodesAreDistinct) {
  std::unordered_set<std::string> seen;
  seen.reserve(100000);
  for (int i = 0; i < 100000; ++i) {
    ASSERT_TRUE(seen.insert(NewTrackingCode()).second) << "duplicate after " << i << " codes";
  }
}

// Each random position draws every symbol about equally often: no position is biased or fixed.
// With 100,000 draws a count is 3125 +/- 55 (one sigma); the bounds are 7 sigmas wide.
TEST(TrackingCodeTest, RandomSymbolsAreUniformAtEveryPosition) {
  constexpr int kDraws = 100000;
  constexpr int kDataSymbols = kCodeSymbols - 1;
  std::array<std::array<int, 32>, kDataSymbols> counts{};
  const std::string alphabet = kAlphabet;
  for (int i = 0; i < kDraws; ++i) {
    const std::string compact = absl::StrReplaceAll(NewTrackingCode(), {{"-", ""}});
    for (int position = 0; position < kDataSymbols; ++position) {
      ++counts[position][alphabet.find(compact[position])];
    }
  }
  for (int position = 0; position < kDataSymbols; ++position) {
    for (int symbol = 0; symbol < 32; ++symbol) {
      EXPECT_GT(counts[position][symbol], 2740) << "position " << position << " symbol " << symbol;
      EXPECT_LT(counts[position][symbol], 3510) << "position " << position << " symbol " << symbol;
    }
  }
}

}  // namespace
}  // namespace doleances::intake
