// RSS 2.0 writer (https://www.rssboard.org/rss-specification), following the
// RSS Advisory Board's Best Practices Profile: a stable guid, atom:link
// rel="self", full content in content:encoded, lastBuildDate from the newest
// change. A pure function of its arguments: no I/O, no clock.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/datetime.h"
#include "model/item.h"
#include "model/site.h"

namespace newsdesk::feed {

struct FeedInfo {
  std::string title;        // the channel title
  std::string description;  // the channel description
  std::string link;         // the HTML page this feed mirrors (absolute)
  std::string self_url;     // this feed's own URL (absolute)
  // Newest change among the feed's items, shown in the site's zone; unset
  // when the feed is empty (then lastBuildDate is left out).
  std::optional<model::DateTime> last_change;
};

// Site-wide feed info for a site: its title, description and home page.
FeedInfo site_feed_info(const model::Site& site, std::optional<model::DateTime> last_change);

// REQUIRES: every item has a guid and slug.
std::string write_rss(const model::Site& site, const FeedInfo& info,
                      const std::vector<model::Item>& items);

}  // namespace newsdesk::feed
