// URL slugs from titles in any script.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace newsdesk::text {

inline constexpr std::size_t kMaxSlugLength = 100;

// Which characters a slug keeps. kAscii: [a-z0-9-], other scripts
// transliterated ("press-reliz"); the default, and what every URL tool
// takes. kUnicode: letters and digits of every script as written
// ("пресс-релиз", "café-über"), for sites that ask for readable Unicode
// (model::Site::unicode_slugs); URLs carry such a slug percent-encoded
// (model::expand_permalink).
enum class SlugScript { kAscii, kUnicode };

constexpr SlugScript slug_script(bool unicode) {
  return unicode ? SlugScript::kUnicode : SlugScript::kAscii;
}

// Makes a slug from UTF-8 text: transliterated to ASCII with ICU
// ("Any-Latin; Latin-ASCII"), lower-cased; apostrophes (' and U+2019) are
// dropped so "ICMPD's" gives "icmpds"; every other run of characters that is
// not a letter or digit becomes one hyphen; no leading or trailing hyphen;
// cut to at most max_length bytes (a trailing hyphen after the cut removed).
// Returns "" when nothing usable remains. Thread-safe (the shared ICU
// transliterator is locked). Note: TYPO3 cut the *title* at 100 characters
// before slugifying, so for the sample feed's six long titles this slug is
// longer than TYPO3's and starts with it; code that must keep old URLs takes
// the slug from the source link rather than from slugify(title).
//
// With SlugScript::kUnicode nothing is transliterated: the text is
// lower-cased with ICU's full case mapping (root locale: "Σ" at a word's end
// gives "ς", "ß" stays), in NFC; letters and decimal or letter digits of
// every script are kept, and so are combining marks that follow one
// (Arabic harakat, Devanagari and Thai vowel signs); apostrophes (also
// U+02BC) and invisible default-ignorable characters (soft hyphen, ZWJ,
// ZWNJ, variation selectors) are dropped; every other run becomes one
// hyphen. Latin letters keep their accents: "Café Über" gives "café-über"
// (pure ASCII text gives the same slug in both scripts). The cut at
// max_length bytes falls on a code point boundary. Malformed UTF-8 counts
// as a separator. Thread-safe without a lock.
std::string slugify(std::string_view text, std::size_t max_length = kMaxSlugLength,
                    SlugScript script = SlugScript::kAscii);

// True when s is a valid slug: non-empty, at most kMaxSlugLength bytes,
// not starting or ending with '-', no "--", and
//   kAscii:   [a-z0-9-] only;
//   kUnicode: well-formed UTF-8 in NFC of '-', letters and digits (as
//             slugify keeps them) that do not change when lower-cased, and
//             combining marks after a letter or digit: no '/', '?', '#',
//             '%', space, control, invisible or punctuation other than '-'.
// Every kAscii slug is a valid kUnicode slug.
bool is_valid_slug(std::string_view s, SlugScript script = SlugScript::kAscii);

// slug cut to at most max_length bytes on a code point boundary, with the
// hyphens the cut leaves at its end removed: the stem of "slug-2".
std::string cut_slug(std::string_view slug, std::size_t max_length);

}  // namespace newsdesk::text
