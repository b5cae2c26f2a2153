// RSS 0.90, 0.91/0.92, 1.0 (RDF) and 2.0.
// Specs: https://www.rssboard.org/rss-specification (2.0),
// https://web.resource.org/rss/1.0/spec (1.0), and the content and Dublin
// Core modules below.

#include <string>
#include <vector>

#include "feed/import/parser.h"
#include "feed/import/xml_util.h"
#include "text/sanitize.h"

namespace newsdesk::feed::internal {

namespace {

constexpr std::string_view kContentNs = "http://purl.org/rss/1.0/modules/content/";
constexpr std::string_view kDcNs = "http://purl.org/dc/elements/1.1/";
// Media RSS, https://www.rssboard.org/media-rss
constexpr std::string_view kMediaNs = "http://search.yahoo.com/mrss/";

// Elements of RSS itself are in no namespace (RSS 0.9x/2.0) or in the RSS 1.0
// or 0.90 one; either counts.
bool is_rss(const xmlNode* n, std::string_view name) {
  const std::string_view ns = ns_uri(n);
  return local_name(n) == name && (ns.empty() || ns == "http://purl.org/rss/1.0/" ||
                                   ns == "http://my.netscape.com/rdf/simple/0.9/");
}

// media:content as an enclosure (Media RSS: url, type, fileSize), unless an
// <enclosure> or an earlier media:content gave the same URL: publishers
// often list one file both ways. Called after the item's other children.
void add_media_content(const xmlNode* m, std::string_view base, ParsedItem& out) {
  ParsedEnclosure e;
  e.url = url_of(base, attribute(m, "url"));
  if (e.url.empty()) return;
  for (const ParsedEnclosure& known : out.enclosures) {
    if (known.url == e.url) return;
  }
  e.type = attribute(m, "type");
  e.length = to_int<std::int64_t>(attribute(m, "fileSize"));
  out.enclosures.push_back(std::move(e));
}

// `outer` is the feed URL or, without one, the channel link; xml:base
// attributes on the way down to each element refine it (XML Base, as in Atom).
ParsedItem read_item(const xmlNode* item, std::string_view outer) {
  ParsedItem out;
  std::string description;
  std::string description_base;
  std::string content;
  std::string content_base;
  std::vector<const xmlNode*> media;
  for (const xmlNode* c = item->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (is_rss(c, "title")) {
      out.title = plain_text(text_of(c));
    } else if (is_rss(c, "link")) {
      out.link = url_of(base_of(c, outer), text_of(c));
    } else if (is_rss(c, "description")) {
      description = text_of(c);
      description_base = base_of(c, outer);
    } else if (is(c, kContentNs, "encoded")) {
      content = text_of(c);
      content_base = base_of(c, outer);
    } else if (is(c, kMediaNs, "content")) {
      media.push_back(c);
    } else if (is(c, kMediaNs, "group")) {
      for (const xmlNode* g = c->children; g != nullptr; g = g->next) {
        if (is(g, kMediaNs, "content")) media.push_back(g);
      }
    } else if (is_rss(c, "guid")) {
      out.guid = trim(text_of(c));
    } else if (is_rss(c, "pubDate")) {
      out.published = parse_date(text_of(c));
    } else if (is(c, kDcNs, "date")) {
      if (!out.published) out.published = parse_date(text_of(c));
    } else if (is(c, kDcNs, "language")) {
      out.language = trim(text_of(c));
    } else if (is_rss(c, "author") || is(c, kDcNs, "creator")) {
      if (std::string a = plain_text(text_of(c)); !a.empty()) out.authors.push_back(a);
    } else if (is_rss(c, "category") || is(c, kDcNs, "subject")) {
      if (std::string a = plain_text(text_of(c)); !a.empty()) out.categories.push_back(a);
    } else if (is_rss(c, "enclosure")) {
      ParsedEnclosure e;
      e.url = url_of(base_of(c, outer), attribute(c, "url"));
      e.type = attribute(c, "type");
      e.length = to_int<std::int64_t>(attribute(c, "length"));
      if (!e.url.empty()) out.enclosures.push_back(std::move(e));
    }
  }
  for (const xmlNode* m : media) add_media_content(m, base_of(m, outer), out);
  // Trimmed as in atom.cc: CDATA sections usually start and end on a new line.
  out.summary = text::sanitize_html(trim(description), description_base);
  out.content_html = text::sanitize_html(trim(content), content_base);
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

Error not_rss(std::string_view root_name) {
  return invalid("not an RSS feed: the root element is <" + std::string(root_name) + ">");
}

Error too_many_items(const ParseLimits& limits) {
  return invalid("more than " + std::to_string(limits.max_items) + " items");
}

int depth_of(const xmlNode* n) {
  int depth = 0;
  for (const xmlNode* p = n->parent; p != nullptr && p->type == XML_ELEMENT_NODE; p = p->parent) {
    ++depth;
  }
  return depth;
}

}  // namespace

// The tree reader's walk: the same fields and checks as stream_rss.
Result<ParsedFeed> tree_rss(const xmlNode* root, std::string_view base_url,
                            const ParseLimits& limits, const ItemSink& sink) {
  const std::string_view root_name = local_name(root);
  if (root_name != "rss" && root_name != "RDF") return not_rss(root_name);
  ParsedFeed feed;
  feed.format = "rss";
  std::size_t items = 0;
  const std::string base(base_url);
  auto visit = [&](const xmlNode* parent, auto& self) -> Result<void> {
    for (const xmlNode* c = parent->children; c != nullptr; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      const int depth = depth_of(c);
      if (depth > limits.max_depth) return invalid("elements nested too deeply");
      if (local_name(c) == "channel" && c->parent == root) {
        if (auto r = self(c, self); !r) return r;
        continue;
      }
      if (deeper_than(c, limits.max_depth - depth)) return invalid("elements nested too deeply");
      if (local_name(c) == "item") {
        if (items >= limits.max_items) return too_many_items(limits);
        ++items;
        if (auto r = sink(read_item(c, base.empty() ? feed.link : base)); !r) return r;
      } else if (parent != root || local_name(c) == "image") {
        // RSS 0.90 and 1.0 put <image> beside <channel>, not in it.
        read_channel_field(c, feed);
      }
    }
    return {};
  };
  if (auto r = visit(root, visit); !r) return r.error();
  return feed;
}

Result<ParsedFeed> stream_rss(xmlTextReaderPtr r, std::string_view base_url,
                              const ParseLimits& limits, const ItemSink& sink, bool& gave_up) {
  gave_up = false;
  ParsedFeed feed;
  std::size_t items = 0;
  bool root_seen = false;
  bool in_channel = false;
  const std::string base(base_url);
  int ret = 1;  // r is on the root element
  while (ret == 1) {
    if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) {
      ret = xmlTextReaderRead(r);
      continue;
    }
    const int depth = xmlTextReaderDepth(r);
    if (depth > limits.max_depth) return invalid("elements nested too deeply");
    const std::string_view name = view(xmlTextReaderConstLocalName(r));
    if (depth == 0) {
      if (name != "rss" && name != "RDF") return not_rss(name);
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
    const bool is_item = name == "item" && depth <= 2;
    // RSS 0.90 and 1.0 put <image> beside <channel>, not in it.
    const bool is_root_image = name == "image" && depth == 1;
    if (is_item || (depth == 2 && in_channel) || is_root_image) {
      const xmlNode* node = xmlTextReaderExpand(r);
      if (node == nullptr) {
        gave_up = true;
        return feed;
      }
      if (deeper_than(node, limits.max_depth - depth)) {
        return invalid("elements nested too deeply");
      }
      if (is_item) {
        if (items >= limits.max_items) return too_many_items(limits);
        ++items;
        if (auto s = sink(read_item(node, base.empty() ? feed.link : base)); !s) return s.error();
      } else {
        read_channel_field(node, feed);
      }
      ret = xmlTextReaderNext(r);
      continue;
    }
    ret = depth == 1 ? xmlTextReaderNext(r) : xmlTextReaderRead(r);
  }
  if (ret < 0 || !root_seen) gave_up = true;
  return feed;
}

}  // namespace newsdesk::feed::internal
