#include "service/feeds.h"

#include <charconv>

#include "feed/write/atom.h"
#include "feed/write/jsonfeed.h"
#include "feed/write/rss.h"
#include "model/permalink.h"
#include "render/pages.h"

namespace newsdesk::service {

namespace {

// The document in one output format, with its media type.
FeedDocument write_document(const model::Site& site, model::FeedFormat format,
                            const feed::FeedInfo& info, const std::vector<model::Item>& items) {
  FeedDocument doc;
  switch (format) {
    case model::FeedFormat::kRss:
      doc.body = feed::write_rss(site, info, items);
      break;
    case model::FeedFormat::kAtom:
      doc.body = feed::write_atom(site, info, items);
      break;
    case model::FeedFormat::kJson:
      doc.body = feed::write_json_feed(site, info, items);
      break;
  }
  doc.content_type = std::string(model::output_format(format).media_type) + "; charset=utf-8";
  return doc;
}

}  // namespace

namespace {

constexpr std::string_view kArchiveSegment = "feed-archive/";

std::string base_path(const std::string& category_slug) {
  return category_slug.empty() ? "/" : model::category_path(category_slug);
}

std::string feed_path_for(const FeedRequest& r, int page) {
  std::string path = base_path(r.category_slug);
  if (page > 0) path += std::string(kArchiveSegment) + std::to_string(page) + "/";
  path += model::output_format(r.format).file_name;
  return path;
}

std::optional<int> positive_int(std::string_view s) {
  int value = 0;
  if (s.empty() || s.size() > 9 || s.front() == '0') return std::nullopt;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || value <= 0) return std::nullopt;
  return value;
}

}  // namespace

std::string feed_path(const FeedRequest& request) {
  return feed_path_for(request, request.archive_page);
}

std::optional<FeedRequest> parse_feed_path(std::string_view path) {
  FeedRequest request;
  if (path.starts_with("/category/")) {
    path.remove_prefix(std::string_view("/category/").size());
    const auto slash = path.find('/');
    if (slash == std::string_view::npos || slash == 0) return std::nullopt;
    request.category_slug = std::string(path.substr(0, slash));
    path.remove_prefix(slash + 1);
  } else {
    if (!path.starts_with("/")) return std::nullopt;
    path.remove_prefix(1);
  }
  if (path.starts_with(kArchiveSegment)) {
    path.remove_prefix(kArchiveSegment.size());
    const auto slash = path.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const auto page = positive_int(path.substr(0, slash));
    if (!page) return std::nullopt;
    request.archive_page = *page;
    path.remove_prefix(slash + 1);
  }
  const auto format = model::feed_format_by_file(path);
  if (!format) return std::nullopt;
  request.format = *format;
  return request;
}

int archive_page_count(std::int64_t total, int page_size) {
  if (page_size <= 0 || total <= 0) return 0;
  return static_cast<int>(total / page_size);
}

Result<FeedDocument> FeedService::render(const FeedRequest& request) {
  std::string category_name;
  if (!request.category_slug.empty()) {
    auto category = news_.category(request.category_slug);
    if (!category) return category.error();
    category_name = category->name;
  }
  const int page_size = site_.feed_items;
  auto total = news_.count(request.category_slug);
  if (!total) return total.error();
  const int pages = archive_page_count(*total, page_size);
  if (request.archive_page > pages) {
    return make_error(ErrorCode::kNotFound,
                      "feeds: no archive page " + std::to_string(request.archive_page));
  }
  // The live feed shows the newest items; archive page k the k-th full page
  // from the oldest, newest first within it.
  const std::int64_t offset =
      request.archive_page == 0 ? 0 : *total - std::int64_t{request.archive_page} * page_size;
  auto items = news_.latest(page_size, static_cast<int>(offset), request.category_slug);
  if (!items) return items.error();
  auto last = news_.last_change(request.category_slug);
  if (!last) return last.error();

  feed::FeedInfo info = feed::site_feed_info(site_, *last);
  // A language's feeds live under its prefix and link to its pages.
  auto url = [this](const std::string& path) {
    return model::absolute_url(site_.base_url, model::view_path(site_, path));
  };
  info.link = url("/");
  if (!request.category_slug.empty()) {
    info.title = site_.title + ": " + category_name;
    info.link = url(model::category_path(request.category_slug));
  }
  info.self_url = url(feed_path(request));
  if (request.archive_page == 0) {
    if (pages > 0) info.prev_archive_url = url(feed_path_for(request, pages));
  } else {
    info.is_archive = true;
    info.current_url = url(feed_path_for(request, 0));
    if (request.archive_page > 1) {
      info.prev_archive_url = url(feed_path_for(request, request.archive_page - 1));
    }
    if (request.archive_page < pages) {
      info.next_archive_url = url(feed_path_for(request, request.archive_page + 1));
    }
  }

  FeedDocument doc = write_document(site_, request.format, info, *items);
  if (*last) doc.last_modified = (*last)->epoch_seconds;
  doc.self_url = info.self_url;
  doc.hub_url = info.hub_url;
  return doc;
}

Result<FeedDocument> FeedService::render_press(model::FeedFormat format,
                                               const std::string& self_path) {
  auto items = news_.press_items(site_.feed_items);
  if (!items) return items.error();
  const std::int64_t now = news_.now();
  std::optional<model::DateTime> last;
  for (model::Item& item : *items) {
    if (!last || earlier(*last, item.updated_at)) last = item.updated_at;
    if (item.published_at && item.published_at->epoch_seconds > now) {
      item.title = "EMBARGOED until " + render::display_date(site_, *item.published_at) + ", " +
                   render::display_time(site_, *item.published_at) + " (" + site_.time_zone +
                   "): " + item.title;
    }
  }
  feed::FeedInfo info = feed::site_feed_info(site_, last);
  info.title = site_.title + " (press feed)";
  info.self_url = model::absolute_url(site_.base_url, self_path);
  info.hub_url.clear();
  info.stylesheet_url.clear();
  FeedDocument doc = write_document(site_, format, info, *items);
  doc.self_url = info.self_url;
  return doc;
}

}  // namespace newsdesk::service
