// Internal to text/: the sanitizer's fast path and the pieces it shares with
// the gumbo path in sanitize.cc. Callers use sanitize.h; the fuzz targets
// (fuzz/sanitize_diff_fuzzer.cc) call both paths to compare them.
//
// The fast path reads a strict, simple subset of HTML with a hand-written
// tokenizer and no tree: allow-listed elements only (no tables), quoted
// attribute values, end tags that close exactly the current element, a small
// set of entities (always with ';'), valid UTF-8 without controls, and no
// nesting that makes an HTML5 parser restructure (a block inside <p>, <li>
// outside a list, <a> inside <a>, headings in headings). For such input the
// HTML5 tree is the tag structure as written, so writing it out with the
// gumbo path's own rules (vet_url, append_html_escaped) gives the same bytes.
// Anything else returns nullopt, and the caller takes the gumbo path.
// fuzz/sanitize_diff_fuzzer.cc checks "same bytes" on random input.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace newsdesk::text::internal {

// The gumbo paths: what sanitize_html and html_to_text do when the fast
// path declines. Thread-safe.
std::string sanitize_html_gumbo(std::string_view html, std::string_view base_url);
std::string html_to_text_gumbo(std::string_view html);

// The fast paths: the same result as the gumbo paths, or nullopt when the
// input is outside the subset they read. Thread-safe.
std::optional<std::string> sanitize_html_fast(std::string_view html, std::string_view base_url);
// Only for input without '<': entity decoding and whitespace collapsing.
std::optional<std::string> html_to_text_fast(std::string_view html);

// Shared with sanitize.cc, so both paths apply one set of rules.
enum class UrlUse { kLink, kImage };
// The sanitized form of an href (kLink) or src (kImage) value, its
// character references already decoded; nullopt drops the attribute.
std::optional<std::string> vet_url(std::string_view value, UrlUse use, std::string_view base);
// Decoded text escaped for HTML output (&, <, >, and " in attributes; CR as
// LF; controls and noncharacters dropped).
void append_html_escaped(std::string& out, std::string_view text, bool in_attribute);
// ASCII whitespace and U+00A0 collapsed to single spaces, both ends trimmed.
std::string collapse_html_whitespace(std::string_view s);

// The gumbo path cuts input past its kMaxTags-th '<'.
inline constexpr std::size_t kMaxTags = 20000;

}  // namespace newsdesk::text::internal
