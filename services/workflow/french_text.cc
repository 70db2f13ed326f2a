#include "services/workflow/french_text.h"

#include <absl/status/status.h>
#include <absl/strings/match.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_split.h>
#include <absl/strings/strip.h>

#include <algorithm>
#include <iterator>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace doleances::workflow {
namespace {

constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;

// Decodes the code point at text[*pos] and moves *pos past it. Follows RFC 3629 strictly
// (no overlong forms, surrogates or values above U+10FFFF): an invalid or truncated sequence
// consumes only its first byte and yields kInvalidCodePoint, so decoding resynchronises on the
// next byte.
char32_t DecodeNext(absl::string_view text, size_t* pos) {
  const auto byte_at = [text](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte_at(*pos);
  if (lead < 0x80) {
    ++*pos;
    return lead;
  }
  size_t length = 0;
  char32_t code_point = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
    if (lead == 0xE0) {
      second_min = 0xA0;  // overlong
    } else if (lead == 0xED) {
      second_max = 0x9F;  // surrogates
    }
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
    if (lead == 0xF0) {
      second_min = 0x90;  // overlong
    } else if (lead == 0xF4) {
      second_max = 0x8F;  // above U+10FFFF
    }
  } else {
    ++*pos;
    return kInvalidCodePoint;
  }
  if (text.size() - *pos < length) {
    ++*pos;
    return kInvalidCodePoint;
  }
  for (size_t i = 1; i < length; ++i) {
    const unsigned char next = byte_at(*pos + i);
    const unsigned char min = i == 1 ? second_min : 0x80;
    const unsigned char max = i == 1 ? second_max : 0xBF;
    if (next < min || next > max) {
      ++*pos;
      return kInvalidCodePoint;
    }
    code_point = (code_point << 6) | (next & 0x3F);
  }
  *pos += length;
  return code_point;
}

enum class CharClass {
  kLetter,      // part of a word: letters and digits
  kApostrophe,  // joins two words, kept as '
  kSeparator,   // ends a word: punctuation, spaces, symbols, invalid bytes
  kIgnored,     // invisible: combining marks, soft hyphen, joiners
};

struct CharRange {
  char32_t first;
  char32_t last;
  CharClass char_class;
  // For letters: the folded spelling; nullptr keeps the letter as it is.
  const char* folded;
};

constexpr CharClass kLetter = CharClass::kLetter;
constexpr CharClass kApostrophe = CharClass::kApostrophe;
constexpr CharClass kSeparator = CharClass::kSeparator;
constexpr CharClass kIgnored = CharClass::kIgnored;

// Non-ASCII code points that are not plain letters kept as they are. Sorted, not overlapping.
constexpr CharRange kCharRanges[] = {
    // Latin-1 Supplement: C1 controls, NBSP, « », °, ·, ... and the accented letters.
    {0x0080, 0x00AC, kSeparator, nullptr},
    {0x00AD, 0x00AD, kIgnored, nullptr},  // soft hyphen
    {0x00AE, 0x00B3, kSeparator, nullptr},
    {0x00B4, 0x00B4, kApostrophe, nullptr},  // acute accent typed as an apostrophe
    {0x00B5, 0x00BF, kSeparator, nullptr},
    {0x00C0, 0x00C5, kLetter, "a"},
    {0x00C6, 0x00C6, kLetter, "ae"},
    {0x00C7, 0x00C7, kLetter, "c"},
    {0x00C8, 0x00CB, kLetter, "e"},
    {0x00CC, 0x00CF, kLetter, "i"},
    {0x00D0, 0x00D0, kLetter, "d"},
    {0x00D1, 0x00D1, kLetter, "n"},
    {0x00D2, 0x00D6, kLetter, "o"},
    {0x00D7, 0x00D7, kSeparator, nullptr},  // ×
    {0x00D8, 0x00D8, kLetter, "o"},
    {0x00D9, 0x00DC, kLetter, "u"},
    {0x00DD, 0x00DD, kLetter, "y"},
    {0x00DE, 0x00DE, kLetter, "th"},
    {0x00DF, 0x00DF, kLetter, "ss"},
    {0x00E0, 0x00E5, kLetter, "a"},
    {0x00E6, 0x00E6, kLetter, "ae"},
    {0x00E7, 0x00E7, kLetter, "c"},
    {0x00E8, 0x00EB, kLetter, "e"},
    {0x00EC, 0x00EF, kLetter, "i"},
    {0x00F0, 0x00F0, kLetter, "d"},
    {0x00F1, 0x00F1, kLetter, "n"},
    {0x00F2, 0x00F6, kLetter, "o"},
    {0x00F7, 0x00F7, kSeparator, nullptr},  // ÷
    {0x00F8, 0x00F8, kLetter, "o"},
    {0x00F9, 0x00FC, kLetter, "u"},
    {0x00FD, 0x00FD, kLetter, "y"},
    {0x00FE, 0x00FE, kLetter, "th"},
    {0x00FF, 0x00FF, kLetter, "y"},
    // Latin Extended-A (Œ œ Ÿ, and the names of people and places from elsewhere in Europe).
    {0x0100, 0x0105, kLetter, "a"},
    {0x0106, 0x010D, kLetter, "c"},
    {0x010E, 0x0111, kLetter, "d"},
    {0x0112, 0x011B, kLetter, "e"},
    {0x011C, 0x0123, kLetter, "g"},
    {0x0124, 0x0127, kLetter, "h"},
    {0x0128, 0x0131, kLetter, "i"},
    {0x0132, 0x0133, kLetter, "ij"},
    {0x0134, 0x0135, kLetter, "j"},
    {0x0136, 0x0138, kLetter, "k"},
    {0x0139, 0x0142, kLetter, "l"},
    {0x0143, 0x014B, kLetter, "n"},
    {0x014C, 0x0151, kLetter, "o"},
    {0x0152, 0x0153, kLetter, "oe"},
    {0x0154, 0x0159, kLetter, "r"},
    {0x015A, 0x0161, kLetter, "s"},
    {0x0162, 0x0167, kLetter, "t"},
    {0x0168, 0x0173, kLetter, "u"},
    {0x0174, 0x0175, kLetter, "w"},
    {0x0176, 0x0178, kLetter, "y"},
    {0x0179, 0x017E, kLetter, "z"},
    {0x017F, 0x017F, kLetter, "s"},
    // Spacing modifier letters: ʻ and ʼ serve as apostrophes.
    {0x02B0, 0x02BA, kSeparator, nullptr},
    {0x02BB, 0x02BC, kApostrophe, nullptr},
    {0x02BD, 0x02FF, kSeparator, nullptr},
    // Combining marks: what is left of accents in decomposed (NFD) text.
    {0x0300, 0x036F, kIgnored, nullptr},
    {0x1AB0, 0x1AFF, kIgnored, nullptr},
    {0x1DC0, 0x1DFF, kIgnored, nullptr},
    // General punctuation: spaces (thin, narrow no-break), dashes, quotes, ellipsis.
    {0x2000, 0x200B, kSeparator, nullptr},
    {0x200C, 0x200D, kIgnored, nullptr},  // zero-width (non-)joiner
    {0x200E, 0x2017, kSeparator, nullptr},
    {0x2018, 0x2019, kApostrophe, nullptr},  // ‘ ’
    {0x201A, 0x201A, kSeparator, nullptr},
    {0x201B, 0x201B, kApostrophe, nullptr},
    {0x201C, 0x2031, kSeparator, nullptr},
    {0x2032, 0x2032, kApostrophe, nullptr},  // prime
    {0x2033, 0x205F, kSeparator, nullptr},
    {0x2060, 0x2060, kIgnored, nullptr},  // word joiner
    {0x2061, 0x206F, kSeparator, nullptr},
    {0x20A0, 0x20CF, kSeparator, nullptr},  // currency signs
    {0x20D0, 0x20FF, kIgnored, nullptr},    // combining marks for symbols
    {0x2190, 0x2BFF, kSeparator, nullptr},  // arrows, maths, shapes, dingbats
    {0x2E00, 0x2E7F, kSeparator, nullptr},  // supplemental punctuation
    {0x3000, 0x303F, kSeparator, nullptr},  // CJK punctuation
    // Typographic ligatures, common in text pasted from PDF files.
    {0xFB00, 0xFB00, kLetter, "ff"},
    {0xFB01, 0xFB01, kLetter, "fi"},
    {0xFB02, 0xFB02, kLetter, "fl"},
    {0xFB03, 0xFB03, kLetter, "ffi"},
    {0xFB04, 0xFB04, kLetter, "ffl"},
    {0xFB05, 0xFB06, kLetter, "st"},
    {0xFE00, 0xFE0F, kIgnored, nullptr},  // variation selectors
    {0xFE10, 0xFE1F, kSeparator, nullptr},
    {0xFE20, 0xFE2F, kIgnored, nullptr},
    {0xFE30, 0xFE6F, kSeparator, nullptr},
    {0xFEFF, 0xFEFF, kIgnored, nullptr},    // byte order mark
    {0xFF01, 0xFF0F, kSeparator, nullptr},  // fullwidth punctuation
    {0xFF1A, 0xFF20, kSeparator, nullptr},
    {0xFF3B, 0xFF40, kSeparator, nullptr},
    {0xFF5B, 0xFF65, kSeparator, nullptr},
    {0x1F000, 0x1FAFF, kSeparator, nullptr},  // emoji and pictographs
    {0xE0000, 0xE007F, kIgnored, nullptr},    // tags
    {0xE0100, 0xE01EF, kIgnored, nullptr},    // variation selectors supplement
};

constexpr bool RangesSortedAndDisjoint() {
  for (size_t i = 0; i < std::size(kCharRanges); ++i) {
    if (kCharRanges[i].first > kCharRanges[i].last) {
      return false;
    }
    if (i > 0 && kCharRanges[i - 1].last >= kCharRanges[i].first) {
      return false;
    }
  }
  return true;
}
static_assert(RangesSortedAndDisjoint(), "kCharRanges must be sorted and disjoint");

struct Classified {
  CharClass char_class;
  // For letters: the folded spelling, or empty to keep the original bytes.
  absl::string_view folded;
};

Classified ClassifyNonAscii(char32_t code_point) {
  if (code_point == kInvalidCodePoint) {
    return {kSeparator, {}};
  }
  const CharRange* end = std::end(kCharRanges);
  const CharRange* range = std::upper_bound(
      std::begin(kCharRanges), end, code_point,
      [](char32_t value, const CharRange& candidate) { return value < candidate.first; });
  if (range == std::begin(kCharRanges)) {
    return {kLetter, {}};
  }
  --range;
  if (code_point > range->last) {
    return {kLetter, {}};
  }
  return {range->char_class,
          range->folded == nullptr ? absl::string_view() : absl::string_view(range->folded)};
}

CharClass ClassifyAscii(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return kLetter;
  }
  if (c == '\'' || c == '`') {
    return kApostrophe;
  }
  return kSeparator;
}

}  // namespace

