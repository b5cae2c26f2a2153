// libFuzzer target: the sanitizer's fast path against its gumbo path
// (text/sanitize_fast.h). Whenever the fast path accepts an input, its output
// must be byte for byte the gumbo path's, with and without a base URL, and
// must pass the allow-list oracle (html_oracle.h); html_to_text's fast path
// likewise. A difference prints both outputs and aborts, so libFuzzer keeps
// the input as a crash.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "html_oracle.h"
#include "text/sanitize_fast.h"

namespace {

void check_same(std::string_view what, std::string_view input, std::string_view fast,
                std::string_view gumbo) {
  if (fast == gumbo) return;
  std::fprintf(stderr,
               "sanitize_diff: %.*s differs\n--- input ---\n%.*s\n--- fast ---\n%.*s\n"
               "--- gumbo ---\n%.*s\n---\n",
               static_cast<int>(what.size()), what.data(), static_cast<int>(input.size()),
               input.data(), static_cast<int>(fast.size()), fast.data(),
               static_cast<int>(gumbo.size()), gumbo.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace internal = newsdesk::text::internal;
  const std::string_view html(reinterpret_cast<const char*>(data), size);
  for (const std::string_view base :
       {std::string_view(), std::string_view("https://www.icmpd.org/news-centre/news-detail/x/")}) {
    if (const std::optional<std::string> fast = internal::sanitize_html_fast(html, base)) {
      check_same("sanitize_html", html, *fast, internal::sanitize_html_gumbo(html, base));
      newsdesk::fuzz::check_sanitized_html(*fast);
    }
  }
  if (const std::optional<std::string> fast = internal::html_to_text_fast(html)) {
    check_same("html_to_text", html, *fast, internal::html_to_text_gumbo(html));
  }
  return 0;
}
