// Writers for search-engine discovery: the XML sitemap
// (https://www.sitemaps.org/protocol.html, protocol 0.9), and for a site
// with more URLs than one sitemap may hold, a sitemap index
// (https://www.sitemaps.org/protocol.html#index) of numbered parts; the Google News
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

// The protocol's limits of one sitemap file: <url> entries and bytes
// (uncompressed). A sitemap index lists at most kMaxSitemapParts sitemaps.
inline constexpr std::size_t kMaxSitemapUrls = 50000;
inline constexpr std::size_t kMaxSitemapBytes = 52428800;  // "50MB (52,428,800 bytes)"
inline constexpr std::size_t kMaxSitemapParts = 50000;
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
  // The most URLs one document holds: sitemap_urls_per_part(site).
  std::size_t max_urls = kMaxSitemapUrls;
  // For a part (sitemap_part_xml), whose `items` are a slice of the site's:
  // the newest change of every item (the home page's and the news list's
  // <lastmod>), and every member of the translation groups of `items`,
  // newest first within a group (their hreflang alternates). Unset / empty:
  // both come from `items` (the whole site's).
  std::optional<model::DateTime> items_last_change;
  std::vector<SitemapItem> translations;
};

// A sitemap as a sitemap index lists it.
struct SitemapRef {
  std::string path;  // starts with '/'
  std::optional<model::DateTime> last_change;
};

// The light form of an item for SitemapInput::items.
SitemapItem sitemap_item(const model::Item& item);

// The sitemap of the site: the home page and the news list (both with
// <lastmod> = the newest change of any item, category or extra page), then
// the category pages, the extra pages and the items (<lastmod> =
// updated_at), with absolute, XML-escaped <loc>s and <lastmod>s in RFC 3339
// with the offset of the site's time zone.
// At most input.max_urls URLs: entries beyond that, the oldest items when
// they come newest first, are left out; a site with more URLs than that is
// served as a sitemap index of parts instead (below).
std::string sitemap_xml(const model::Site& site, const SitemapInput& input);

// A site with more URLs than one sitemap holds: /sitemap.xml is a sitemap
// index of its parts /sitemap-1.xml, /sitemap-2.xml, ... (decimal, from 1,
// no leading zeros). The parts cut the list sitemap_xml would write (the
// home page and news list in every language, the category pages, the extra
// pages, then the items newest first) into consecutive runs of
// sitemap_urls_per_part() URLs: together they list every URL once, and a
// new item moves the later ones down a place. robots.txt names the index.
//
// The path of part `part` (>= 1).
std::string sitemap_part_path(std::size_t part);
// The part a path names: "/sitemap-N.xml" with N in 1..kMaxSitemapParts
// written without leading zeros; nullopt for any other path.
std::optional<std::size_t> sitemap_part_of(std::string_view path);

// The URLs one sitemap of this site may hold: site.sitemap_urls (at most
// kMaxSitemapUrls), fewer when that many of the longest <url> the site can
// have (slugs of text::kMaxSlugLength bytes, an hreflang alternate per
// served language) could pass kMaxSitemapBytes.
std::size_t sitemap_urls_per_part(const model::Site& site);

// How many URLs precede the items in the list: the home page and news list
// in every served language, the categories in every language, the extra
// pages (input.items is not read).
std::size_t sitemap_fixed_urls(const model::Site& site, const SitemapInput& input);

// The parts of a list of `urls` URLs, `per_part` each: 0 when they fit one
// sitemap (then sitemap_xml serves them), else at least 2.
// REQUIRES: per_part >= 1.
std::size_t sitemap_part_count(std::size_t urls, std::size_t per_part);

// The items of part `part` (>= 1): the `count` items from `offset` in the
// newest-first list of `items` items, after `fixed` fixed URLs.
struct SitemapSlice {
  std::size_t offset = 0;
  std::size_t count = 0;
};
SitemapSlice sitemap_part_items(std::size_t fixed, std::size_t items, std::size_t per_part,
                                std::size_t part);

// Part `part` (>= 1) of the list: the fixed URLs that fall into it, then
// input.items, which hold exactly its slice (sitemap_part_items with
// per_part = input.max_urls), with input.items_last_change and
// input.translations set for the whole site. The same <url> entries, byte
// for byte, that sitemap_xml writes for them.
std::string sitemap_part_xml(const model::Site& site, const SitemapInput& input, std::size_t part);

// The sitemap index: one <sitemap> per part, with its absolute <loc> and,
// when known, <lastmod> in RFC 3339 in the site's time zone.
std::string sitemap_index_xml(const model::Site& site, const std::vector<SitemapRef>& parts);

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
