#include "model/permalink.h"

#include <algorithm>
#include <cstdint>

#include "core/strings.h"
#include "model/languages.h"

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

namespace {

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string expand_permalink(std::string_view pattern, std::string_view slug) {
  // A Unicode slug ("пресс-релиз") goes into URLs as its UTF-8 bytes
  // percent-encoded (RFC 3986 section 2.1, upper-case hex); an ASCII slug
  // has only unreserved characters and stays as it is.
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(slug.size());
  for (const unsigned char c : slug) {
    if (is_unreserved(c)) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  std::string out(pattern);
  const auto at = out.find(kSlugToken);
  if (at != std::string::npos) out.replace(at, kSlugToken.size(), encoded);
  return out;
}

namespace {

// The part of path where pattern has "{slug}", still %-encoded, when the
// rest of path is the pattern's and that part is one non-empty segment.
std::optional<std::string_view> slug_segment(std::string_view pattern, std::string_view path) {
  const auto at = pattern.find(kSlugToken);
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view before = pattern.substr(0, at);
  const std::string_view after = pattern.substr(at + kSlugToken.size());
  if (path.size() <= before.size() + after.size()) return std::nullopt;
  if (!path.starts_with(before) || !path.ends_with(after)) return std::nullopt;
  const std::string_view encoded =
      path.substr(before.size(), path.size() - before.size() - after.size());
  if (encoded.find('/') != std::string_view::npos) return std::nullopt;
  return encoded;
}

}  // namespace

bool matches_permalink(std::string_view pattern, std::string_view path) {
  const auto encoded = slug_segment(pattern, path);
  if (!encoded) return false;
  // Without an escape the slug is the segment itself: no copy to check it.
  if (encoded->find('%') == std::string_view::npos) return is_utf8(*encoded);
  return match_permalink(pattern, path).has_value();
}

std::optional<std::string> match_permalink(std::string_view pattern, std::string_view path) {
  const auto segment = slug_segment(pattern, path);
  if (!segment) return std::nullopt;
  const std::string_view encoded = *segment;
  // The path as requested: %XX decoded (either case of hex), so that
  // "/news/%D0%BF.../" finds the slug "п...". A malformed escape, an
  // encoded '/' or bytes that are no UTF-8 match no slug.
  std::string slug;
  slug.reserve(encoded.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] != '%') {
      // The bytes up to the next escape in one go (every request for an
      // item page comes here, most with no escape at all).
      const std::size_t next = std::min(encoded.find('%', i), encoded.size());
      slug.append(encoded.substr(i, next - i));
      i = next - 1;
      continue;
    }
    if (encoded.size() - i < 3) return std::nullopt;
    const int hi = hex_digit(encoded[i + 1]);
    const int lo = hex_digit(encoded[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    const char decoded = static_cast<char>(hi * 16 + lo);
    if (decoded == '/') return std::nullopt;
    slug += decoded;
    i += 2;
  }
  if (!is_utf8(slug)) return std::nullopt;
  return slug;
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
  return site.path_prefix + expand_permalink(site.news_permalink, slug);
}

std::string item_url(const Site& site, std::string_view slug) {
  return absolute_url(site.base_url, item_path(site, slug));
}

std::string item_path(const Site& site, const Item& item) {
  return language_prefix(site, item.language) + expand_permalink(site.news_permalink, item.slug);
}

std::string item_url(const Site& site, const Item& item) {
  return absolute_url(site.base_url, item_path(site, item));
}

std::string view_path(const Site& site, std::string_view path) {
  return site.path_prefix + std::string(path);
}

std::string category_path(std::string_view category_slug) {
  std::string out = "/category/";
  out.append(category_slug).append("/");
  return out;
}

namespace {

std::string with_page(std::string path, int page) {
  if (page > 1) path += "page/" + std::to_string(page) + "/";
  return path;
}

std::string two_digits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

}  // namespace

std::string news_list_path(int page) { return with_page("/news/", page); }

std::string category_page_path(std::string_view category_slug, int page) {
  return with_page(category_path(category_slug), page);
}

std::string archive_path(int year, int month, int page) {
  std::string out = "/archive/";
  if (year <= 0) return out;
  out += std::to_string(year) + "/";
  if (month <= 0) return out;
  out += two_digits(month) + "/";
  return with_page(std::move(out), page);
}

std::string attachment_path(std::int64_t id, std::string_view name) {
  if (name.empty()) name = "file";
  std::string out = "/files/" + std::to_string(id) + "/";
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : name) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string search_path(std::string_view query, int page) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "/search?q=";
  for (unsigned char c : query) {
    // RFC 3986 unreserved characters stay; a space becomes '+' as HTML forms send it.
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (page > 1) out += "&page=" + std::to_string(page);
  return out;
}

}  // namespace newsdesk::model
