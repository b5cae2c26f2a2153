// Every feed document the site serves: site-wide and per category, in each
// output format, live or as an RFC 5005 archive page.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/output_format.h"
#include "model/site.h"
#include "service/news.h"

namespace newsdesk::service {

struct FeedRequest {
  model::FeedFormat format = model::FeedFormat::kRss;
  std::string category_slug;  // empty: the site-wide feed
  int archive_page = 0;       // 0: the live feed; 1 is the oldest archive page
};

struct FeedDocument {
  std::string body;
  std::string content_type;                   // with charset
  std::optional<std::int64_t> last_modified;  // newest change, epoch seconds
  std::string self_url;
  std::string hub_url;  // WebSub hub to advertise; empty: none
};

// The path of a feed: "/rss.xml", "/category/x/atom.xml",
// "/feed-archive/3/feed.json", "/category/x/feed-archive/3/rss.xml".
std::string feed_path(const FeedRequest& request);
// The inverse of feed_path; nullopt for any other path.
std::optional<FeedRequest> parse_feed_path(std::string_view path);

// Archive pages hold `page_size` items each, counted from the oldest, so a
// page never changes once full. Returns how many full pages `total` items make.
int archive_page_count(std::int64_t total, int page_size);

// Stateless apart from its references; thread-safe when NewsService is.
class FeedService {
 public:
  // `site` and `news` must outlive the service.
  FeedService(const model::Site& site, NewsService& news) : site_(site), news_(news) {}

  // Errors: kNotFound for an unknown category or an archive page out of range.
  Result<FeedDocument> render(const FeedRequest& request);
  // A journalist's private feed (/press/{secret}/rss.xml ...): the public
  // items and the embargoed ones ahead of their time, each of those titled
  // "EMBARGOED until <date, time>: ..." and dated at its embargo. Never for
  // caches, hubs or search engines. `self_path` is the document's path.
  Result<FeedDocument> render_press(model::FeedFormat format, const std::string& self_path);

 private:
  const model::Site& site_;
  NewsService& news_;
};

}  // namespace newsdesk::service
