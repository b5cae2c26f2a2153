// Reads a feed from bytes. Never touches the network or the file system:
// no DTD, no external entity, no entity substitution.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "feed/import/parsed_feed.h"

namespace newsdesk::feed {

struct ParseLimits {
  std::size_t max_bytes = 64u << 20;  // larger input is refused
  std::size_t max_items = 100000;     // a feed with more items is refused
  int max_depth = 256;                // nesting below the root element (XML) or object (JSON)
  // parse_feed_file: larger files are refused. Files are read in chunks, so
  // this bounds time, not memory.
  std::size_t max_file_bytes = std::size_t{4} << 30;
};

// Receives each item of a feed as soon as it is read (and sanitized). An
// error stops the parse and is returned by the parse call.
using ItemSink = std::function<Result<void>(ParsedItem item)>;

// Parses RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.0/1.1, telling them
// apart by content: after a byte order mark and whitespace, '{' or '[' means
// JSON, anything else is read as XML and its root element decides (<rss> or
// <rdf:RDF>: RSS; <feed> in the Atom 1.0 or 0.3 namespace, or in none: Atom).
// base_url is the base for relative links, xml:base values included; the
// feed's own link is used when it is empty.
// Errors: kInvalid "feed: ..." for input that is no feed or breaks a limit.
Result<ParsedFeed> parse_feed(std::string_view bytes, std::string_view base_url = "",
                              const ParseLimits& limits = {});

// Streams a feed from a file: each item goes to `sink`, so memory stays
// bounded by the largest item (and the largest channel field), not by the
// file; returns the feed's metadata with `items` empty. Same formats, same
// sanitizing, same errors as parse_feed ("feed: ..."), plus kNotFound when
// the file cannot be opened.
Result<ParsedFeed> parse_feed_file(const std::string& path, std::string_view base_url,
                                   const ItemSink& sink, const ParseLimits& limits = {});

namespace internal {

// The readers parse_feed dispatches to, one file each. Each checks its own
// root and applies the item and depth limits; parse_feed has checked the size.
// REQUIRES: bytes.size() <= limits.max_bytes and <= INT32_MAX.
Result<ParsedFeed> parse_rss(std::string_view bytes, std::string_view base_url,
                             const ParseLimits& limits);  // rss.cc
Result<ParsedFeed> parse_atom(std::string_view bytes, std::string_view base_url,
                              const ParseLimits& limits);  // atom.cc
Result<ParsedFeed> parse_json_feed(std::string_view bytes, std::string_view base_url,
                                   const ParseLimits& limits);  // jsonfeed.cc

}  // namespace internal

}  // namespace newsdesk::feed
