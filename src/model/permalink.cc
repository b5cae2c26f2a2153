#include "model/permalink.h"

#include <algorithm>

namespace newsdesk::model {

namespace {
constexpr std::string_view kSlugToken = "{slug}";
}  // namespace

bool is_valid_permalink_pattern(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/') return false;
  const auto at = pattern.find(kSlugToken);
  if (at == std::string_view::npos) return false;
  const std::string_view before = pattern.substr(0, at);
  const std::string_view after = pattern.substr(at + kSlugToken.size());
  for (std::string_view part : {before, after}) {
    if (part.find_first_of("{}") != std::string_view::npos) return false;
  }
  return true;
}

std::string expand_permalink(std::string_view pattern, std::string_view slug) {
  std::string out(pattern);
  const auto at = out.find(kSlugToken);
  if (at != std::string::npos) out.replace(at, kSlugToken.size(), slug);
  return out;
}

std::optional<std::string> match_permalink(std::string_view pattern, std::string_view path) {
  const auto at = pattern.find(kSlugToken);
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view before = pattern.substr(0, at);
  const std::string_view after = pattern.substr(at + kSlugToken.size());
  if (path.size() <= before.size() + after.size()) return std::nullopt;
  if (!path.starts_with(before) || !path.ends_with(after)) return std::nullopt;
  const std::string_view slug =
      path.substr(before.size(), path.size() - before.size() - after.size());
  if (slug.find('/') != std::string_view::npos) return std::nullopt;
  return std::string(slug);
}

std::string absolute_url(std::string_view base_url, std::string_view path) {
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::string out;
  out.reserve(base_url.size() + path.size() + 1);
  out.append(base_url).append("/").append(path);
  return out;
}

std::string redirect_key(std::string_view url) {
  std::string target;
  if (url.starts_with("http://") || url.starts_with("https://")) {
    const auto rest = url.find_first_of("/?#", url.find("://") + 3);
    const std::string_view tail = rest == std::string_view::npos ? "" : url.substr(rest);
    if (!tail.starts_with("/")) target.push_back('/');
    target.append(tail);
  } else if (url.starts_with("/")) {
    target.assign(url);
  } else {
    return "";
  }
  target.resize(std::min(target.size(), target.find('#')));
  const auto query = target.find('?');
  std::string out;
  out.reserve(target.size());
  for (std::size_t i = 0; i < target.size() && i < query; ++i) {
    if (target[i] == '/' && !out.empty() && out.back() == '/') continue;
    out += target[i];
  }
  if (query != std::string::npos) out.append(target, query);
  return out;
}

std::string item_path(const Site& site, std::string_view slug) {
  return expand_permalink(site.news_permalink, slug);
}

std::string item_url(const Site& site, std::string_view slug) {
  return absolute_url(site.base_url, item_path(site, slug));
}

std::string category_path(std::string_view category_slug) {
  std::string out = "/category/";
  out.append(category_slug).append("/");
  return out;
}

}  // namespace newsdesk::model
