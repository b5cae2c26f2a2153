// What a site is to its readers: its name, address, language and how its URLs
// are built. Filled from the configuration file; read by every writer.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace newsdesk::model {

struct SiteImage {
  std::string url;
  std::string title;
  std::string link;
  int width = 0;   // 0: not given
  int height = 0;  // 0: not given

  friend bool operator==(const SiteImage&, const SiteImage&) = default;
};

struct Site {
  std::string title = "News";
  std::string description = "News";
  std::string base_url = "http://127.0.0.1:8080/";  // absolute, ends with '/'
  // The language of the pages being made: the site's default language, or
  // in a language view (model/languages.h) that view's language. BCP 47.
  std::string language = "en";
  // Further languages, each served under a path prefix of its own.
  std::vector<std::string> languages;
  // Configured prefixes ("fr" -> "/francais/"); a language not named here
  // is served under "/" + its tag in lower case + "/".
  std::map<std::string, std::string> language_prefixes;
  // Slugs of non-Latin titles kept as readable Unicode ("пресс-релиз")
  // instead of transliterated to ASCII ("press-reliz").
  bool unicode_slugs = false;
  // Set in a language view only: the default language ("" at the root,
  // where `language` is it) and the view's path prefix ("/fr"; no trailing
  // slash; "" at the root).
  std::string default_language;
  std::string path_prefix;
  std::string time_zone = "UTC";  // IANA name
  std::optional<SiteImage> image;
  std::string news_permalink = "/news/{slug}/";
  int page_items = 10;  // news per page in lists, archives and search results
  // URLs per sitemap file (render/sitemap.h): a site with more serves a
  // sitemap index. The protocol allows at most 50,000; fewer suit tests.
  int sitemap_urls = 50000;
  int feed_items = 20;
  bool feed_full_text = true;   // false: feeds carry teasers only
  int feed_max_age = 300;       // Cache-Control max-age of feeds and pages, seconds
  bool feed_stylesheet = true;  // RSS and Atom ask browsers to show them via /feed.xsl
  std::string websub_hub;       // absolute URL of a WebSub hub; empty: none

  friend bool operator==(const Site&, const Site&) = default;
};

}  // namespace newsdesk::model
