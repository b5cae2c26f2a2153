// Output formats are data (Hugo: output/outputFormat.go): one row per feed
// format, used by routes, autodiscovery links and writers alike.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace newsdesk::model {

enum class FeedFormat { kRss, kAtom, kJson };

struct OutputFormat {
  FeedFormat format;
  std::string_view name;        // "rss", as in `newsdesk feed --format`
  std::string_view media_type;  // without charset
  std::string_view file_name;   // the last path segment: "/rss.xml", "/category/x/rss.xml"
  std::string_view title;       // for autodiscovery links: "RSS"
};

inline constexpr std::array<OutputFormat, 3> kFeedFormats = {{
    {FeedFormat::kRss, "rss", "application/rss+xml", "rss.xml", "RSS"},
    {FeedFormat::kAtom, "atom", "application/atom+xml", "atom.xml", "Atom"},
    {FeedFormat::kJson, "json", "application/feed+json", "feed.json", "JSON Feed"},
}};

inline const OutputFormat& output_format(FeedFormat f) {
  return kFeedFormats[static_cast<std::size_t>(f)];
}

inline std::optional<FeedFormat> feed_format_by_name(std::string_view name) {
  for (const auto& f : kFeedFormats) {
    if (f.name == name) return f.format;
  }
  return std::nullopt;
}

inline std::optional<FeedFormat> feed_format_by_file(std::string_view file_name) {
  for (const auto& f : kFeedFormats) {
    if (f.file_name == file_name) return f.format;
  }
  return std::nullopt;
}

}  // namespace newsdesk::model
