#include "services/workflow/french_text.h"

#include "common/testing/status_matchers.h"

#include <absl/status/status.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace doleances::workflow {
namespace {

using ::doleances::testing::IsOk;
using ::doleances::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(FoldFrenchTest, LowercasesAndStripsAccents) {
  EXPECT_EQ(FoldFrench("À côté de l'Hôtel de Ville, ÉLAGAGE urgent"),
            "a cote de l'hotel de ville elagage urgent");
}

TEST(FoldFrenchTest, StripsEveryFrenchDiacriticInBothCases) {
  EXPECT_EQ(FoldFrench("àâäçéèêëîïôöùûüÿ"), "aaaceeeeiioouuuy");
  EXPECT_EQ(FoldFrench("ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ"), "aaaceeeeiioouuuy");
}

TEST(FoldFrenchTest, SpellsOutLigatures) {
  EXPECT_EQ(FoldFrench("Œuvre, cœur, Lætitia, ex-æquo, ÆGIS"),
            "oeuvre coeur laetitia ex aequo aegis");
  EXPECT_EQ(FoldFrench("la ﬁbre ﬂotte"), "la fibre flotte");
}

TEST(FoldFrenchTest, FoldsLettersOfOtherEuropeanNames) {
  EXPECT_EQ(FoldFrench("Łukasz Müßig, Ștefan Dvořák, São João"),
            "lukasz mussig Ștefan dvorak sao joao");  // Ș (U+0218) is beyond Latin Extended-A
}

TEST(FoldFrenchTest, NormalisesApostrophes) {
  EXPECT_EQ(FoldFrench("l’éclairage"), "l'eclairage");
  EXPECT_EQ(FoldFrench("l'eclairage"), "l'eclairage");
  EXPECT_EQ(FoldFrench("L‘Éclairage"), "l'eclairage");
  EXPECT_EQ(FoldFrench("lʼéclairage"), "l'eclairage");
  EXPECT_EQ(FoldFrench("aujourd´hui"), "aujourd'hui");
}

TEST(FoldFrenchTest, KeepsApostrophesOnlyBetweenWordCharacters) {
  EXPECT_EQ(FoldFrench("'citation' l' eau ''d''eau"), "citation l eau d'eau");
}

TEST(FoldFrenchTest, CollapsesPunctuationAndWhitespace) {
  EXPECT_EQ(FoldFrench("  Nid-de-poule !!!\true\ndu\u00a0Port…  "), "nid de poule rue du port");
  EXPECT_EQ(FoldFrench("« Trottoir » dégradé ; pourquoi\u202f? — voir n° 12,5 €"),
            "trottoir degrade pourquoi voir n 12 5");
  EXPECT_EQ(FoldFrench("Saint\u2011Étienne / Aix-en-Provence"), "saint etienne aix en provence");
}

TEST(FoldFrenchTest, IgnoresCombiningMarksAndSoftHyphens) {
  EXPECT_EQ(FoldFrench("E\u0301lagage des arbres"), "elagage des arbres");  // NFD input
  EXPECT_EQ(FoldFrench("éclai\u00adrage"), "eclairage");
}

TEST(FoldFrenchTest, KeepsDigitsAndOtherScripts) {
  EXPECT_EQ(FoldFrench("RN7 km 12"), "rn7 km 12");
  EXPECT_EQ(FoldFrench("Москва 東京"), "Москва 東京");
}

TEST(FoldFrenchTest, EmptyAndSeparatorOnlyInputsFoldToEmpty) {
  EXPECT_EQ(FoldFrench(""), "");
  EXPECT_EQ(FoldFrench(" ,;!? … ’ "), "");
}

TEST(FoldFrenchTest, TreatsInvalidUtf8AsSeparators) {
  EXPECT_EQ(FoldFrench("abc\xff"
                       "def"),
            "abc def");
  EXPECT_EQ(FoldFrench("caf\xc3"), "caf");                            // truncated é
  EXPECT_EQ(FoldFrench("a\xc0\xafz"), "a z");                         // overlong '/'
  EXPECT_EQ(FoldFrench("a\xed\xa0\x80z"), "a z");                     // surrogate
  EXPECT_EQ(FoldFrench("a\xf4\x90\x80\x80z"), "a z");                 // above U+10FFFF
  EXPECT_EQ(FoldFrench("\x80\x80\xc3\xa9t\xc3\xa9\xe2\x82"), "ete");  // stray continuation bytes
}

TEST(FoldFrenchTest, IsIdempotentOnArbitraryBytes) {
  std::mt19937 random(20240601);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 2000; ++round) {
    std::string input(static_cast<size_t>(round % 40), '\0');
    for (char& c : input) {
      c = static_cast<char>(byte(random));
    }
    const std::string folded = FoldFrench(input);
    EXPECT_EQ(FoldFrench(folded), folded);
    EXPECT_THAT(folded, ::testing::Not(HasSubstr("  ")));
    if (!folded.empty()) {
      EXPECT_NE(folded.front(), ' ');
      EXPECT_NE(folded.back(), ' ');
    }
  }
}

TEST(WordsTest, SplitsAtSpacesAndApostrophes) {
  EXPECT_THAT(Words("l'eclairage public"), ElementsAre("l", "eclairage", "public"));
  EXPECT_THAT(Words(""), IsEmpty());
}