std::string FoldFrench(absl::string_view utf8) {
  std::string folded;
  folded.reserve(utf8.size());
  // Separators and apostrophes are written lazily, before the next letter, so that runs collapse
  // and nothing trails.
  bool pending_space = false;
  bool pending_apostrophe = false;
  const auto append_letters = [&](absl::string_view letters) {
    if (!folded.empty()) {
      if (pending_space) {
        folded.push_back(' ');
      } else if (pending_apostrophe) {
        folded.push_back('\'');
      }
    }
    pending_space = false;
    pending_apostrophe = false;
    folded.append(letters.data(), letters.size());
  };

  size_t pos = 0;
  while (pos < utf8.size()) {
    const size_t start = pos;
    const char32_t code_point = DecodeNext(utf8, &pos);
    Classified classified;
    char ascii_lower = 0;
    if (code_point < 0x80) {
      const char c = static_cast<char>(code_point);
      classified.char_class = ClassifyAscii(c);
      ascii_lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      classified.folded = absl::string_view(&ascii_lower, 1);
    } else {
      classified = ClassifyNonAscii(code_point);
    }
    switch (classified.char_class) {
      case CharClass::kLetter:
        append_letters(classified.folded.empty() ? utf8.substr(start, pos - start)
                                                 : classified.folded);
        break;
      case CharClass::kApostrophe:
        if (!folded.empty() && !pending_space) {
          pending_apostrophe = true;
        }
        break;
      case CharClass::kSeparator:
        pending_space = true;
        break;
      case CharClass::kIgnored:
        break;
    }
  }
  return folded;
}

