// A theme's own words in many languages, and dates and numbers formatted
// for a language with ICU.
//
// Words live in translation catalogues: a theme's i18n/TAG.json, one flat
// JSON object of key -> text per BCP 47 tag ("fr.json", "pt-BR.json"). The
// default theme ships en, fr, de, es, ru and ar; a site's theme folder may
// override single keys of a shipped language (its i18n/fr.json lists only
// the keys it changes) or add a language of its own (i18n/it.json).
//
// A word is looked up along a chain: the exact tag ("pt-BR"), its primary
// subtag ("pt"), English, and finally the key itself, so a missing word
// shows as its key rather than as nothing.
//
// Texts may hold placeholders, "{count} news items found.", filled by
// fill(). A word with plural forms is written as one key per CLDR plural
// category: "search_found_one", "search_found_few", "search_found_other";
// plural_word() picks the category ICU's plural rules give for the number,
// falling back to "_other".
//
// Thread-safety: a finished Catalogue is immutable and may be read from any
// number of threads. The ICU functions below keep their (slow to create,
// not thread-safe) formatters per thread.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <mstch/mstch.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "model/datetime.h"

namespace newsdesk::render {

// Key -> text for one language.
using Words = std::map<std::string, std::string, std::less<>>;

class Catalogue {
 public:
  // Adds the words of a JSON object ({"key": "text", ...}) to `language`,
  // key by key over the words it has. `source` names the file in errors.
  // Errors: kInvalid (naming `source`) when `json` is no JSON object whose
  // values are all strings, or `language` is empty; nothing is added then.
  Result<void> add_json(std::string_view language, std::string_view json, std::string_view source);
  void set(std::string_view language, std::string key, std::string text);

  // Builds the merged word lists; call after the last add, before reading.
  void finish();

  // Every word for `language`: English, then its primary subtag's, then its
  // own, each over the one before. A tag without words of its own gets its
  // primary subtag's list, else English's (an empty list without English).
  const Words& words(std::string_view language) const;
  // The same as a Mustache map, for {{t.key}} in templates.
  const mstch::map& word_map(std::string_view language) const;
  // {"t": word_map(language)}: the context Theme::render puts beneath a
  // page's own, built once per language instead of copied into every page.
  const mstch::node& word_scope(std::string_view language) const;
  // The text of `key` along the chain; the key itself when no list has it.
  std::string_view lookup(std::string_view language, std::string_view key) const;

  // The tags with words of their own, in lower case ("en", "pt-br").
  std::vector<std::string> languages() const;
  // Only the words a language's own files gave (no fallbacks); empty when none.
  const Words& own_words(std::string_view language) const;

 private:
  const std::string* resolve(std::string_view language) const;

  std::map<std::string, Words, std::less<>> own_;     // by lower-case tag
  std::map<std::string, Words, std::less<>> merged_;  // by lower-case tag
  // By lower-case tag: {"t": the words as a Mustache map}.
  std::map<std::string, mstch::node, std::less<>> merged_scopes_;
};

// The text of `key` in `words`, or the key itself.
std::string_view word(const Words& words, std::string_view key);

// `text` with every "{name}" of `values` replaced by its value, in one pass
// (a value's own braces are never expanded). Unknown names stay as they are.
std::string fill(std::string_view text,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> values);

// The form of `key` for the number n in `language`: key + "_" + the CLDR
// plural category ICU gives ("one", "few", ...), else key + "_other", else
// the key itself. Not filled: pass the result to fill().
std::string_view plural_word(const Words& words, std::string_view language, std::string_view key,
                             std::int64_t n);

// The CLDR plural categories of a language ("one", "other"; Arabic has six).
std::vector<std::string> plural_categories(std::string_view language);

// An integer as readers of `language` write it: "1,234" (en), "1 234"
// (fr), "١٬٢٣٤" (ar). grouping false for years and page numbers.
std::string format_integer(std::string_view language, std::int64_t n, bool grouping = true);
// A decimal number with at most `max_fraction` digits after the separator.
std::string format_decimal(std::string_view language, double value, int max_fraction);
// A size in bytes with a unit ICU names in the language ("12 ko", "1,2 МБ");
// 1 kB = 1000 bytes.
std::string format_file_size(std::string_view language, std::int64_t bytes);

// How a date is placed in its text, so a month name gets the right case.
enum class DateContext {
  kRunningText,  // "in the archive since 4 juillet 2018"
  kStandalone,   // "Juillet 2018" as an h1, "Juin" in the archive's month list
};

// The wall-clock time of `local` (its epoch seconds shown at its own
// offset) as the ICU date skeleton asks ("dMMMMy": "4 July 2018", "Hm":
// "10:11", "MMMMy", "LLLL"), in `language`'s conventions. Bare "en" is
// written as in en-GB ("4 July 2018", 24-hour clock), as the site always
// did. Returns "" when ICU cannot format (unknown skeleton).
std::string format_date(std::string_view language, const model::DateTime& local,
                        std::string_view skeleton, DateContext context = DateContext::kRunningText);

}  // namespace newsdesk::render
