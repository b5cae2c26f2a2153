// What a site is to its readers: its name, address, language and how its URLs
// are built. Filled from the configuration file; read by every writer.
#pragma once

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
  std::string language = "en";
  std::vector<std::string> languages;  // further languages, served under /{lang}/
  std::string time_zone = "UTC";       // IANA name
  std::optional<SiteImage> image;
  std::string news_permalink = "/news/{slug}/";
  int page_items = 10;  // news per page in lists, archives and search results
  int feed_items = 20;
  bool feed_full_text = true;   // false: feeds carry teasers only
  int feed_max_age = 300;       // Cache-Control max-age of feeds and pages, seconds
  bool feed_stylesheet = true;  // RSS and Atom ask browsers to show them via /feed.xsl
  std::string websub_hub;       // absolute URL of a WebSub hub; empty: none

  friend bool operator==(const Site&, const Site&) = default;
};

}  // namespace newsdesk::model
