// Accent- and case-insensitive word matching of French text, as routing rule keywords use it
// ("elagage" matches "Élagage", "rue" does not match "ruelle").
#pragma once

#include <absl/status/statusor.h>
#include <absl/strings/string_view.h>

#include <cstddef>
#include <string>
#include <vector>

namespace doleances::workflow {

// Returns `utf8` lowercased, without diacritics and with ligatures spelled out (É→e, Ç→c, œ→oe,
// æ→ae, ß→ss, ﬁ→fi, decomposed "e" + U+0301 → e), typographic apostrophes (’ ‘ ʼ ´ `) written
// ', and each run of other punctuation, whitespace, symbols, control characters and invalid
// UTF-8 bytes replaced by one space. An apostrophe is kept only between two word characters; the
// result has no leading or trailing space ("  L’Éclairage  PUBLIC !" → "l'eclairage public").
// Letters beyond Latin-1 and Latin Extended-A (Greek, Cyrillic, ...) are copied unchanged.
// Never fails, whatever the bytes.
std::string FoldFrench(absl::string_view utf8);

// Splits text folded by FoldFrench into words at spaces and apostrophes:
// "l'eclairage public" → {"l", "eclairage", "public"}.
std::vector<std::string> Words(absl::string_view folded);

// A routing keyword, compiled: a word or phrase ("nid de poule", "éclairage public"), optionally
// ending with '*' to match any word starting with its last word ("lampadair*").
class KeywordPattern {
 public:
  // Compiles `keyword` (UTF-8, any case and accents). INVALID_ARGUMENT if it has no letter or
  // digit, or has a '*' anywhere but at the end.
  static absl::StatusOr<KeywordPattern> Parse(absl::string_view keyword);

  // The keyword as given to Parse.
  const std::string& keyword() const { return keyword_; }
  // Its folded words, without the '*'.
  const std::vector<std::string>& words() const { return words_; }
  // Whether its last word is a prefix ('*').
  bool is_prefix() const { return is_prefix_; }

  // True if the pattern's words equal text_words[start], text_words[start + 1], ... (the last
  // one as a prefix if is_prefix()). False if they would run past the end.
  bool MatchesAt(const std::vector<std::string>& text_words, size_t start) const;

 private:
  KeywordPattern(std::string keyword, std::vector<std::string> words, bool is_prefix);

  std::string keyword_;
  std::vector<std::string> words_;
  bool is_prefix_ = false;
};

// A text folded once and indexed for many keyword lookups (a complaint's subject or description
// against every rule's keywords): each lookup costs O(log n) plus the occurrences of its first
// word.
class FoldedText {
 public:
  // Folds and indexes `utf8`; never fails.
  explicit FoldedText(absl::string_view utf8);

  // The text's words, in order.
  const std::vector<std::string>& words() const { return words_; }

  // True if the pattern's words appear consecutively, as whole words, in the text.
  bool Contains(const KeywordPattern& pattern) const;

 private:
  std::vector<std::string> words_;
  // Indices into words_, ordered by word then position.
  std::vector<size_t> sorted_positions_;
};

// True if `keyword` is a valid pattern (see KeywordPattern::Parse) found in `utf8_text`.
bool ContainsKeyword(absl::string_view utf8_text, absl::string_view keyword);

}  // namespace doleances::workflow
