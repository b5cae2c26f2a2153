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

// What a feed document says about itself; shared by every writer.
struct FeedInfo {
  std::string title;        // the channel / feed title
  std::string description;  // the channel description / Atom subtitle
  std::string link;         // the HTML page this feed mirrors (absolute)
  std::string self_url;     // this document's own URL (absolute)
  // Newest change among the feed's items, shown in the site's zone; unset
  // when the feed is empty (then RSS leaves lastBuildDate out and Atom uses
  // the epoch).
  std::optional<model::DateTime> last_change;
  bool full_text = true;       // false: teasers only, no body
  std::string hub_url;         // WebSub hub (atom:link rel="hub", JSON hubs); empty: none
  std::string stylesheet_url;  // <?xml-stylesheet?> for RSS and Atom; empty: none
  // RFC 5005 archived feeds. The live feed links to the newest archive page
  // (prev_archive_url); an archive page is marked fh:archive and links to the
  // live feed (current_url) and its neighbours. JSON Feed maps
  // prev_archive_url to next_url (its "older items" link).
  bool is_archive = false;
  std::string current_url;
  std::string prev_archive_url;
  std::string next_archive_url;
};

// The feed info of the site-wide RSS feed: the site's title, description
// and home page, self_url /rss.xml (callers for other documents set theirs),
// and the site's feed settings (full text, hub, stylesheet).
FeedInfo site_feed_info(const model::Site& site, std::optional<model::DateTime> last_change);

// REQUIRES: every item has a guid and slug.
std::string write_rss(const model::Site& site, const FeedInfo& info,
                      const std::vector<model::Item>& items);

}  // namespace newsdesk::feed
