#include "feed/import/xml_util.h"

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

XmlDoc read_tree(std::string_view bytes) {
  return XmlDoc(xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr,
                              kXmlParseOptions));
}

std::optional<XmlRoot> sniff_root(std::string_view bytes) {
  if (XmlReader reader = open_reader(bytes)) {
    while (xmlTextReaderRead(reader.get()) == 1) {
      if (xmlTextReaderNodeType(reader.get()) == XML_READER_TYPE_ELEMENT) {
        return XmlRoot{std::string(view(xmlTextReaderConstLocalName(reader.get()))),
                       std::string(view(xmlTextReaderConstNamespaceUri(reader.get())))};
      }
    }
  }
  // The streaming reader gives up on some ill-formed prologs that the
  // recovering tree parser gets past.
  const XmlDoc doc = read_tree(bytes);
  const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (root == nullptr) return std::nullopt;
  return XmlRoot{std::string(local_name(root)), std::string(ns_uri(root))};
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
