#include "feed/import/parser.h"

#include <libxml/xmlreader.h>

#include <charconv>
#include <cstring>
#include <memory>
#include <string>

#include "text/date.h"
#include "text/sanitize.h"

namespace newsdesk::feed {

namespace {

constexpr std::string_view kContentNs = "http://purl.org/rss/1.0/modules/content/";
constexpr std::string_view kDcNs = "http://purl.org/dc/elements/1.1/";

struct ReaderDeleter {
  void operator()(xmlTextReaderPtr r) const { xmlFreeTextReader(r); }
};
using Reader = std::unique_ptr<xmlTextReader, ReaderDeleter>;

std::string_view view(const xmlChar* s) {
  return s == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(s));
}

std::string_view local_name(const xmlNode* n) { return view(n->name); }
std::string_view ns_uri(const xmlNode* n) { return n->ns == nullptr ? "" : view(n->ns->href); }

// Elements of RSS itself are in no namespace (RSS 0.9x/2.0) or in the RSS 1.0
// one; either counts.
bool is_rss(const xmlNode* n, std::string_view name) {
  const std::string_view ns = ns_uri(n);
  return local_name(n) == name && (ns.empty() || ns == "http://purl.org/rss/1.0/" ||
                                   ns == "http://my.netscape.com/rdf/simple/0.9/");
}
bool is(const xmlNode* n, std::string_view ns, std::string_view name) {
  return local_name(n) == name && ns_uri(n) == ns;
}

// The text of a node: text and CDATA descendants only. Entity references are
// skipped rather than expanded, so no entity defined in a DTD (a "billion
// laughs" bomb among them) is ever substituted.
void append_text(const xmlNode* n, std::string& out) {
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      out.append(view(c->content));
    } else if (c->type == XML_ELEMENT_NODE) {
      append_text(c, out);
    }
  }
}

std::string text_of(const xmlNode* n) {
  std::string out;
  append_text(n, out);
  return out;
}

std::string trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  const auto end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(begin, end - begin + 1));
}

// Titles are plain text; some feeds put HTML or escaped entities in them.
std::string plain_text(std::string_view s) {
  if (s.find_first_of("<&") != std::string_view::npos) return text::html_to_text(s);
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

std::string attribute(const xmlNode* n, const char* name) {
  xmlChar* value = xmlGetNoNsProp(n, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) return "";
  std::string out(view(value));
  xmlFree(value);
  return trim(out);
}

template <typename Int>
Int to_int(std::string_view s) {
  Int value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc() && ptr == s.data() + s.size() && value >= 0 ? value : 0;
}

std::optional<model::DateTime> parse_date(std::string_view s) {
  const std::string t = trim(s);
  if (auto d = text::parse_rfc822(t)) return d;
  return text::parse_rfc3339(t);
}

// A link as given, or resolved when relative; "" when it is no usable URL.
std::string url_of(std::string_view base, std::string_view s) {
  const std::string t = trim(s);
  if (t.empty()) return "";
  return text::resolve_url(base, t);
}

ParsedItem read_item(const xmlNode* item, std::string_view base) {
  ParsedItem out;
  std::string description;
  std::string content;
  for (const xmlNode* c = item->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (is_rss(c, "title")) {
      out.title = plain_text(text_of(c));
    } else if (is_rss(c, "link")) {
      out.link = url_of(base, text_of(c));
    } else if (is_rss(c, "description")) {
      description = text_of(c);
    } else if (is(c, kContentNs, "encoded")) {
      content = text_of(c);
    } else if (is_rss(c, "guid")) {
      out.guid = trim(text_of(c));
    } else if (is_rss(c, "pubDate")) {
      out.published = parse_date(text_of(c));
    } else if (is(c, kDcNs, "date")) {
      if (!out.published) out.published = parse_date(text_of(c));
    } else if (is_rss(c, "author") || is(c, kDcNs, "creator")) {
      if (std::string a = plain_text(text_of(c)); !a.empty()) out.authors.push_back(a);
    } else if (is_rss(c, "category") || is(c, kDcNs, "subject")) {
      if (std::string a = plain_text(text_of(c)); !a.empty()) out.categories.push_back(a);
    } else if (is_rss(c, "enclosure")) {
      ParsedEnclosure e;
      e.url = url_of(base, attribute(c, "url"));
      e.type = attribute(c, "type");
      e.length = to_int<std::int64_t>(attribute(c, "length"));
      if (!e.url.empty()) out.enclosures.push_back(std::move(e));
    }
  }
  out.summary = text::sanitize_html(description, base);
  out.content_html = text::sanitize_html(content, base);
  return out;
}

void read_channel_field(const xmlNode* c, ParsedFeed& feed) {
  if (is_rss(c, "title")) {
    feed.title = plain_text(text_of(c));
  } else if (is_rss(c, "link")) {
    feed.link = trim(text_of(c));
  } else if (is_rss(c, "description")) {
    feed.description = plain_text(text_of(c));
  } else if (is_rss(c, "language") || is(c, kDcNs, "language")) {
    feed.language = trim(text_of(c));
  } else if (is_rss(c, "lastBuildDate")) {
    feed.updated = parse_date(text_of(c));
  } else if (is_rss(c, "pubDate") || is(c, kDcNs, "date")) {
    if (!feed.updated) feed.updated = parse_date(text_of(c));
  } else if (is_rss(c, "generator")) {
    feed.generator = plain_text(text_of(c));
  } else if (is_rss(c, "image")) {
    ParsedImage image;
    for (const xmlNode* i = c->children; i != nullptr; i = i->next) {
      if (i->type != XML_ELEMENT_NODE) continue;
      if (is_rss(i, "url")) image.url = trim(text_of(i));
      if (is_rss(i, "title")) image.title = plain_text(text_of(i));
      if (is_rss(i, "link")) image.link = trim(text_of(i));
      if (is_rss(i, "width")) image.width = to_int<int>(trim(text_of(i)));
      if (is_rss(i, "height")) image.height = to_int<int>(trim(text_of(i)));
    }
    if (!image.url.empty()) feed.image = image;
  }
}

// libxml2 reports every recoverable error through this; recovery goes on, so
// they are not fatal for us. Silenced to keep stderr for our own messages.
void ignore_error(void*, const char*, xmlParserSeverities, xmlTextReaderLocatorPtr) {}

Error invalid(std::string what) { return make_error(ErrorCode::kInvalid, "feed: " + what); }

struct DocDeleter {
  void operator()(xmlDocPtr d) const { xmlFreeDoc(d); }
};

int depth_of(const xmlNode* n) {
  int depth = 0;
  for (const xmlNode* p = n->parent; p != nullptr && p->type == XML_ELEMENT_NODE; p = p->parent) {
    ++depth;
  }
  return depth;
}

// The slow path for input the streaming reader gives up on (an undefined
// entity, a broken tag early on): libxml2's recovering tree parser, walked
// the same way. Memory is bounded by ParseLimits::max_bytes.
Result<ParsedFeed> parse_tree(std::string_view bytes, std::string_view base_url,
                              const ParseLimits& limits, int options) {
  std::unique_ptr<xmlDoc, DocDeleter> doc(
      xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr, options));
  const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (root == nullptr) return invalid(bytes.empty() ? "empty input" : "not a feed: no XML found");
  const std::string_view root_name = local_name(root);
  if (root_name == "feed") return invalid("Atom feeds are not supported yet");
  if (root_name != "rss" && root_name != "RDF") {
    return invalid("not a feed: the root element is <" + std::string(root_name) + ">");
  }
  ParsedFeed feed;
  feed.format = "rss";
  std::string base(base_url);
  auto visit = [&](const xmlNode* parent, auto& self) -> Result<void> {
    for (const xmlNode* c = parent->children; c != nullptr; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      if (depth_of(c) > limits.max_depth) return invalid("elements nested too deeply");
      if (local_name(c) == "channel" && c->parent == root) {
        if (auto r = self(c, self); !r) return r;
      } else if (local_name(c) == "item") {
        if (feed.items.size() >= limits.max_items) {
          return invalid("more than " + std::to_string(limits.max_items) + " items");
        }
        feed.items.push_back(read_item(c, base.empty() ? feed.link : base));
      } else if (parent != root) {
        read_channel_field(c, feed);
      }
    }
    return {};
  };
  if (auto r = visit(root, visit); !r) return r.error();
  return feed;
}

}  // namespace

