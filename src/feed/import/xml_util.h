// Internal to feed/import: the libxml2 plumbing and the text helpers the
// format readers (rss.cc, atom.cc, jsonfeed.cc) share. Not for use outside
// this folder; callers use parse_feed (parser.h).
//
// Safety property every reader keeps: no DTD is loaded, no entity is
// substituted, nothing is fetched (kXmlParseOptions), and text is gathered
// from text and CDATA nodes only, so an entity reference, declared or not,
// contributes nothing.
#pragma once

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include <charconv>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "feed/import/parser.h"
#include "model/datetime.h"

namespace newsdesk::feed::internal {

// NONET: never fetch; no NOENT/DTDLOAD/DTDATTR: no entity substitution, no
// DTD loading; RECOVER: read what ill-formed real-world feeds still hold.
inline constexpr int kXmlParseOptions = XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR |
                                        XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;

struct ReaderDeleter {
  void operator()(xmlTextReaderPtr r) const { xmlFreeTextReader(r); }
};
using XmlReader = std::unique_ptr<xmlTextReader, ReaderDeleter>;

struct DocDeleter {
  void operator()(xmlDocPtr d) const { xmlFreeDoc(d); }
};
using XmlDoc = std::unique_ptr<xmlDoc, DocDeleter>;

// A streaming reader over bytes with kXmlParseOptions and libxml2's error
// output silenced; null when libxml2 refuses (empty input among others).
// REQUIRES: bytes outlives the reader; bytes.size() <= INT32_MAX.
XmlReader open_reader(std::string_view bytes);

// The recovering tree parser, for input the streaming reader gives up on (an
// undefined entity, a broken tag early on). Null when nothing was read.
// Memory is bounded by the caller's size limit. *too_deep, when given, is set
// to whether libxml2 halted on nesting past its own limit of 256 levels:
// recovery then keeps only what came before, so the caller must refuse the
// input rather than report a silently truncated feed.
// REQUIRES: bytes.size() <= INT32_MAX.
XmlDoc read_tree(std::string_view bytes, bool* too_deep = nullptr);

// Real-world feeds write a bare '&' ("Q&A", "?a=1&b=2") and HTML entities
// that XML does not define ("&eacute;", "&nbsp;"); libxml2's recovery drops
// both, and the text with them. Returns the bytes with each bare '&' written
// as "&amp;" and each HTML named entity (other than XML's five) as a
// numeric reference, outside CDATA sections, comments and processing
// instructions; nullopt when nothing needs repair or the input is not in an
// ASCII-compatible encoding (UTF-16/32 are left to libxml2). Entities the
// document declares itself keep their names unless HTML defines them, so
// they still contribute nothing (see the top of this file).
std::optional<std::string> repair_references(std::string_view bytes);

// repair_references over input that arrives in pieces (a file read in
// chunks): the same output for the same bytes, however they are split, with
// one exception for absurd input: a run of more than kMaxPendingName name
// characters after '&' is taken as a bare '&' without looking for its ';'.
// Memory: the unfinished tail of a piece (a reference, a tag opener, the
// end of a CDATA section) is kept, so at most that plus one piece.
class ReferenceRepairer {
 public:
  static constexpr std::size_t kMaxPendingName = 4096;

  ReferenceRepairer() = default;
  ReferenceRepairer(const ReferenceRepairer&) = delete;
  ReferenceRepairer& operator=(const ReferenceRepairer&) = delete;

  // Appends to `out` the repaired form of as much of the input so far as can
  // be decided; `last` says no more input follows (everything is written).
  void push(std::string_view piece, bool last, std::string& out);
  // Whether any reference was rewritten so far.
  bool changed() const { return changed_; }

