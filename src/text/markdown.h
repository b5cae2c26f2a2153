// Markdown as editors write it: CommonMark with GitHub's tables,
// strikethrough, autolinks and task lists (cmark-gfm), rendered to HTML and
// then sanitized like every other HTML that enters newsdesk.
#pragma once

#include <string>
#include <string_view>

namespace newsdesk::text {

// Renders Markdown to sanitized HTML. Raw HTML in the Markdown goes through
// the same allow-list as imported HTML (sanitize_html), so a <script> in a
// body never survives; relative links are resolved against base_url (and
// dropped without one). Input beyond max_bytes is cut at a UTF-8 character
// boundary first (cmark-gfm is linear, the sanitizer is not). Thread-safe.
std::string markdown_to_html(std::string_view markdown, std::string_view base_url = "",
                             std::size_t max_bytes = 1u << 20);

}  // namespace newsdesk::text
