// The one source of truth for public URLs (Hugo: page_paths.go).
#pragma once

#include <optional>
#include <string>
#include <string_view>

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

// Joins an absolute base URL and a path with exactly one '/' between them:
// ("https://www.icmpd.org/", "/news/x/") -> "https://www.icmpd.org/news/x/".
std::string absolute_url(std::string_view base_url, std::string_view path);

// The form old URLs are stored and looked up in: the path and query of a URL
// or request target, runs of '/' collapsed, the fragment dropped.
// "https://www.icmpd.org//news-centre/x/?a=1#f" -> "/news-centre/x/?a=1".
// Returns "" when url is neither absolute http(s) nor starts with '/'.
std::string redirect_key(std::string_view url_or_target);

// Site paths.
std::string item_path(const Site& site, std::string_view slug);
std::string item_url(const Site& site, std::string_view slug);
std::string category_path(std::string_view category_slug);
inline constexpr std::string_view kRssPath = "/rss.xml";

}  // namespace newsdesk::model
