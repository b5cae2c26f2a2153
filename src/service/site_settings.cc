#include "service/site_settings.h"

#include <spdlog/spdlog.h>

#include <array>
#include <charconv>
#include <string_view>

#include "core/strings.h"
#include "model/languages.h"
#include "text/date.h"

namespace newsdesk::service {
namespace {

constexpr std::string_view kTitle = "site.title";
constexpr std::string_view kDescription = "site.description";
constexpr std::string_view kLanguage = "site.language";
constexpr std::string_view kTimeZone = "site.time_zone";
constexpr std::string_view kFeedItems = "feeds.items";

Error invalid(std::string message) {
  return Error{ErrorCode::kInvalid, "site settings: " + std::move(message)};
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// BCP 47 in its common shape: a 2-3 letter primary language, then subtags
// of 1-8 letters or digits ("en", "pt-BR", "zh-Hant-TW", "sr-Latn").
bool is_language_tag(std::string_view tag) {
  std::size_t start = 0;
  bool first = true;
  while (start <= tag.size()) {
    const std::size_t end = std::min(tag.find('-', start), tag.size());
    const std::string_view part = tag.substr(start, end - start);
    if (part.empty() || part.size() > 8) return false;
    for (char c : part) {
      if (!is_alnum(c)) return false;
      if (first && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
    }
    if (first && (part.size() < 2 || part.size() > 3)) return false;
    first = false;
    start = end + 1;
  }
  return true;
}

Result<int> parse_feed_items(std::string_view text) {
  int value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 1 || value > 1000) {
    return invalid("feed size must be a whole number from 1 to 1000");
  }
  return value;
}

}  // namespace

SiteSettings settings_of(const model::Site& site) {
  return {site.title, site.description, site.language, site.time_zone, site.feed_items};
}

Result<SiteSettings> validate_site_settings(SiteSettings s) {
  s.title = collapse_whitespace(s.title);
  s.description = collapse_whitespace(s.description);
  s.language = collapse_whitespace(s.language);
  s.time_zone = collapse_whitespace(s.time_zone);
  if (s.title.empty()) return invalid("the title is empty");
  if (s.title.size() > 200) return invalid("the title is longer than 200 bytes");
  if (s.description.size() > 500) return invalid("the description is longer than 500 bytes");
  if (!is_language_tag(s.language)) {
    return invalid("language '" + s.language + "' is not a language tag such as en or pt-BR");
  }
  if (s.time_zone.empty() || !text::utc_offset_minutes(s.time_zone, 0)) {
    return invalid("time zone '" + s.time_zone + "' is unknown (an IANA name: Europe/Vienna)");
  }
  if (s.feed_items < 1 || s.feed_items > 1000) {
    return invalid("feed size must be a whole number from 1 to 1000");
  }
  return s;
}

Result<model::Site> effective_site(store::Store& store, const model::Site& base) {
  SiteSettings s = settings_of(base);
  struct Text {
    std::string_view key;
    std::string* out;
  };
  for (const Text& field : std::array<Text, 4>{{{kTitle, &s.title},
                                                {kDescription, &s.description},
                                                {kLanguage, &s.language},
                                                {kTimeZone, &s.time_zone}}}) {
    auto value = store.setting(field.key);
    if (value) {
      *field.out = *value;
    } else if (value.error().code != ErrorCode::kNotFound) {
      return value.error();
    }
  }
  if (auto value = store.setting(kFeedItems); value) {
    if (auto n = parse_feed_items(*value); n) {
      s.feed_items = *n;
    } else {
      spdlog::warn("site settings: stored feed size '{}' ignored", *value);
    }
  } else if (value.error().code != ErrorCode::kNotFound) {
    return value.error();
  }
  auto valid = validate_site_settings(s);
  if (!valid) {
    spdlog::warn("{}; the configuration file's values stay", valid.error().message);
    return base;
  }
  model::Site site = base;
  site.title = valid->title;
  site.description = valid->description;
  const std::string tag = model::canonical_language(valid->language);
  site.language = tag.empty() ? valid->language : tag;
  // The default language lives at the root, never under a prefix too.
  std::erase(site.languages, site.language);
  site.time_zone = valid->time_zone;
  site.feed_items = valid->feed_items;
  return site;
}

Result<void> save_site_settings(store::Store& store, const SiteSettings& settings) {
  auto valid = validate_site_settings(settings);
  if (!valid) return valid.error();
  return store.transaction([&](store::Store& tx) -> Result<void> {
    for (auto [key, value] : std::array<std::pair<std::string_view, std::string_view>, 4>{
             {{kTitle, valid->title},
              {kDescription, valid->description},
              {kLanguage, valid->language},
              {kTimeZone, valid->time_zone}}}) {
      if (auto r = tx.save_setting(key, value); !r) return r;
    }
    return tx.save_setting(kFeedItems, std::to_string(valid->feed_items));
  });
}

}  // namespace newsdesk::service
