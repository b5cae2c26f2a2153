// Atom 1.0 (RFC 4287, https://www.rfc-editor.org/rfc/rfc4287) and Atom 0.3
// (draft-nottingham-atom-format-02, once at
// http://www.mnot.net/drafts/draft-nottingham-atom-format-02.html).
// The versions differ in names (0.3 tagline, modified, issued), in how a
// text says what it holds (0.3: a media type plus mode="xml|escaped|base64";
// 1.0: type="text|html|xhtml") and in their namespace; the rest is shared.

#include <optional>
#include <string>
#include <vector>

#include "core/strings.h"
#include "feed/import/parser.h"
#include "feed/import/xml_util.h"
#include "text/sanitize.h"

namespace newsdesk::feed::internal {

namespace {

constexpr std::string_view kAtom10Ns = "http://www.w3.org/2005/Atom";
constexpr std::string_view kAtom03Ns = "http://purl.org/atom/ns#";
constexpr std::string_view kDcNs = "http://purl.org/dc/elements/1.1/";
// RFC 4287 §4.2.7.2: a registered relation may also be written as this IRI
// followed by its name.
constexpr std::string_view kIanaRelationPrefix = "http://www.iana.org/assignments/relation/";

enum class Version { k03, k10 };

// A text or content construct, reduced to what newsdesk keeps.
struct Text {
  bool is_html = false;  // value is HTML markup; otherwise plain text
  std::string value;
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool is_html_type(std::string_view type) { return type == "html" || type == "text/html"; }
bool is_xhtml_type(std::string_view type) {
  return type == "xhtml" || type == "application/xhtml+xml";
}

// RFC 4287 §3.1.1.3: inline XHTML is wrapped in one <div> that is not part
// of the content. Unwrapped only when it is the sole element, so that
// sloppy content with several top-level elements loses nothing.
const xmlNode* xhtml_container(const xmlNode* n) {
  const xmlNode* only = nullptr;
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (only != nullptr) return n;
    only = c;
  }
  return only != nullptr && local_name(only) == "div" ? only : n;
}

Text read_text(const xmlNode* n, Version version) {
  const std::string type = lower(attribute(n, "type"));
  if (version == Version::k03) {
    // Atom 0.3 §3.1: type is a media type (default text/plain), mode says how
    // it is carried (default xml: inline markup).
    const std::string mode = lower(attribute(n, "mode"));
    if (mode == "base64") return {};  // binary content is no article text
    if (!is_html_type(type) && !is_xhtml_type(type)) return {false, text_of(n)};
    if (mode == "escaped") return {true, text_of(n)};
    return {true, children_as_html(xhtml_container(n))};
  }
  // RFC 4287 §3.1.1 and, for content, §4.1.3.1: a media type instead of the
  // three keywords is allowed in atom:content.
  if (is_html_type(type)) return {true, text_of(n)};
  if (is_xhtml_type(type)) return {true, children_as_html(xhtml_container(n))};
  if (type.empty() || type == "text" || type.starts_with("text/")) return {false, text_of(n)};
  return {};  // other XML or base64-encoded media: no article text
}

std::string as_plain_text(const Text& t) {
  return t.is_html ? text::html_to_text(t.value) : collapse_whitespace(t.value);
}

std::string as_html(const Text& t, std::string_view base) {
  const std::string value = trim(t.value);
  return text::sanitize_html(t.is_html ? value : escaped(value), base);
}

std::string relation(const xmlNode* link) {
  std::string rel = attribute(link, "rel");
  if (rel.starts_with(kIanaRelationPrefix)) rel.erase(0, kIanaRelationPrefix.size());
  return rel;
}

// One feed document's reading state, for the streaming reader and the tree
// fallback alike: read_root once, read_child for each child of the root
// (entries go to the sink as they are read), finish.
class AtomReader {
 public:
  AtomReader(std::string_view base_url, const ParseLimits& limits, const ItemSink& sink)
      : base_url_(base_url), limits_(limits), sink_(sink) {}
  AtomReader(const AtomReader&) = delete;
  AtomReader& operator=(const AtomReader&) = delete;

