#include "text/search_query.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace newsdesk::text {
namespace {

using model::SearchQuery;
using model::SearchTerm;

SearchTerm word(std::string w) { return SearchTerm{{std::move(w)}, false, false}; }

SearchTerm phrase(std::vector<std::string> words) {
  return SearchTerm{std::move(words), false, false};
}

SearchTerm prefixed(SearchTerm term) {
  term.prefix = true;
  return term;
}

SearchTerm excluded(SearchTerm term) {
  term.excluded = true;
  return term;
}

// Every word of every term must be something an FTS backend can quote: not
// empty, no spaces, no quotes, valid UTF-8 as far as we produce it.
void expect_safe(const SearchQuery& query) {
  EXPECT_LE(query.terms.size(), kMaxSearchTerms);
  for (const SearchTerm& term : query.terms) {
    EXPECT_FALSE(term.words.empty());
    EXPECT_LE(term.words.size(), kMaxPhraseWords);
    for (const std::string& w : term.words) {
      EXPECT_FALSE(w.empty());
      EXPECT_EQ(w.find_first_of(" \t\n\"*()^:-"), std::string::npos) << w;
    }
  }
}

// Mirrored in store/sqlite/search_test.cc, which runs each through search().
const std::vector<std::string>& hostile_inputs() {
  static const std::vector<std::string> inputs = {
      "",
      "\"",
      "\"\"",
      "\"\"\"",
      "*",
      "**",
      "-",
      "--",
      "- -",
      "-\"",
      "\"*",
      "(",
      ")",
      "()",
      "NEAR(",
      "NEAR(a b, 2)",
      "a NEAR b",
      "title:x",
      "{title teaser}:x",
      "^x",
      "x^",
      "+x",
      "a OR b",
      "a AND",
      "NOT a",
      "AND OR NOT",
      "\"unclosed phrase",
      "closed\" stray",
      "x\"y\"z",
      "'single' quotes",
      "a'b",
      "\\\"escaped\\\"",
      "...",
      "!@#$%^&*()_+=[]{}|;:,.<>/?`~",
      "\xE2\x80\x9C"
      "curly quotes\xE2\x80\x9D",
      "\xC3",
      "\xFF\xFE\xFD",
      "a\xC0\xAF"
      "b",
      "\xED\xA0\x80",
      std::string("nul\0byte", 8),
      "\x01\x02\x03 control",
      "\xCC\x81",
      "\xE2\x98\x83 snowman",
      "\xF0\x9F\x98\x80 emoji*",
      "-*",
      "*-",
      "\"-\"",
      "-\"\"*",
      "x*y*",
      std::string(10 * 1024, 'a'),
      std::string(10 * 1024, '"'),
      std::string(10 * 1024, '('),
  };
  return inputs;
}

TEST(SearchQuery, SplitsWordsOnWhitespace) {
  EXPECT_EQ(parse_search_query("  migration \t policy\n"),
            (SearchQuery{{word("migration"), word("policy")}}));
}

TEST(SearchQuery, LowerCasesWords) {
  EXPECT_EQ(parse_search_query("Migration ICMPD"),
            (SearchQuery{{word("migration"), word("icmpd")}}));
}

TEST(SearchQuery, OperatorWordsArePlainWords) {
  EXPECT_EQ(
      parse_search_query("a AND b OR NOT NEAR"),
      (SearchQuery{{word("a"), word("and"), word("b"), word("or"), word("not"), word("near")}}));
}

TEST(SearchQuery, QuotedWordsAreOnePhrase) {
  EXPECT_EQ(parse_search_query("\"Border Management\" visa"),
            (SearchQuery{{phrase({"border", "management"}), word("visa")}}));
}

TEST(SearchQuery, UnclosedQuoteRunsToTheEnd) {
  EXPECT_EQ(parse_search_query("visa \"border management"),
            (SearchQuery{{word("visa"), phrase({"border", "management"})}}));
}

TEST(SearchQuery, TypographicQuotesMakeAPhrase) {
  EXPECT_EQ(parse_search_query("\xE2\x80\x9C"
                               "border management"
                               "\xE2\x80\x9D"),
            (SearchQuery{{phrase({"border", "management"})}}));
}

TEST(SearchQuery, TrailingStarIsPrefix) {
  EXPECT_EQ(parse_search_query("migra* policy"),
            (SearchQuery{{prefixed(word("migra")), word("policy")}}));
}

TEST(SearchQuery, StarAfterClosingQuoteMakesLastWordPrefix) {
  EXPECT_EQ(parse_search_query("\"border manag\"*"),
            (SearchQuery{{prefixed(phrase({"border", "manag"}))}}));
}

TEST(SearchQuery, LeadingMinusExcludesWord) {
  EXPECT_EQ(parse_search_query("migration -visa"),
            (SearchQuery{{word("migration"), excluded(word("visa"))}}));
}

TEST(SearchQuery, LeadingMinusExcludesPhrase) {
  EXPECT_EQ(parse_search_query("migration -\"visa policy\""),
            (SearchQuery{{word("migration"), excluded(phrase({"visa", "policy"}))}}));
}

TEST(SearchQuery, ExcludedPrefix) {
  EXPECT_EQ(parse_search_query("-visa*"), (SearchQuery{{excluded(prefixed(word("visa")))}}));
}

TEST(SearchQuery, OnlyExcludedTermsMatchNothing) {
  const SearchQuery query = parse_search_query("-visa -policy");
  EXPECT_EQ(query.terms.size(), 2u);
  EXPECT_TRUE(query.matches_nothing());
}

TEST(SearchQuery, MinusInsideAWordIsNotExclusion) {
  EXPECT_EQ(parse_search_query("covid-19"), (SearchQuery{{phrase({"covid", "19"})}}));
}

TEST(SearchQuery, LoneMinusIsIgnored) {
  EXPECT_EQ(parse_search_query("migration - policy"),
            (SearchQuery{{word("migration"), word("policy")}}));
}

TEST(SearchQuery, PunctuationInsideAChunkMakesAPhrase) {
  EXPECT_EQ(parse_search_query("title:x"), (SearchQuery{{phrase({"title", "x"})}}));
}

TEST(SearchQuery, PunctuationAroundAWordIsDropped) {
  EXPECT_EQ(parse_search_query("(migration), ^policy!"),
            (SearchQuery{{word("migration"), word("policy")}}));
}

TEST(SearchQuery, EmptyInputIsEmptyQuery) {
  EXPECT_TRUE(parse_search_query("").terms.empty());
  EXPECT_TRUE(parse_search_query("").matches_nothing());
}

TEST(SearchQuery, OnlyPunctuationIsEmptyQuery) {
  EXPECT_TRUE(parse_search_query("!@#$%^&*() \" - * ( ^ : ... -- **").terms.empty());
}

TEST(SearchQuery, LoneQuotesGiveNoTerms) {
  EXPECT_TRUE(parse_search_query("\"").terms.empty());
  EXPECT_TRUE(parse_search_query("\"\"").terms.empty());
  EXPECT_TRUE(parse_search_query("\" \" \"").terms.empty());
}

TEST(SearchQuery, KeepsRussianWords) {
  EXPECT_EQ(parse_search_query("Миграция, политика"),
            (SearchQuery{{word("миграция"), word("политика")}}));
}

TEST(SearchQuery, KeepsArabicWords) {
  EXPECT_EQ(parse_search_query("الهجرة والحدود"), (SearchQuery{{word("الهجرة"), word("والحدود")}}));
}

TEST(SearchQuery, KeepsCombiningMarksInsideWords) {
  // Devanagari vowel signs are marks; splitting on them would break words.
  EXPECT_EQ(parse_search_query("हिन्दी"), (SearchQuery{{word("हिन्दी")}}));
}

TEST(SearchQuery, InvalidUtf8SeparatesWords) {
  EXPECT_EQ(parse_search_query("visa\xFF\xFEpolicy \xC3"),
            (SearchQuery{{word("visa"), word("policy")}}));
}

TEST(SearchQuery, CapsTheNumberOfTerms) {
  std::string input;
  for (int i = 0; i < 40; ++i) input += "w" + std::to_string(i) + " ";
  const SearchQuery query = parse_search_query(input);
  ASSERT_EQ(query.terms.size(), kMaxSearchTerms);
  EXPECT_EQ(query.terms.back(), word("w15"));
}

TEST(SearchQuery, CapsTheWordsOfAPhrase) {
  std::string input = "\"";
  for (int i = 0; i < 40; ++i) input += "w" + std::to_string(i) + " ";
  const SearchQuery query = parse_search_query(input);
  ASSERT_EQ(query.terms.size(), 1u);
  EXPECT_EQ(query.terms[0].words.size(), kMaxPhraseWords);
}

TEST(SearchQuery, CutsLongWordsByCodePoint) {
  std::string input;
  for (int i = 0; i < 150; ++i) input += "ж";
  const SearchQuery query = parse_search_query(input);
  ASSERT_EQ(query.terms.size(), 1u);
  EXPECT_EQ(query.terms[0].words[0].size(), kMaxSearchWordLength * 2);
}

TEST(SearchQuery, HostileInputsGiveSafeQueries) {
  for (const std::string& input : hostile_inputs()) {
    SCOPED_TRACE(testing::PrintToString(input.substr(0, 40)));
    expect_safe(parse_search_query(input));
  }
}

TEST(SearchQuery, TenKilobytesOfWordsStaysWithinLimits) {
  std::string input;
  while (input.size() < 10 * 1024) input += "lorem ipsum \"dolor sit* -amet ";
  expect_safe(parse_search_query(input));
}

}  // namespace
}  // namespace newsdesk::text
