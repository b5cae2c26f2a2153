// schema.org structured data as JSON-LD (https://json-ld.org/), for search
// engines' rich results: NewsArticle on item pages, WebSite on the home page.
// See https://developers.google.com/search/docs/appearance/structured-data/article.
// Pure functions of their arguments: no I/O, no clock. Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "model/item.h"
#include "model/site.h"

namespace newsdesk::render {

// Google shows at most this many characters (code points) of a headline.
inline constexpr std::size_t kMaxHeadlineLength = 110;

// Each writer returns one JSON object, ready to go between
// `<script type="application/ld+json">` and `</script>` as it is: every '<',
// '>' and '&' (and U+2028, U+2029) is written as a \uXXXX escape, so no
// string in the model can close the script element or open a comment.
// Invalid UTF-8 in the model is replaced by U+FFFD.

// A NewsArticle: headline (the title; longer titles cropped at a word
// boundary to at most kMaxHeadlineLength characters, "..." included),
// description (teaser), datePublished / dateModified (RFC 3339 in the
// site's time zone; datePublished only when published_at is set,
// dateModified = updated_at but never before datePublished),
// mainEntityOfPage and url (the item's canonical URL), image (the lead
// image, when any), author (Persons, or the site as Organization when the
// item names no author), publisher (the site, with its image as logo),
// inLanguage (the item's language, else the site's), articleSection
// (category names, when any).
// REQUIRES: item.slug is set.
std::string news_article_json_ld(const model::Site& site, const model::Item& item);

// A WebSite with a SearchAction for the home page, pointing at
// /search?q={search_term_string} (the sitelinks search box).
std::string website_json_ld(const model::Site& site);

// Makes JSON text safe inside an HTML <script> element (see above). Exposed
// for callers that build other JSON-LD. REQUIRES: json is valid JSON text,
// so that the characters escaped can only occur inside strings.
std::string json_for_script(std::string_view json);

}  // namespace newsdesk::render
