// What the fuzz targets check on sanitized HTML, beyond "does not crash":
// the promise of text/sanitize.h. The output is parsed again with gumbo, as
// a browser would, and every element and attribute found must be on the
// allow-list, href only on <a> and src only on <img>, with an http, https
// (or, for href, mailto) URL. A violation prints the output and aborts, so
// libFuzzer records the input as a crash.
//
// The allow-list below repeats the one in text/sanitize.cc on purpose: an
// oracle that called the sanitizer's own list could not notice that list
// growing by mistake. Change both together, after thinking twice.
#pragma once

#include <gumbo.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace newsdesk::fuzz {

[[noreturn]] inline void oracle_failure(std::string_view what, std::string_view html) {
  std::fprintf(stderr, "html_oracle: %.*s\n--- sanitized output ---\n%.*s\n---\n",
               static_cast<int>(what.size()), what.data(), static_cast<int>(html.size()),
               html.data());
  std::abort();
}

inline bool allowed_element(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_A:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_B:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_I:
    case GUMBO_TAG_U:
    case GUMBO_TAG_S:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_Q:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_ABBR:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_DIV:
      return true;
    default:
      return false;
  }
}

inline bool allowed_plain_attribute(std::string_view name) {
  for (const std::string_view a :
       {"alt", "title", "width", "height", "colspan", "rowspan", "lang", "dir"}) {
    if (name == a) return true;
  }
  return false;
}

// The scheme as a browser sees it (leading spaces/controls skipped, tab and
// newline removed), lower-cased; "" when there is none.
inline std::string url_scheme(std::string_view url) {
  std::string cleaned;
  for (const char c : url) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (cleaned.empty() && static_cast<unsigned char>(c) <= 0x20) continue;
    cleaned += c;
  }
  const std::size_t colon = cleaned.find(':');
  if (colon == std::string::npos || cleaned.find_first_of("/?#") < colon) return "";
  std::string scheme = cleaned.substr(0, colon);
  for (char& c : scheme) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return scheme;
}

inline void check_sanitized_html(std::string_view html) {
  if (html.empty()) return;
  GumboOptions options = kGumboDefaultOptions;
  options.fragment_context = GUMBO_TAG_DIV;
  options.fragment_namespace = GUMBO_NAMESPACE_HTML;
  options.max_errors = 0;
  GumboOutput* output = gumbo_parse_with_options(&options, html.data(), html.size());
  if (output == nullptr) return;
  std::vector<const GumboVector*> stack{&output->root->v.element.children};
  std::string failure;
  while (!stack.empty() && failure.empty()) {
    const GumboVector* children = stack.back();
    stack.pop_back();
    for (unsigned i = 0; i < children->length && failure.empty(); ++i) {
      const auto* node = static_cast<const GumboNode*>(children->data[i]);
      if (node->type == GUMBO_NODE_COMMENT) {
        failure = "a comment survived";
        break;
      }
      if (node->type == GUMBO_NODE_TEMPLATE) {
        failure = "a <template> survived";
        break;
      }
      if (node->type != GUMBO_NODE_ELEMENT) continue;
      const GumboElement& e = node->v.element;
      if (e.tag_namespace != GUMBO_NAMESPACE_HTML || !allowed_element(e.tag)) {
        failure =
            std::string("element not on the allow-list: <") +
            (e.tag == GUMBO_TAG_UNKNOWN ? std::string(e.original_tag.data, e.original_tag.length)
                                        : gumbo_normalized_tagname(e.tag)) +
            ">";
        break;
      }
      for (unsigned k = 0; k < e.attributes.length; ++k) {
        const auto* a = static_cast<const GumboAttribute*>(e.attributes.data[k]);
        const std::string_view name = a->name;
        const std::string scheme = url_scheme(a->value);
        if (name == "href" && e.tag == GUMBO_TAG_A) {
          if (scheme != "http" && scheme != "https" && scheme != "mailto") {
            failure = "href with a scheme not allowed: " + std::string(a->value);
          }
        } else if (name == "src" && e.tag == GUMBO_TAG_IMG) {
          if (scheme != "http" && scheme != "https") {
            failure = "src with a scheme not allowed: " + std::string(a->value);
          }
        } else if (name == "rel" && e.tag == GUMBO_TAG_A) {
          if (std::string_view(a->value) != "noopener") failure = "rel is not noopener";
        } else if (!allowed_plain_attribute(name)) {
          failure = "attribute not on the allow-list: " + std::string(name);
        }
      }
      stack.push_back(&e.children);
    }
  }
  gumbo_destroy_output(&options, output);
  if (!failure.empty()) oracle_failure(failure, html);
}

}  // namespace newsdesk::fuzz
