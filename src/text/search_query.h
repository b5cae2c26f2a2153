// The search box's syntax: whatever a reader types becomes a
// model::SearchQuery, which store backends translate to their own full-text
// language. Nothing typed here ever reaches a query language as syntax.
#pragma once

#include <cstddef>
#include <string_view>

#include "model/search.h"

namespace newsdesk::text {

// Limits that keep a hostile query cheap: terms after the 16th are ignored,
// a phrase keeps its first 16 words, a word its first 100 code points.
inline constexpr std::size_t kMaxSearchTerms = 16;
inline constexpr std::size_t kMaxPhraseWords = 16;
inline constexpr std::size_t kMaxSearchWordLength = 100;

// Parses any UTF-8 text (invalid sequences count as spaces) into a query:
// - Words are runs of letters, digits and combining marks of any script;
//   everything else (spaces, punctuation, symbols) separates them. A run
//   without a letter or digit is dropped. Words come back lower-cased (ICU
//   root locale), so FTS operators (AND, OR, NOT, NEAR) are plain words.
// - A chunk between spaces is one term; when punctuation splits it into
//   several words ("covid-19", "o'brien") they form a phrase, as the
//   indexed text has them side by side.
// - "quoted words" are one phrase; a quote left open runs to the end.
// - A '*' ending a chunk or right after a closing quote makes the last
//   word a prefix ("migra*").
// - A '-' starting a chunk or right before an opening quote excludes the
//   term ("-visa", -"asylum seekers").
// Never fails: input with no words gives an empty query (matches_nothing()).
// Thread-safe.
model::SearchQuery parse_search_query(std::string_view input);

}  // namespace newsdesk::text