Result<ParsedFeed> parse_feed(std::string_view bytes, std::string_view base_url,
                              const ParseLimits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return invalid("input is larger than the limit of " + std::to_string(limits.max_bytes) +
                   " bytes");
  }
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX)) return invalid("input too large");
  // NONET: never fetch; no NOENT/DTDLOAD/DTDATTR: no entity substitution, no
  // DTD loading; RECOVER: read what ill-formed real-world feeds still hold.
  const int options = XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR |
                      XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
  Reader reader(
      xmlReaderForMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr, options));
  if (!reader) return invalid("cannot create an XML reader");
  xmlTextReaderSetErrorHandler(reader.get(), ignore_error, nullptr);

  ParsedFeed feed;
  bool root_seen = false;
  bool in_channel = false;
  std::string base(base_url);
  int ret = xmlTextReaderRead(reader.get());
  while (ret == 1) {
    xmlTextReaderPtr r = reader.get();
    if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) {
      ret = xmlTextReaderRead(r);
      continue;
    }
    const int depth = xmlTextReaderDepth(r);
    if (depth > limits.max_depth) return invalid("elements nested too deeply");
    const std::string_view name = view(xmlTextReaderConstLocalName(r));
    if (depth == 0) {
      if (name == "feed") return invalid("Atom feeds are not supported yet");
      if (name != "rss" && name != "RDF") {
        return invalid("not a feed: the root element is <" + std::string(name) + ">");
      }
      root_seen = true;
      feed.format = "rss";
      ret = xmlTextReaderRead(r);
      continue;
    }
    if (depth == 1 && name == "channel") {
      in_channel = true;
      ret = xmlTextReaderRead(r);
      continue;
    }
    // RSS 2.0 nests items in <channel>; RSS 0.90 and 1.0 make them its siblings.
    if (name == "item" && depth <= 2) {
      if (feed.items.size() >= limits.max_items) {
        return invalid("more than " + std::to_string(limits.max_items) + " items");
      }
      const xmlNode* node = xmlTextReaderExpand(r);
      if (node == nullptr) return parse_tree(bytes, base_url, limits, options);
      feed.items.push_back(read_item(node, base.empty() ? feed.link : base));
      ret = xmlTextReaderNext(r);
      continue;
    }
    if (depth == 2 && in_channel) {
      const xmlNode* node = xmlTextReaderExpand(r);
      if (node == nullptr) return parse_tree(bytes, base_url, limits, options);
      read_channel_field(node, feed);
      ret = xmlTextReaderNext(r);
      continue;
    }
    ret = depth == 1 ? xmlTextReaderNext(r) : xmlTextReaderRead(r);
  }
  if (ret < 0) return parse_tree(bytes, base_url, limits, options);
  if (!root_seen) {
    return invalid(bytes.empty() ? "empty input" : "not a feed: no RSS root element found");
  }
  return feed;
}

}  // namespace newsdesk::feed
