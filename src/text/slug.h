// URL slugs from titles in any script.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace newsdesk::text {

inline constexpr std::size_t kMaxSlugLength = 100;

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
std::string slugify(std::string_view text, std::size_t max_length = kMaxSlugLength);

// True when s is a valid slug: non-empty, at most kMaxSlugLength bytes of
// [a-z0-9-], not starting or ending with '-', no "--".
bool is_valid_slug(std::string_view s);

}  // namespace newsdesk::text
