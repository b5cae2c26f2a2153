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
// Atom: an entry without author has the feed's authors given before it.
// base_url is the base for relative links, xml:base values included; the
// feed's own link is used when it is empty.
// Errors: kInvalid "feed: ..." for input that is no feed or breaks a limit.
Result<ParsedFeed> parse_feed(std::string_view bytes, std::string_view base_url = "",
                              const ParseLimits& limits = {});

// Streams a feed from a file: each item goes to `sink`, so memory stays
// bounded by the largest item (and the largest channel field), not by the
// file; returns the feed's metadata with `items` empty. Same formats, same
// sanitizing, same errors as parse_feed ("feed: ..."), plus kNotFound when
// the file cannot be opened. Details:
// - XML is read in 64 KiB chunks through libxml2's streaming reader, bare
//   '&' and HTML entities repaired on the way (as parse_feed does).
// - When libxml2's streaming reader gives up on ill-formed XML, parse_feed
//   reads the input again with its recovering tree parser. So does this,
//   from the start, over the whole file read into memory: only for a file
//   within limits.max_bytes (above it: kInvalid). Items already given to
//   `sink` are not given again: the first that many items of the second
//   read are skipped, on the assumption that both reads agree on them (the
//   same bytes, the same item reader). No input is known to reach this
//   with libxml2 2.9.14, whose streaming reader recovered from every broken
//   item tried; fuzz/feed_parser_fuzzer.cc compares the result with
//   parse_feed's on every input. An error after items were given (from
//   the parse or the sink) leaves them given: run the import in one
//   transaction and roll back.
// - JSON Feed is read whole: a JSON file above limits.max_bytes is kInvalid.
// - Atom: an entry without author gets the feed's authors given before it
//   (as with parse_feed; metadata comes first in practice).
Result<ParsedFeed> parse_feed_file(const std::string& path, std::string_view base_url,
                                   const ItemSink& sink, const ParseLimits& limits = {});

namespace internal {

// The JSON Feed reader (jsonfeed.cc); the XML readers are declared in
// xml_util.h. Applies the item and depth limits; parse_feed has checked the
// size. REQUIRES: bytes.size() <= limits.max_bytes.
Result<ParsedFeed> parse_json_feed(std::string_view bytes, std::string_view base_url,
                                   const ParseLimits& limits);

}  // namespace internal

}  // namespace newsdesk::feed
