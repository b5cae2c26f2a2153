// Validators for the feeds newsdesk writes, used by tests: each returns ""
// for a valid document and otherwise one line per problem found. They check
// what the specifications demand (as collected in FEED-FACTS.md), not
// newsdesk's own choices, so they can be pointed at any feed.
// Thread-safety: each call uses its own libxml2 contexts; the Atom schema is
// loaded once, on first use.
#pragma once

#include <string>

namespace newsdesk::testing {

// Atom 1.0: the RELAX NG schema of RFC 4287 Appendix B
// (tests/testdata/atom.rng, under NEWSDESK_SOURCE_DIR), the two Schematron
// assertions that the schema states as annotations (the feed or every entry
// has an author; an entry has an alternate link or content), and section
// 3.3's rule that dates are RFC 3339 date-times with an offset, which
// xsd:dateTime alone does not demand.
std::string atom_schema_errors(const std::string& xml);

// RSS 2.0 and its Best Practices Profile: well-formed, <rss version="2.0">
// with one channel holding title, link, description and atom:link
// rel="self"; every item has a title or a description; a guid that is no
// http(s) URL carries isPermaLink="false"; at most one enclosure per item,
// with url, length and type; every pubDate and lastBuildDate is an RFC 822
// date with English names, a 4-digit year and a numeric zone or GMT.
std::string rss_errors(const std::string& xml);

// JSON Feed 1.1: version, title and items present and typed;
// home_page_url and feed_url present (required on the public web); every
// item has a string id and content_html or content_text; dates are RFC 3339
// date-times with an offset; attachments have url and mime_type; hubs have
// type and url; next_url differs from feed_url.
std::string json_feed_errors(const std::string& json);

}  // namespace newsdesk::testing
