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
  int feed_items = 20;
};

}  // namespace newsdesk::model