  Result<void> read_root(const xmlNode* root) {
    const std::string_view ns = ns_uri(root);
    if (local_name(root) != "feed") {
      return invalid("not an Atom feed: the root element is <" + std::string(local_name(root)) +
                     ">");
    }
    // No namespace at all is a common slip of hand-written Atom; read as 1.0.
    if (ns != kAtom10Ns && ns != kAtom03Ns && !ns.empty()) {
      return invalid("not an Atom feed: <feed> in the namespace \"" + std::string(ns) + "\"");
    }
    ns_ = ns;
    version_ = ns == kAtom03Ns ? Version::k03 : Version::k10;
    feed_.format = "atom";
    feed_.language = xml_attribute(root, "lang");
    return {};
  }

  // REQUIRES: read_root was called; c is a child of the root at depth 1.
  Result<void> read_child(const xmlNode* c) {
    if (c->type != XML_ELEMENT_NODE) return {};
    if (limits_.max_depth < 1 || deeper_than(c, limits_.max_depth - 1)) {
      return invalid("elements nested too deeply");
    }
    if (is_atom(c, "entry")) {
      if (items_ >= limits_.max_items) {
        return invalid("more than " + std::to_string(limits_.max_items) + " items");
      }
      ++items_;
      ParsedItem item = read_entry(c);
      // RFC 4287 §4.2.1: an entry without author has the feed's authors.
      // Entries are handed on as they are read, so these are the feed's
      // authors given before the entry: feeds write their metadata first;
      // a feed-level <author> after entries reaches only the entries after it.
      if (!has_author_element(c)) item.authors = feed_authors_;
      if (auto s = sink_(std::move(item)); !s) return s.error();
    } else {
      read_feed_field(c);
    }
    return {};
  }

  ParsedFeed finish() && {
    if (const std::string& url = logo_.empty() ? icon_ : logo_; !url.empty()) {
      feed_.image.emplace();
      feed_.image->url = url;
    }
    return std::move(feed_);
  }

 private:
  bool is_atom(const xmlNode* n, std::string_view name) const { return is(n, ns_, name); }

  // What relative URLs resolve against before any xml:base applies.
  std::string outer_base() const { return base_url_.empty() ? feed_.link : base_url_; }

  std::optional<std::string> author_name(const xmlNode* author) const {
    for (const xmlNode* c = author->children; c != nullptr; c = c->next) {
      if (!is_atom(c, "name")) continue;
      if (std::string name = collapse_whitespace(text_of(c)); !name.empty()) return name;
    }
    return std::nullopt;
  }

  void read_feed_field(const xmlNode* c) {
    if (is_atom(c, "title")) {
      feed_.title = as_plain_text(read_text(c, version_));
    } else if (is_atom(c, "subtitle") || is_atom(c, "tagline")) {
      feed_.description = as_plain_text(read_text(c, version_));
    } else if (is_atom(c, "link")) {
      const std::string rel = relation(c);
      if ((rel.empty() || rel == "alternate") && feed_.link.empty()) {
        const std::string href = attribute(c, "href");
        const std::string resolved = url_of(base_of(c, base_url_), href);
        // Kept as written when it cannot be resolved, as the RSS reader does.
        feed_.link = resolved.empty() ? href : resolved;
      }
    } else if (is_atom(c, "updated") || is_atom(c, "modified")) {
      if (!feed_.updated) feed_.updated = parse_date(text_of(c));
    } else if (is_atom(c, "generator")) {
      feed_.generator = collapse_whitespace(text_of(c));
    } else if (is_atom(c, "logo")) {
      logo_ = url_of(base_of(c, outer_base()), text_of(c));
    } else if (is_atom(c, "icon")) {
      icon_ = url_of(base_of(c, outer_base()), text_of(c));
    } else if (is_atom(c, "author")) {
      if (auto name = author_name(c)) feed_authors_.push_back(*name);
    }
  }

  // RFC 4287 §4.2.1: the feed's authors apply to an entry that "does not
  // contain atom:author elements", not to one whose author lacks a name.
  bool has_author_element(const xmlNode* entry) const {
    for (const xmlNode* c = entry->children; c != nullptr; c = c->next) {
      if (is_atom(c, "author") || is(c, kDcNs, "creator")) return true;
    }
    return false;
  }

