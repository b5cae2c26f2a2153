#include "text/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <mutex>

#include "text/sanitize.h"

namespace newsdesk::text {

namespace {

struct ParserFree {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeFree {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct CharFree {
  void operator()(char* s) const { std::free(s); }
};

constexpr std::array<const char*, 4> kExtensions = {"table", "strikethrough", "autolink",
                                                    "tasklist"};

std::string_view cut_utf8(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

}  // namespace

std::string markdown_to_html(std::string_view markdown, std::string_view base_url,
                             std::size_t max_bytes) {
  // Registration touches a global list in cmark-gfm: once, before any parse.
  static std::once_flag registered;
  std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });

  markdown = cut_utf8(markdown, max_bytes);
  // CMARK_OPT_UNSAFE keeps raw HTML for the sanitizer to judge: without it,
  // cmark replaces every raw tag with a comment and an editor's <sup> or
  // <figure> would vanish. The sanitizer is the one gate, as for imports.
  const int options = CMARK_OPT_UNSAFE | CMARK_OPT_SMART | CMARK_OPT_VALIDATE_UTF8;
  std::unique_ptr<cmark_parser, ParserFree> parser(cmark_parser_new(options));
  if (!parser) return std::string();
  for (const char* name : kExtensions) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeFree> doc(cmark_parser_finish(parser.get()));
  if (!doc) return std::string();
  std::unique_ptr<char, CharFree> html(
      cmark_render_html(doc.get(), options, cmark_parser_get_syntax_extensions(parser.get())));
  if (!html) return std::string();
  return sanitize_html(html.get(), base_url);
}

}  // namespace newsdesk::text