std::vector<std::string> Words(absl::string_view folded) {
  return absl::StrSplit(folded, absl::ByAnyChar(" '"), absl::SkipEmpty());
}

KeywordPattern::KeywordPattern(std::string keyword, std::vector<std::string> words, bool is_prefix)
    : keyword_(std::move(keyword)), words_(std::move(words)), is_prefix_(is_prefix) {}

absl::StatusOr<KeywordPattern> KeywordPattern::Parse(absl::string_view keyword) {
  absl::string_view body = absl::StripAsciiWhitespace(keyword);
  const bool is_prefix = absl::ConsumeSuffix(&body, "*");
  if (absl::StrContains(body, '*')) {
    return absl::InvalidArgumentError(
        absl::StrCat("keyword '", keyword, "': '*' is allowed only at the end"));
  }
  std::vector<std::string> words = Words(FoldFrench(body));
  if (words.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("keyword '", keyword, "' has no letter or digit"));
  }
  return KeywordPattern(std::string(keyword), std::move(words), is_prefix);
}

bool KeywordPattern::MatchesAt(const std::vector<std::string>& text_words, size_t start) const {
  if (start > text_words.size() || text_words.size() - start < words_.size()) {
    return false;
  }
  for (size_t i = 0; i < words_.size(); ++i) {
    const std::string& text_word = text_words[start + i];
    const bool prefix_word = is_prefix_ && i + 1 == words_.size();
    if (prefix_word ? !absl::StartsWith(text_word, words_[i]) : text_word != words_[i]) {
      return false;
    }
  }
  return true;
}

