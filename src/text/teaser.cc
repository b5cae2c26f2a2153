#include "text/teaser.h"

#include "core/strings.h"

namespace newsdesk::text {
namespace {

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Counts code points by their lead bytes, so a stray continuation byte in
// malformed input stays glued to the character before it and is never split.
std::size_t code_point_count(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += is_continuation_byte(c) ? 0 : 1;
  return n;
}

// Byte offset of code point number `index` (the size when past the end).
std::size_t byte_offset(std::string_view s, std::size_t index) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (is_continuation_byte(s[i])) continue;
    if (seen == index) return i;
    ++seen;
  }
  return s.size();
}

// Strips what reads badly before "...": "and, ..." or "state of play - ...".
void strip_trailing_punctuation(std::string& s) {
  // En dash, em dash, and an ellipsis character that would double the "...".
  static constexpr std::string_view kMultiByte[] = {"\u2013", "\u2014", "\u2026"};
  for (;;) {
    if (s.empty()) return;
    const char c = s.back();
    if (c == ' ' || c == ',' || c == ';' || c == ':' || c == '-' || c == '.') {
      s.pop_back();
      continue;
    }
    bool stripped = false;
    for (const std::string_view dash : kMultiByte) {
      if (s.ends_with(dash)) {
        s.resize(s.size() - dash.size());
        stripped = true;
      }
    }
    if (!stripped) return;
  }
}

}  // namespace

std::string crop_teaser(std::string_view text, std::size_t limit) {
  std::string s = collapse_whitespace(text);
  const std::size_t length = code_point_count(s);
  if (length <= limit) return s;
  // Already cropped, by us or by the source (tt_news teasers in imported
  // feeds end in "..."): cropping again must not cut another word.
  static constexpr std::string_view kEllipses[] = {"...", "\u2026"};
  for (const std::string_view ellipsis : kEllipses) {
    if (s.ends_with(ellipsis) && length - code_point_count(ellipsis) <= limit) return s;
  }

  const std::size_t hard_cut = byte_offset(s, limit);
  // A space at code point `limit` itself still leaves `limit` characters.
  std::size_t cut = hard_cut;
  const std::size_t space = s.rfind(' ', hard_cut);
  if (space != std::string::npos && space > 0) cut = space;

  std::string cropped = s.substr(0, cut);
  strip_trailing_punctuation(cropped);
  if (cropped.empty()) {
    // Nothing but punctuation before the boundary: fall back to the hard cut
    // rather than returning a bare "...".
    cropped = s.substr(0, hard_cut);
    while (!cropped.empty() && cropped.back() == ' ') cropped.pop_back();
  }
  cropped += "...";
  return cropped;
}

}  // namespace newsdesk::text