 private:
  std::string pending_;
  std::string_view close_;  // inside a CDATA section, comment or PI until this
  bool decided_ = false;    // whether the encoding check has been made
  bool enabled_ = true;     // false for UTF-16/32
  bool changed_ = false;
};

// A streaming reader pulling its bytes from `read` (see xmlInputReadCallback:
// fills up to len bytes, returns the count, 0 at the end, -1 on error),
// with kXmlParseOptions and errors silenced; null when libxml2 refuses.
// REQUIRES: context outlives the reader.
XmlReader open_reader(xmlInputReadCallback read, void* context);

inline std::string_view view(const xmlChar* s) {
  return s == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(s));
}
inline std::string_view local_name(const xmlNode* n) { return view(n->name); }
inline std::string_view ns_uri(const xmlNode* n) {
  return n->ns == nullptr ? std::string_view() : view(n->ns->href);
}
inline bool is(const xmlNode* n, std::string_view ns, std::string_view name) {
  return n->type == XML_ELEMENT_NODE && local_name(n) == name && ns_uri(n) == ns;
}

// The text of a node: its text and CDATA descendants, concatenated. Entity
// references are skipped rather than expanded (see the top of this file).
std::string text_of(const xmlNode* n);

// An attribute in no namespace, trimmed; "" when absent.
std::string attribute(const xmlNode* n, const char* name);
// An attribute in the XML namespace (xml:base, xml:lang), trimmed; "" when absent.
std::string xml_attribute(const xmlNode* n, const char* name);

// The children of n written as HTML: elements by local name (a prefix or a
// namespace is dropped), attributes in no namespace, text escaped, void
// elements without end tag; comments, processing instructions and entity
// references are left out. For inline XHTML content, sanitized afterwards.
std::string children_as_html(const xmlNode* n);

// True when an element below n is nested more than `levels` below it: what
// ParseLimits::max_depth checks on a subtree read in one go.
bool deeper_than(const xmlNode* n, int levels);

// The base URL in effect at n (XML Base): every xml:base from the root down
// to n, each resolved against the one before, starting from `outer`. A base
// that does not resolve to an absolute URL is skipped.
std::string base_of(const xmlNode* n, std::string_view outer);

// ---------------------------------------------------------------- format readers
// rss.cc and atom.cc, each in two forms over the same field readers. The
// streaming form starts on the root element of `reader` and expands one child
// at a time; each item goes to `sink` as soon as it is read, counted against
// limits.max_items. It sets gave_up (and returns the metadata read so far)
// when libxml2's streaming reader gives up on ill-formed input, which the
// recovering tree parser may still read: the caller then runs the tree form
// on the root of read_tree over the whole input. Errors: as parse_feed's.
Result<ParsedFeed> stream_rss(xmlTextReaderPtr reader, std::string_view base_url,
                              const ParseLimits& limits, const ItemSink& sink, bool& gave_up);
Result<ParsedFeed> tree_rss(const xmlNode* root, std::string_view base_url,
                            const ParseLimits& limits, const ItemSink& sink);
Result<ParsedFeed> stream_atom(xmlTextReaderPtr reader, std::string_view base_url,
                               const ParseLimits& limits, const ItemSink& sink, bool& gave_up);
Result<ParsedFeed> tree_atom(const xmlNode* root, std::string_view base_url,
                             const ParseLimits& limits, const ItemSink& sink);

// ---------------------------------------------------------------- text helpers
// Not XML-specific; shared by every reader, the JSON Feed one included.

std::string trim(std::string_view s);

// Titles and the like as plain text. The source may hold HTML or escaped
// entities ("A &amp;amp; B" in RSS), so anything with '<' or '&' goes
// through the HTML text extractor; otherwise whitespace is collapsed.
std::string plain_text(std::string_view s);

// A non-negative integer; 0 when absent, negative or unparseable.
template <typename Int>
Int to_int(std::string_view s) {
  Int value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc() && ptr == s.data() + s.size() && value >= 0 ? value : 0;
}

// RFC 822 (RSS) or RFC 3339 (Atom, JSON Feed, dc:date); nullopt otherwise.
std::optional<model::DateTime> parse_date(std::string_view s);

// A link as given, or resolved against base when relative; "" when it is no
// usable URL (see text::resolve_url).
std::string url_of(std::string_view base, std::string_view s);

// kInvalid "feed: <what>".
Error invalid(std::string_view what);

}  // namespace newsdesk::feed::internal
