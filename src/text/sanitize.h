// The one HTML sanitizer: an allow-list over gumbo's HTML5 parse tree. Used
// on every piece of HTML that enters newsdesk (imports, API, admin).
#pragma once

#include <string>
#include <string_view>

namespace newsdesk::text {

// Returns well-formed HTML keeping only allow-listed elements (p, br, a, ul,
// ol, li, strong, b, em, i, u, s, blockquote, q, cite, code, pre, h2-h6, hr,
// img, figure, figcaption, table, thead, tbody, tfoot, tr, th, td, caption,
// sub, sup, abbr, dl, dt, dd, span, div) and attributes (href, src, alt,
// title, width, height, colspan, rowspan, lang, dir). Dropped with their
// content: script, style, iframe, object, embed, form, template, noscript,
// meta, base, link, svg, math. Other unknown elements are unwrapped (their
// text kept). Every on* attribute goes. href/src keep only http, https and
// mailto URLs (src: http, https); relative URLs are resolved against
// base_url when one is given, else dropped. Links get rel="noopener".
// href is kept only on <a> and src only on <img>; absolute URLs are kept as
// written; an <a> nested in another is unwrapped. Comments and control
// characters are dropped. Already clean HTML comes back byte for byte
// (attributes double-quoted, void elements without end tag), so sanitizing
// twice changes nothing for well-nested markup; for badly mis-nested input a
// second pass may rebuild the tree differently, always within the
// allow-list. Input past its 20 000th '<' is cut: gumbo is quadratic in
// nesting depth. Thread-safe.
// Simple, clean HTML (most feed bodies) is read by a fast path without gumbo
// that gives the same bytes (sanitize_fast.h); the rest goes through gumbo.
std::string sanitize_html(std::string_view html, std::string_view base_url = "");

// The visible text of an HTML fragment, entities decoded, whitespace collapsed
// to single spaces (U+00A0 counts as whitespace), block elements and <br>
// separated by a space; script, style, template and the like contribute nothing.
std::string html_to_text(std::string_view html);

// Resolves a possibly relative URL against a base (RFC 3986 §5.2); returns ""
// when the result is not an absolute http(s) (with a host) or mailto URL.
// Leading/trailing spaces and controls, and tabs and newlines anywhere, are
// removed first, as browsers do; the scheme comes back lower-cased.
std::string resolve_url(std::string_view base, std::string_view ref);

}  // namespace newsdesk::text
