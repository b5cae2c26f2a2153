// Writers for search-engine discovery: the XML sitemap
// (https://www.sitemaps.org/protocol.html, protocol 0.9), the Google News
// sitemap (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap)
// and robots.txt (RFC 9309). Pure functions of their arguments: no I/O, no
// clock (the news sitemap takes `now`). Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/datetime.h"
#include "model/item.h"
#include "model/permalink.h"
#include "model/site.h"

namespace newsdesk::render {

// Where the writers' documents are served; robots.txt points crawlers there.
inline constexpr std::string_view kSitemapPath = "/sitemap.xml";
inline constexpr std::string_view kNewsSitemapPath = "/news-sitemap.xml";

// The protocol's limit of <url> entries in one sitemap file.
inline constexpr std::size_t kMaxSitemapUrls = 50000;
// Google's limit of <news:news> entries in one news sitemap.
inline constexpr std::size_t kMaxNewsSitemapUrls = 1000;
// How far back a news sitemap reaches: Google wants articles of the last two days.
inline constexpr std::int64_t kNewsSitemapWindowSeconds = 48 * 60 * 60;

// A public item as the sitemap needs it: enough to build its URL.
struct SitemapItem {
  std::string slug;
  model::DateTime updated_at;  // last change of content: the <lastmod>
  std::int64_t id = 0;
  std::string language;             // where it is served (model/languages.h)
  std::int64_t translation_of = 0;  // its translation group's original; 0: none
};

// A category page; last_change is the newest change among its public items,
// unset when it has none (then its <lastmod> is left out).
struct SitemapCategory {
  std::string slug;
  std::optional<model::DateTime> last_change;
};

// Any further page given by its site path ("/news/archive/2018/").
struct SitemapPage {
  std::string path;  // starts with '/'
  std::optional<model::DateTime> last_change;
};

struct SitemapInput {
  // The path of the news list; empty: leave it out.
  std::string news_list_path = model::news_list_path();
  std::vector<SitemapCategory> categories;
  // Public items only: the caller leaves drafts, scheduled and embargoed
  // items out. Newest first, so that the oldest are the ones left out when
  // there are too many (see sitemap_xml).
  std::vector<SitemapItem> items;
  // Further pages, listed as given: archive pages (model::archive_path) and
  // the like. Optional.
  std::vector<SitemapPage> extra_pages;
};

// The light form of an item for SitemapInput::items.
SitemapItem sitemap_item(const model::Item& item);

// The sitemap of the site: the home page and the news list (both with
// <lastmod> = the newest change of any item, category or extra page), then
// the category pages, the extra pages and the items (<lastmod> =
// updated_at), with absolute, XML-escaped <loc>s and <lastmod>s in RFC 3339
// with the offset of the site's time zone.
// At most kMaxSitemapUrls URLs: entries beyond that, the oldest items when
// they come newest first, are left out. Crawlers still reach them through
// the list and archive pages; a site that outgrows 50,000 pages needs a
// sitemap index, which this writer does not produce.
std::string sitemap_xml(const model::Site& site, const SitemapInput& input);

// The Google News sitemap: the published items whose published_at lies in
// [now - 48 h, now] (exactly 48 h old is still in; future ones are out), the
// newest kMaxNewsSitemapUrls of them, newest first. Each carries the site
// title as publication name, news_language() of the item's language (or the
// site's when the item has none), published_at in RFC 3339 and the title.
// An empty <urlset> when nothing qualifies (Google accepts that).
std::string news_sitemap_xml(const model::Site& site, const std::vector<model::Item>& items,
                             std::int64_t now);

// The language code Google News wants for a BCP 47 tag: the primary subtag
// lower-cased ("en-GB" -> "en", "DE" -> "de"), except Chinese, which is
// "zh-tw" for Traditional (zh-Hant, zh-TW, zh-HK, zh-MO) and "zh-cn"
// otherwise (zh, zh-Hans, zh-CN, zh-SG). Empty for an empty tag.
std::string news_language(std::string_view bcp47);

// robots.txt: everything public may be crawled; the admin interface, the
// API and search results may not; Sitemap lines give the absolute URLs of
// kSitemapPath and kNewsSitemapPath.
std::string robots_txt(const model::Site& site);

}  // namespace newsdesk::render
