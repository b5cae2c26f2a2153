// libFuzzer target: the HTML sanitizer and the text extractor on arbitrary
// bytes, with and without a base URL (relative URLs are dropped without one,
// resolved with one). Sanitized output must pass the allow-list oracle
// (html_oracle.h).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "html_oracle.h"
#include "text/sanitize.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view html(reinterpret_cast<const char*>(data), size);
  newsdesk::fuzz::check_sanitized_html(newsdesk::text::sanitize_html(html));
  newsdesk::fuzz::check_sanitized_html(
      newsdesk::text::sanitize_html(html, "https://www.icmpd.org/news-centre/news-detail/x/"));
  const std::string text = newsdesk::text::html_to_text(html);
  (void)text;
  return 0;
}