  ParsedItem read_entry(const xmlNode* entry) const {
    ParsedItem out;
    out.language = trim(xml_attribute(entry, "lang"));
    const std::string outer = outer_base();
    const xmlNode* summary = nullptr;
    const xmlNode* content = nullptr;
    for (const xmlNode* c = entry->children; c != nullptr; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      if (is_atom(c, "id")) {
        out.guid = trim(text_of(c));
      } else if (is_atom(c, "title")) {
        out.title = as_plain_text(read_text(c, version_));
      } else if (is_atom(c, "link")) {
        read_link(c, outer, out);
      } else if (is_atom(c, "summary")) {
        summary = c;
      } else if (is_atom(c, "content")) {
        content = c;
      } else if (is_atom(c, "published") || is_atom(c, "issued")) {
        out.published = parse_date(text_of(c));
      } else if (is_atom(c, "created")) {
        if (!out.published) out.published = parse_date(text_of(c));
      } else if (is_atom(c, "updated") || is_atom(c, "modified")) {
        out.updated = parse_date(text_of(c));
      } else if (is_atom(c, "author")) {
        if (auto name = author_name(c)) out.authors.push_back(*name);
      } else if (is(c, kDcNs, "creator")) {
        if (std::string name = plain_text(text_of(c)); !name.empty()) out.authors.push_back(name);
      } else if (is_atom(c, "category")) {
        std::string label = attribute(c, "label");
        if (label.empty()) label = attribute(c, "term");
        if (!label.empty()) out.categories.push_back(collapse_whitespace(label));
      } else if (is(c, kDcNs, "subject")) {
        // Atom 0.3 has no category; its feeds used Dublin Core.
        if (std::string s = plain_text(text_of(c)); !s.empty()) out.categories.push_back(s);
      }
    }
    if (summary != nullptr) {
      out.summary = as_html(read_text(summary, version_), base_of(summary, outer));
    }
    // RFC 4287 §4.1.3.2: with src the content lives elsewhere; not fetched.
    if (content != nullptr && attribute(content, "src").empty()) {
      out.content_html = as_html(read_text(content, version_), base_of(content, outer));
    }
    return out;
  }

  void read_link(const xmlNode* link, std::string_view outer, ParsedItem& out) const {
    const std::string href = url_of(base_of(link, outer), attribute(link, "href"));
    if (href.empty()) return;
    const std::string rel = relation(link);
    if (rel.empty() || rel == "alternate") {
      if (out.link.empty()) out.link = href;
    } else if (rel == "enclosure") {
      out.enclosures.push_back(ParsedEnclosure{
          .url = href,
          .type = attribute(link, "type"),
          .length = to_int<std::int64_t>(attribute(link, "length")),
      });
    }
  }

  std::string base_url_;
  const ParseLimits& limits_;
  const ItemSink& sink_;
  std::size_t items_ = 0;
  std::string ns_;
  Version version_ = Version::k10;
  ParsedFeed feed_;
  std::vector<std::string> feed_authors_;
  std::string logo_;
  std::string icon_;
};

}  // namespace

Result<ParsedFeed> tree_atom(const xmlNode* root, std::string_view base_url,
                             const ParseLimits& limits, const ItemSink& sink) {
  AtomReader atom(base_url, limits, sink);
  if (auto r = atom.read_root(root); !r) return r.error();
  for (const xmlNode* c = root->children; c != nullptr; c = c->next) {
    if (auto r = atom.read_child(c); !r) return r.error();
  }
  return std::move(atom).finish();
}

Result<ParsedFeed> stream_atom(xmlTextReaderPtr r, std::string_view base_url,
                               const ParseLimits& limits, const ItemSink& sink, bool& gave_up) {
  gave_up = false;
  AtomReader atom(base_url, limits, sink);
  bool root_seen = false;
  int ret = 1;  // r is on the root element
  while (ret == 1) {
    if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) {
      ret = xmlTextReaderRead(r);
      continue;
    }
    if (xmlTextReaderDepth(r) == 0) {
      if (root_seen) break;  // junk after the document, kept by recovery
      root_seen = true;
      if (auto s = atom.read_root(xmlTextReaderCurrentNode(r)); !s) return s.error();
      ret = xmlTextReaderRead(r);
      continue;
    }
    // A child of the root (depth 1): read whole, then skipped.
    const xmlNode* node = xmlTextReaderExpand(r);
    if (node == nullptr) {
      gave_up = true;
      return std::move(atom).finish();
    }
    if (auto s = atom.read_child(node); !s) return s.error();
    ret = xmlTextReaderNext(r);
  }
  if (ret < 0) gave_up = true;
  return std::move(atom).finish();
}

}  // namespace newsdesk::feed::internal
