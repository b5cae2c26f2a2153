// Teasers: short plain-text summaries.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace newsdesk::text {

inline constexpr std::size_t kTeaserLength = 100;

// Crops plain UTF-8 text to at most `limit` characters (code points) at a word
// boundary and appends "..." when anything was cut, as tt_news does:
// "Afghanistan is second only to Syria in the number of refugees originating
// from within its borders...". Whitespace runs collapse to one space first.
// Text that already fits is returned unchanged (so cropping is idempotent).
// In detail: the result is always whitespace-collapsed and trimmed; it is
// returned as is when it has at most `limit` code points, or ends in "..."
// (or U+2026) with at most `limit` code points before it. Otherwise it is cut
// before the last space at or before code point `limit` (at `limit` when
// there is none), trailing " ,;:-." and en/em dashes are stripped, and "..."
// is appended, so the result has at most limit + 3 code points.
std::string crop_teaser(std::string_view text, std::size_t limit = kTeaserLength);

}  // namespace newsdesk::text