FoldedText::FoldedText(absl::string_view utf8) : words_(Words(FoldFrench(utf8))) {
  sorted_positions_.resize(words_.size());
  std::iota(sorted_positions_.begin(), sorted_positions_.end(), size_t{0});
  std::stable_sort(sorted_positions_.begin(), sorted_positions_.end(),
                   [this](size_t a, size_t b) { return words_[a] < words_[b]; });
}

bool FoldedText::Contains(const KeywordPattern& pattern) const {
  const std::string& first_word = pattern.words().front();
  const bool first_is_prefix = pattern.is_prefix() && pattern.words().size() == 1;
  // Every word equal to (or, for a one-word prefix, starting with) first_word sorts in one run
  // beginning at the lower bound.
  auto it = std::lower_bound(
      sorted_positions_.begin(), sorted_positions_.end(), first_word,
      [this](size_t position, const std::string& word) { return words_[position] < word; });
  for (; it != sorted_positions_.end(); ++it) {
    const std::string& candidate = words_[*it];
    if (first_is_prefix ? !absl::StartsWith(candidate, first_word) : candidate != first_word) {
      break;
    }
    if (pattern.MatchesAt(words_, *it)) {
      return true;
    }
  }
  return false;
}

bool ContainsKeyword(absl::string_view utf8_text, absl::string_view keyword) {
  absl::StatusOr<KeywordPattern> pattern = KeywordPattern::Parse(keyword);
  return pattern.ok() && FoldedText(utf8_text).Contains(*pattern);
}

}  // namespace doleances::workflow
