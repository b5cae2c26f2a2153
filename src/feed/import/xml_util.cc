#include "feed/import/xml_util.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <vector>

#include "core/strings.h"
#include "text/date.h"
#include "text/sanitize.h"

namespace newsdesk::feed::internal {

namespace {

// libxml2 reports every recoverable error through this; recovery goes on, so
// they are not fatal for us. Silenced to keep stderr for our own messages.
void ignore_error(void*, const char*, xmlParserSeverities, xmlTextReaderLocatorPtr) {}

void append_text(const xmlNode* n, std::string& out) {
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      out.append(view(c->content));
    } else if (c->type == XML_ELEMENT_NODE) {
      append_text(c, out);
    }
  }
}

// An attribute's value from its text children only: like append_text, an
// entity reference in a value is not expanded.
std::string attribute_value(const xmlAttr* a) {
  std::string out;
  for (const xmlNode* c = a->children; c != nullptr; c = c->next) {
    if (c->type == XML_TEXT_NODE) out.append(view(c->content));
  }
  return out;
}

// HTML void elements: written without end tag, since an HTML parser reads
// "</br>" as a second line break.
bool is_void_element(std::string_view name) {
  static constexpr std::string_view kVoid[] = {"area",  "base",   "br",    "col",  "embed",
                                               "hr",    "img",    "input", "link", "meta",
                                               "param", "source", "track", "wbr"};
  for (const std::string_view v : kVoid) {
    if (name == v) return true;
  }
  return false;
}

// Recursion depth is bounded: libxml2 halts past 256 levels of nesting
// (without XML_PARSE_HUGE, which we never set) and readers check
// ParseLimits::max_depth before serializing.
void append_html(const xmlNode* n, std::string& out) {
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      append_escaped(out, view(c->content));
    } else if (c->type == XML_ELEMENT_NODE) {
      const std::string_view name = local_name(c);
      out += '<';
      out += name;
      for (const xmlAttr* a = c->properties; a != nullptr; a = a->next) {
        if (a->ns != nullptr) continue;
        out += ' ';
        out.append(view(a->name));
        out += "=\"";
        append_escaped(out, attribute_value(a));
        out += '"';
      }
      out += '>';
      if (is_void_element(name)) continue;
      append_html(c, out);
      out += "</";
      out += name;
      out += '>';
    }
  }
}

}  // namespace

XmlReader open_reader(std::string_view bytes) {
  XmlReader reader(xmlReaderForMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr,
                                      nullptr, kXmlParseOptions));
  if (reader) xmlTextReaderSetErrorHandler(reader.get(), ignore_error, nullptr);
  return reader;
}

XmlReader open_reader(xmlInputReadCallback read, void* context) {
  XmlReader reader(xmlReaderForIO(read, nullptr, context, nullptr, nullptr, kXmlParseOptions));
  if (reader) xmlTextReaderSetErrorHandler(reader.get(), ignore_error, nullptr);
  return reader;
}

XmlDoc read_tree(std::string_view bytes, bool* too_deep) {
  struct CtxtDeleter {
    void operator()(xmlParserCtxtPtr c) const { xmlFreeParserCtxt(c); }
  };
  const std::unique_ptr<xmlParserCtxt, CtxtDeleter> ctxt(xmlNewParserCtxt());
  if (too_deep != nullptr) *too_deep = false;
  if (!ctxt) return nullptr;
  XmlDoc doc(xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()), nullptr,
                               nullptr, kXmlParseOptions));
  // libxml2 2.9 reports its depth limit as an internal error and halts.
  const xmlError& e = ctxt->lastError;
  if (too_deep != nullptr && e.code == XML_ERR_INTERNAL_ERROR && e.message != nullptr &&
      std::strstr(e.message, "Excessive depth") != nullptr) {
    *too_deep = true;
  }
  return doc;
}

