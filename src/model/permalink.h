// The one source of truth for public URLs (Hugo: page_paths.go).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/item.h"
#include "model/site.h"

namespace newsdesk::model {

// True when pattern starts with '/', holds exactly one "{slug}" and no other
// '{' or '}'.
bool is_valid_permalink_pattern(std::string_view pattern);

// "/news-centre/news-detail/{slug}/" + "abc" -> "/news-centre/news-detail/abc/".
std::string expand_permalink(std::string_view pattern, std::string_view slug);

// The slug when path matches pattern ("/news/abc/" against "/news/{slug}/"),
// nullopt otherwise. A slug never contains '/'.
std::optional<std::string> match_permalink(std::string_view pattern, std::string_view path);

// Whether match_permalink would find a slug, without making it (for
// counting requests by route).
bool matches_permalink(std::string_view pattern, std::string_view path);

// Joins an absolute base URL and a path with exactly one '/' between them:
// ("https://www.icmpd.org/", "/news/x/") -> "https://www.icmpd.org/news/x/".
std::string absolute_url(std::string_view base_url, std::string_view path);

// The form old URLs are stored and looked up in: the path and query of a URL
// or request target, runs of '/' collapsed, the fragment dropped.
// "https://www.icmpd.org//news-centre/x/?a=1#f" -> "/news-centre/x/?a=1".
// Returns "" when url is neither absolute http(s) nor starts with '/'.
std::string redirect_key(std::string_view url_or_target);

// Site paths. An item's path in the site's view (model/languages.h: under
// the view's language prefix), and the path of the item in its own
// language, which is the one to use whenever the item is at hand.
std::string item_path(const Site& site, std::string_view slug);
std::string item_url(const Site& site, std::string_view slug);
std::string item_path(const Site& site, const Item& item);
std::string item_url(const Site& site, const Item& item);
// A path of the site (the ones below) inside the site's language view:
// "/news/" -> "/fr/news/" in the French view, unchanged at the root.
std::string view_path(const Site& site, std::string_view path);
std::string category_path(std::string_view category_slug);
// Paged listings: page 1 is the listing's own path, page N > 1 adds
// "page/N/": "/news/", "/news/page/2/", "/category/x/page/3/".
std::string news_list_path(int page = 1);
std::string category_page_path(std::string_view category_slug, int page = 1);
// "/archive/", "/archive/2018/", "/archive/2018/07/" (month 0: the year;
// year 0: the index), and page N > 1 of a month as "/archive/2018/07/page/N/".
std::string archive_path(int year = 0, int month = 0, int page = 1);
// "/files/{id}/{name}": where the site serves an attachment's stored bytes,
// the name percent-encoded as one path segment ("file" when empty).
std::string attachment_path(std::int64_t id, std::string_view name);
// "/search?q=<percent-encoded query>", with "&page=N" for N > 1.
std::string search_path(std::string_view query, int page = 1);
inline constexpr std::string_view kRssPath = "/rss.xml";

}  // namespace newsdesk::model