TEST(KeywordPatternTest, ParsesPhraseWithWildcard) {
  absl::StatusOr<KeywordPattern> pattern = KeywordPattern::Parse("  Éclairage Publi* ");

  ASSERT_THAT(pattern, IsOk());
  EXPECT_THAT(pattern->words(), ElementsAre("eclairage", "publi"));
  EXPECT_TRUE(pattern->is_prefix());
  EXPECT_EQ(pattern->keyword(), "  Éclairage Publi* ");
}

TEST(KeywordPatternTest, RejectsKeywordsWithoutLettersOrDigits) {
  EXPECT_THAT(KeywordPattern::Parse(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(KeywordPattern::Parse("   "), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(KeywordPattern::Parse("*"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(KeywordPattern::Parse("!?…"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no letter or digit")));
}

TEST(KeywordPatternTest, RejectsWildcardBeforeTheEnd) {
  EXPECT_THAT(KeywordPattern::Parse("lamp*adaire"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("only at the end")));
  EXPECT_THAT(KeywordPattern::Parse("lampadaire**"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ContainsKeywordTest, IgnoresCaseAndAccents) {
  EXPECT_TRUE(ContainsKeyword("PANNE D'ÉCLAIRAGE", "eclairage"));
  EXPECT_TRUE(ContainsKeyword("panne d'eclairage", "Éclairage"));
  EXPECT_TRUE(ContainsKeyword("Demande d'élagage des platanes", "ELAGAGE"));
}

TEST(ContainsKeywordTest, MatchesLigaturesBothWays) {
  EXPECT_TRUE(ContainsKeyword("Main-d’œuvre insuffisante", "oeuvre"));
  EXPECT_TRUE(ContainsKeyword("main d'oeuvre insuffisante", "œuvre"));
}

TEST(ContainsKeywordTest, MatchesAcrossApostropheStyles) {
  EXPECT_TRUE(ContainsKeyword("Problème de l’éclairage rue Victor-Hugo", "l'eclairage"));
  EXPECT_TRUE(ContainsKeyword("Problème de l'eclairage rue Victor-Hugo", "l’éclairage"));
  EXPECT_TRUE(ContainsKeyword("Problème de l’éclairage rue Victor-Hugo", "eclairage"));
}

TEST(ContainsKeywordTest, MatchesMultiWordKeywordsOnlyConsecutively) {
  EXPECT_TRUE(ContainsKeyword("Un énorme nid-de-poule, rue Pasteur !", "nid de poule"));
  EXPECT_TRUE(ContainsKeyword("L'ÉCLAIRAGE PUBLIC est en panne", "éclairage public"));
  EXPECT_FALSE(ContainsKeyword("un nid de la poule", "nid de poule"));
  EXPECT_FALSE(ContainsKeyword("public : éclairage en panne", "éclairage public"));
}

TEST(ContainsKeywordTest, MatchesAtTheEndButNotPastIt) {
  EXPECT_TRUE(ContainsKeyword("il y a un nid de poule", "nid de poule"));
  EXPECT_FALSE(ContainsKeyword("il y a un nid de", "nid de poule"));
}

TEST(ContainsKeywordTest, FindsALaterOccurrenceOfTheFirstWord) {
  EXPECT_TRUE(ContainsKeyword("rue de la Paix, puis rue Pasteur", "rue pasteur"));
}

TEST(ContainsKeywordTest, MatchesWholeWordsOnly) {
  EXPECT_FALSE(ContainsKeyword("La ruelle est sale", "rue"));
  EXPECT_FALSE(ContainsKeyword("Incendie", "cendre"));
  EXPECT_FALSE(ContainsKeyword("lampadaires", "lampadaire"));
}

TEST(ContainsKeywordTest, TrailingStarMatchesPrefixes) {
  EXPECT_TRUE(ContainsKeyword("La ruelle est sale", "rue*"));
  EXPECT_TRUE(ContainsKeyword("La rue est sale", "rue*"));
  EXPECT_TRUE(ContainsKeyword("Trois LAMPADAIRES cassés", "lampadair*"));
  EXPECT_TRUE(ContainsKeyword("un nid de poules", "nid de poule*"));
  EXPECT_FALSE(ContainsKeyword("un nid de la poule", "nid de poule*"));
  EXPECT_FALSE(ContainsKeyword("le lampiste", "lampadair*"));
}

TEST(ContainsKeywordTest, InvalidKeywordMatchesNothing) {
  EXPECT_FALSE(ContainsKeyword("n'importe quoi", "*"));
  EXPECT_FALSE(ContainsKeyword("n'importe quoi", ""));
}

TEST(FoldedTextTest, AnswersManyLookupsOnOneText) {
  const FoldedText text("Signalement : lampadaire éteint avenue Jean-Jaurès, près de l’école.");
  const std::vector<std::pair<std::string, bool>> cases = {
      {"lampadaire", true},   {"lampadaire eteint", true},
      {"jean jaures", true},  {"jean-jaurès", true},
      {"l'ecole", true},      {"ecole", true},
      {"avenue jean*", true}, {"eteint avenue jean", true},
      {"ecoles", false},      {"jaures pres l", false},
      {"a*", true},           {"z*", false},
  };
  for (const auto& [keyword, expected] : cases) {
    absl::StatusOr<KeywordPattern> pattern = KeywordPattern::Parse(keyword);
    ASSERT_THAT(pattern, IsOk()) << keyword;
    EXPECT_EQ(text.Contains(*pattern), expected) << keyword;
  }
}

}  // namespace
}  // namespace doleances::workflow
