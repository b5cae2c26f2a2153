// libFuzzer target: Markdown rendering (cmark-gfm with GitHub's extensions,
// then the sanitizer) on arbitrary bytes, without and with a base URL, and
// with a small input limit so the cut at a UTF-8 boundary is exercised.
// Every output must pass the allow-list oracle (html_oracle.h): whatever an
// editor types, nothing executable reaches a page.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "html_oracle.h"
#include "text/markdown.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view markdown(reinterpret_cast<const char*>(data), size);
  newsdesk::fuzz::check_sanitized_html(newsdesk::text::markdown_to_html(markdown));
  newsdesk::fuzz::check_sanitized_html(
      newsdesk::text::markdown_to_html(markdown, "https://www.icmpd.org/news-centre/news/x/"));
  // A limit that falls inside the input (and often inside a character).
  if (size > 2) {
    newsdesk::fuzz::check_sanitized_html(newsdesk::text::markdown_to_html(
        markdown, "https://www.icmpd.org/", static_cast<std::size_t>(data[0]) % size));
  }
  return 0;
}
