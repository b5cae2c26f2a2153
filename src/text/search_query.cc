#include "text/search_query.h"

#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace newsdesk::text {
namespace {

// A search box needs far less; the cap keeps the work per request bounded
// and the offsets within ICU's int32_t.
constexpr std::size_t kMaxInputBytes = 8192;

struct CodePoint {
  UChar32 c;  // negative for an invalid sequence
  std::size_t begin;
  std::size_t end;
};

std::vector<CodePoint> decode(std::string_view input) {
  std::vector<CodePoint> out;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(input.data());
  const auto length = static_cast<std::int32_t>(input.size());
  std::int32_t i = 0;
  while (i < length) {
    const std::int32_t begin = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    out.push_back(CodePoint{c, static_cast<std::size_t>(begin), static_cast<std::size_t>(i)});
  }
  return out;
}

// Ends a chunk: whitespace, controls, and bytes that are not UTF-8.
bool is_boundary(UChar32 c) {
  return c < 0 || u_isUWhiteSpace(c) || u_charType(c) == U_CONTROL_CHAR;
}

// Phones type typographic quotes; they delimit a phrase like '"'.
bool is_quote(UChar32 c) {
  return c == '"' || c == 0x201C || c == 0x201D || c == 0x201E || c == 0xAB || c == 0xBB;
}

bool is_minus(UChar32 c) { return c == '-' || c == 0x2212; }

// Letters, digits and marks: marks are part of words in Devanagari, Thai,
// Arabic with vowel signs, and decomposed Latin.
bool is_word_char(UChar32 c) {
  return c >= 0 && (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_N_MASK | U_GC_M_MASK)) != 0;
}

bool is_letter_or_digit(UChar32 c) {
  return c >= 0 && (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_N_MASK)) != 0;
}

std::string lower_cased(std::string_view word) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(word.data(), static_cast<std::int32_t>(word.size())));
  text.toLower(icu::Locale::getRoot());
  std::string out;
  text.toUTF8String(out);
  return out;
}

// The words in cps[from, to), at most kMaxPhraseWords.
std::vector<std::string> words_in(std::string_view input, const std::vector<CodePoint>& cps,
                                  std::size_t from, std::size_t to) {
  std::vector<std::string> words;
  std::size_t i = from;
  while (i < to && words.size() < kMaxPhraseWords) {
    if (!is_word_char(cps[i].c)) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    bool has_letter_or_digit = false;
    while (i < to && is_word_char(cps[i].c)) {
      has_letter_or_digit = has_letter_or_digit || is_letter_or_digit(cps[i].c);
      ++i;
    }
    // A run of marks alone indexes as nothing, and an empty phrase would
    // make the whole query match nothing.
    if (!has_letter_or_digit) continue;
    const std::size_t last = std::min(i, start + kMaxSearchWordLength);
    const std::size_t begin = cps[start].begin;
    words.push_back(lower_cased(input.substr(begin, cps[last - 1].end - begin)));
  }
  return words;
}

}  // namespace

model::SearchQuery parse_search_query(std::string_view input) {
  if (input.size() > kMaxInputBytes) input = input.substr(0, kMaxInputBytes);
  const std::vector<CodePoint> cps = decode(input);
  const std::size_t n = cps.size();

  model::SearchQuery query;
  auto add = [&query](std::vector<std::string> words, bool prefix, bool excluded) {
    if (words.empty()) return;
    query.terms.push_back(model::SearchTerm{std::move(words), prefix, excluded});
  };

  std::size_t i = 0;
  while (i < n && query.terms.size() < kMaxSearchTerms) {
    if (is_boundary(cps[i].c)) {
      ++i;
      continue;
    }
    bool excluded = false;
    if (is_minus(cps[i].c) && i + 1 < n && !is_boundary(cps[i + 1].c)) {
      excluded = true;
      ++i;
    }
    if (is_quote(cps[i].c)) {
      std::size_t close = i + 1;
      while (close < n && !is_quote(cps[close].c)) ++close;
      std::vector<std::string> words = words_in(input, cps, i + 1, close);
      bool prefix = false;
      i = close;
      if (close < n) {
        i = close + 1;
        if (i < n && cps[i].c == '*') {
          prefix = true;
          ++i;
        }
      }
      add(std::move(words), prefix, excluded);
      continue;
    }
    std::size_t end = i;
    while (end < n && !is_boundary(cps[end].c) && !is_quote(cps[end].c)) ++end;
    const bool prefix = cps[end - 1].c == '*';
    add(words_in(input, cps, i, end), prefix, excluded);
    i = end;
  }
  return query;
}

}  // namespace newsdesk::text
