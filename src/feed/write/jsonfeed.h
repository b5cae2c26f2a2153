// JSON Feed 1.1 writer (https://www.jsonfeed.org/version/1.1/). A pure
// function of its arguments: no I/O, no clock, no exceptions.
#pragma once

#include <string>
#include <vector>

#include "feed/write/rss.h"
#include "model/item.h"
#include "model/site.h"

namespace newsdesk::feed {

// Compact JSON followed by "\n". Item ids are the guids; each item carries
// content_html (the body, when info.full_text) or else content_text (the
// teaser), as the spec requires one of them. info.prev_archive_url, the older
// items, becomes next_url. Invalid UTF-8 in any field is replaced by U+FFFD.
// REQUIRES: every item has a guid and slug.
std::string write_json_feed(const model::Site& site, const FeedInfo& info,
                            const std::vector<model::Item>& items);

}  // namespace newsdesk::feed