namespace {

bool is_name_start(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c >= 0x80;
}
bool is_name_char(unsigned char c) {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}
bool is_xml_predefined(std::string_view name) {
  return name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos";
}

// How a '&' at s[i] is written, once decidable.
enum class Ampersand {
  kKeep,     // a character reference, an XML entity or an unknown name: as is
  kBare,     // no reference: "&amp;"
  kHtml,     // an HTML entity: a numeric reference
  kUnknown,  // the piece ends before it can be told
};

struct AmpersandScan {
  Ampersand kind;
  std::size_t end;  // one past the reference (kKeep, kHtml) or the '&' (kBare)
  int code_point = 0;
};

AmpersandScan scan_ampersand(std::string_view s, std::size_t i, bool last) {
  const AmpersandScan unknown{Ampersand::kUnknown, i};
  const AmpersandScan bare{Ampersand::kBare, i + 1};
  if (i + 1 >= s.size()) return last ? bare : unknown;
  if (s[i + 1] == '#') {
    // A well-formed character reference ("&#233;", "&#xE9;") is kept.
    std::size_t j = i + 2;
    const bool hex = j < s.size() && s[j] == 'x';
    if (hex) ++j;
    if (j >= s.size() && !last) return unknown;
    const std::size_t digits_start = j;
    while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) ||
                            (hex && std::isxdigit(static_cast<unsigned char>(s[j]))))) {
      ++j;
    }
    if (j >= s.size() && !last) return unknown;
    const bool ok = j > digits_start && j < s.size() && s[j] == ';';
    return ok ? AmpersandScan{Ampersand::kKeep, j + 1} : bare;
  }
  std::size_t j = i + 1;
  if (is_name_start(static_cast<unsigned char>(s[j]))) {
    while (j < s.size() && is_name_char(static_cast<unsigned char>(s[j]))) ++j;
  }
  if (j >= s.size() && !last) {
    return j - i > ReferenceRepairer::kMaxPendingName ? bare : unknown;
  }
  if (j == i + 1 || j >= s.size() || s[j] != ';') return bare;  // no "&name;"
  const std::string name(s.substr(i + 1, j - i - 1));
  if (!is_xml_predefined(name)) {
    if (const htmlEntityDesc* e =
            htmlEntityLookup(reinterpret_cast<const xmlChar*>(name.c_str()))) {
      return AmpersandScan{Ampersand::kHtml, j + 1, static_cast<int>(e->value)};
    }
  }
  return AmpersandScan{Ampersand::kKeep, j + 1};
}

}  // namespace

void ReferenceRepairer::push(std::string_view piece, bool last, std::string& out) {
  // Without a tail from the piece before, the piece is read in place.
  const bool in_place = pending_.empty();
  if (!in_place) pending_.append(piece);
  const std::string_view s = in_place ? piece : std::string_view(pending_);
  if (!decided_) {
    if (s.size() < 4 && !last) {
      if (in_place) pending_.assign(piece);
      return;
    }
    // UTF-16/32 (a BOM or a NUL among the first bytes): '&' is not one byte there.
    const std::string_view head = s;
    enabled_ = !(head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF") ||
                 head.substr(0, 4).find('\0') != std::string_view::npos);
    decided_ = true;
  }
  if (!enabled_) {
    out.append(s);
    pending_.clear();
    return;
  }
  std::size_t i = 0;
  std::size_t copied = 0;  // s[copied, i) is still to be appended to out
  while (i < s.size()) {
    if (!close_.empty()) {
      // In a region where '&' is literal or means nothing: up to its end.
      const std::size_t end = s.find(close_, i);
      if (end != std::string_view::npos) {
        i = end + close_.size();
        close_ = {};
        continue;
      }
      if (last) {
        i = s.size();
        close_ = {};
        break;
      }
      // Keep what could be the start of the closing string.
      i = std::max(i, s.size() - std::min(s.size(), close_.size() - 1));
      break;
    }
    std::size_t j = i;
    while (j < s.size() && s[j] != '<' && s[j] != '&') ++j;
    i = j;
    if (i == s.size()) break;
    if (s[i] == '<') {
      if (s.size() - i < 9 && !last) break;  // "<![CDATA[" may be cut
      if (s.compare(i, 9, "<![CDATA[") == 0) {
        close_ = "]]>";
      } else if (s.compare(i, 4, "<!--") == 0) {
        close_ = "-->";
      } else if (s.compare(i, 2, "<?") == 0) {
        close_ = "?>";
      }
      // As repair_references always did: the end is looked for from i + 2.
      i += close_.empty() ? 1 : 2;
      continue;
    }
    const AmpersandScan a = scan_ampersand(s, i, last);
    if (a.kind == Ampersand::kUnknown) break;
    if (a.kind == Ampersand::kKeep) {
      i = a.end;
      continue;
    }
    changed_ = true;
    out.append(s.substr(copied, i - copied));
    if (a.kind == Ampersand::kBare) {
      out += "&amp;";
    } else {
      out += "&#";
      out += std::to_string(a.code_point);
      out += ';';
    }
    i = a.end;
    copied = i;
  }
  out.append(s.substr(copied, i - copied));
  if (in_place) {
    pending_.assign(s.substr(i));
  } else {
    pending_.erase(0, i);
  }
}

