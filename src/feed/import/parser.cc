// The dispatcher: sniffs the format, then hands the bytes to rss.cc, atom.cc
// or jsonfeed.cc (Miniflux's reader/parser layout).

#include "feed/import/parser.h"

#include <cstdint>
#include <optional>
#include <string>

#include "core/file.h"
#include "feed/import/xml_util.h"

namespace newsdesk::feed {

namespace {

// What follows a UTF-8 byte order mark and whitespace. Other encodings are
// XML's business: libxml2 reads their BOM and declaration itself.
std::string_view skip_bom_and_space(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  const auto begin = s.find_first_not_of(" \t\r\n");
  return begin == std::string_view::npos ? std::string_view() : s.substr(begin);
}

}  // namespace

Result<ParsedFeed> parse_feed(std::string_view bytes, std::string_view base_url,
                              const ParseLimits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return internal::invalid("input is larger than the limit of " +
                             std::to_string(limits.max_bytes) + " bytes");
  }
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX)) {
    return internal::invalid("input too large");
  }
  const std::string_view body = skip_bom_and_space(bytes);
  if (body.empty()) return internal::invalid("empty input");
  // A JSON Feed is an object; '[' is sniffed too, so that a JSON array is
  // reported as JSON that is no feed rather than as broken XML.
  if (body.front() == '{' || body.front() == '[') {
    return internal::parse_json_feed(body, base_url, limits);
  }
  // Kept alive here: the readers below parse from it.
  const std::optional<std::string> repaired = internal::repair_references(bytes);
  if (repaired) {
    // "&" -> "&amp;" grows the input up to fivefold.
    if (repaired->size() > static_cast<std::size_t>(INT32_MAX)) {
      return internal::invalid("input too large");
    }
    bytes = *repaired;
  }
  const std::optional<internal::XmlRoot> root = internal::sniff_root(bytes);
  if (!root) return internal::invalid("not a feed: no XML found");
  if (root->local_name == "rss" || root->local_name == "RDF") {
    return internal::parse_rss(bytes, base_url, limits);
  }
  // atom.cc checks the namespace (Atom 1.0 or 0.3).
  if (root->local_name == "feed") return internal::parse_atom(bytes, base_url, limits);
  return internal::invalid("not a feed: the root element is <" + root->local_name + ">");
}

// TODO(streaming): reads the whole file for now; the streaming reader replaces this.
Result<ParsedFeed> parse_feed_file(const std::string& path, std::string_view base_url,
                                   const ItemSink& sink, const ParseLimits& limits) {
  auto bytes = read_file(path, limits.max_bytes);
  if (!bytes) {
    if (bytes.error().code == ErrorCode::kNotFound) return bytes.error();
    return internal::invalid(bytes.error().message);
  }
  auto feed = parse_feed(*bytes, base_url, limits);
  if (!feed) return feed.error();
  std::vector<ParsedItem> items = std::move(feed->items);
  feed->items.clear();
  for (ParsedItem& item : items) {
    if (auto r = sink(std::move(item)); !r) return r.error();
  }
  return feed;
}

}  // namespace newsdesk::feed