std::optional<std::string> repair_references(std::string_view s) {
  ReferenceRepairer repairer;
  std::string out;
  out.reserve(s.size() + 64);
  repairer.push(s, true, out);
  if (!repairer.changed()) return std::nullopt;
  return out;
}

std::string text_of(const xmlNode* n) {
  std::string out;
  append_text(n, out);
  return out;
}

std::string attribute(const xmlNode* n, const char* name) {
  xmlChar* value = xmlGetNoNsProp(n, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) return "";
  std::string out = trim(view(value));
  xmlFree(value);
  return out;
}

std::string xml_attribute(const xmlNode* n, const char* name) {
  xmlChar* value = xmlGetNsProp(n, reinterpret_cast<const xmlChar*>(name), XML_XML_NAMESPACE);
  if (value == nullptr) return "";
  std::string out = trim(view(value));
  xmlFree(value);
  return out;
}

std::string children_as_html(const xmlNode* n) {
  std::string out;
  append_html(n, out);
  return out;
}

bool deeper_than(const xmlNode* top, int levels) {
  int depth = 1;
  const xmlNode* n = top->children;
  while (n != nullptr) {
    if (n->type == XML_ELEMENT_NODE) {
      if (depth > levels) return true;
      if (n->children != nullptr) {
        n = n->children;
        ++depth;
        continue;
      }
    }
    while (n->next == nullptr) {
      n = n->parent;
      --depth;
      if (n == top || n == nullptr) return false;
    }
    n = n->next;
  }
  return false;
}

std::string base_of(const xmlNode* n, std::string_view outer) {
  std::vector<const xmlNode*> chain;
  for (const xmlNode* p = n; p != nullptr && p->type == XML_ELEMENT_NODE; p = p->parent) {
    chain.push_back(p);
  }
  std::string base(outer);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const std::string xml_base = xml_attribute(*it, "base");
    if (xml_base.empty()) continue;
    if (std::string resolved = text::resolve_url(base, xml_base); !resolved.empty()) {
      base = std::move(resolved);
    }
  }
  return base;
}

std::string trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  const auto end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(begin, end - begin + 1));
}

std::string plain_text(std::string_view s) {
  if (s.find_first_of("<&") != std::string_view::npos) return text::html_to_text(s);
  return collapse_whitespace(s);
}

std::optional<model::DateTime> parse_date(std::string_view s) {
  const std::string t = trim(s);
  if (auto d = text::parse_rfc822(t)) return d;
  return text::parse_rfc3339(t);
}

std::string url_of(std::string_view base, std::string_view s) {
  const std::string t = trim(s);
  if (t.empty()) return "";
  return text::resolve_url(base, t);
}

Error invalid(std::string_view what) {
  return make_error(ErrorCode::kInvalid, "feed: " + std::string(what));
}

}  // namespace newsdesk::feed::internal
