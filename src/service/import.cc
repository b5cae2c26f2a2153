#include "service/import.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "core/ids.h"
#include "model/permalink.h"
#include "text/date.h"
#include "text/sanitize.h"
#include "text/slug.h"
#include "text/teaser.h"

namespace newsdesk::service {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// "Press Release: First ..." -> "Press Release", when it looks like a label:
// at most four words and 40 bytes, starting with a capital, no sentence marks.
std::string label_before_colon(std::string_view title) {
  const auto colon = title.find(": ");
  if (colon == std::string_view::npos || colon == 0 || colon > 40) return "";
  const std::string_view label = trim(title.substr(0, colon));
  if (label.empty() || !std::isupper(static_cast<unsigned char>(label.front()))) return "";
  if (label.find_first_of(".?!\"“”,;") != std::string_view::npos) return "";
  if (std::count(label.begin(), label.end(), ' ') > 3) return "";
  return std::string(label);
}

std::string path_of(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  const auto path_start = url.find('/', scheme + 3);
  if (path_start == std::string_view::npos) return "/";
  std::string_view path = url.substr(path_start);
  path = path.substr(0, path.find_first_of("?#"));
  return std::string(path);
}

// Content equality for "unchanged": what the source controls, not our ids.
bool same_content(const model::Item& a, const model::Item& b) {
  auto names = [](const model::Item& i) {
    std::vector<std::string> out;
    for (const auto& c : i.categories) out.push_back(c.slug + "\n" + c.name);
    return out;
  };
  auto files = [](const model::Item& i) {
    std::vector<std::string> out;
    for (const auto& f : i.attachments) {
      out.push_back(f.url + "\n" + f.media_type + "\n" + std::to_string(f.length));
    }
    return out;
  };
  return a.title == b.title && a.teaser == b.teaser && a.body_html == b.body_html &&
         a.authors == b.authors && a.language == b.language && a.source_link == b.source_link &&
         a.published_at == b.published_at && names(a) == names(b) && files(a) == files(b);
}

std::string file_name_of(std::string_view url) {
  const std::string path = path_of(url);
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

model::Item to_model(const feed::ParsedFeed& feed, const feed::ParsedItem& in,
                     const std::vector<std::string>& feed_titles, const ImportOptions& options) {
  model::Item item;
  item.title = in.title;
  item.source_link = in.link;
  item.source_id = source_id_for(in);
  item.language = feed.language;
  item.authors = in.authors;
  item.body_html = !in.content_html.empty() ? in.content_html : in.summary;
  // The teaser is plain text: the summary's text, else the body's, cropped.
  std::string teaser = text::html_to_text(in.summary);
  if (teaser.empty()) teaser = text::html_to_text(item.body_html);
  item.teaser = text::crop_teaser(teaser);
  item.status = model::Status::kPublished;
  item.published_at = in.published ? in.published : in.updated;
  if (!item.published_at) item.published_at = model::DateTime{options.now_epoch_seconds, 0};
  item.updated_at = in.updated ? *in.updated : *item.published_at;

  auto add_category = [&item](const std::string& name) {
    const std::string slug = text::slugify(name);
    if (slug.empty()) return;
    for (const auto& c : item.categories) {
      if (c.slug == slug) return;
    }
    item.categories.push_back(model::Category{0, slug, name});
  };
  if (std::string label = title_prefix_category(in.title, feed_titles, options.category_prefixes);
      !label.empty()) {
    add_category(label);
  }
  for (const std::string& name : in.categories) add_category(name);
  for (const feed::ParsedEnclosure& e : in.enclosures) {
    model::Attachment a;
    a.url = e.url;
    a.name = file_name_of(e.url);
    a.media_type = e.type;
    a.length = e.length;
    item.attachments.push_back(std::move(a));
  }
  return item;
}

// The first of slug, slug-2, slug-3, ... that no other item holds.
Result<std::string> free_slug(store::Store& store, const std::string& wanted) {
  for (int n = 1; n < 1000; ++n) {
    std::string candidate = wanted;
    if (n > 1) {
      std::string suffix = "-";
      suffix += std::to_string(n);
      candidate = candidate.substr(0, text::kMaxSlugLength - suffix.size()) + suffix;
    }
    auto existing = store.item_by_slug(candidate);
    if (!existing && existing.error().code == ErrorCode::kNotFound) return candidate;
    if (!existing) return existing.error();
  }
  return make_error(ErrorCode::kConflict, "import: no free slug for '" + wanted + "'");
}

// After a migration the old site's URLs must keep working: the item's
// original path answers with a redirect to its new permalink.
Result<void> keep_old_path(store::Store& store, const model::Item& item) {
  const std::string key = model::redirect_key(item.source_link);
  if (key.empty() || key == "/") return {};
  return store.add_redirect(key, item.id);
}

Result<void> import_item(store::Store& store, model::Item item, const feed::ParsedItem& in,
                         ImportReport& report) {
  auto existing = store.item_by_source_id(item.source_id);
  if (existing) {
    item.id = existing->id;
    if (same_content(*existing, item)) {
      ++report.unchanged;
      return keep_old_path(store, item);
    }
    item.guid = existing->guid;
    item.slug = existing->slug;  // a fixed typo never breaks the URL
    if (auto r = store.update_item(item); !r) return r;
    ++report.updated;
    return keep_old_path(store, item);
  }
  if (existing.error().code != ErrorCode::kNotFound) return existing.error();
  auto slug = free_slug(store, slug_for_import(in.link, in.title));
  if (!slug) return slug.error();
  item.slug = *slug;
  item.guid = new_uuid_urn();
  auto id = store.insert_item(item);
  if (!id) return id.error();
  item.id = *id;
  ++report.added;
  return keep_old_path(store, item);
}

}  // namespace

std::string title_prefix_category(const std::string& title,
                                  const std::vector<std::string>& feed_titles,
                                  const std::vector<std::string>& configured_prefixes) {
  for (const std::string& prefix : configured_prefixes) {
    if (!prefix.empty() && title.starts_with(prefix)) {
      std::string_view name = prefix;
      if (name.ends_with(':')) name.remove_suffix(1);
      return std::string(trim(name));
    }
  }
  const std::string label = label_before_colon(title);
  if (label.empty()) return "";
  int uses = 0;
  for (const std::string& other : feed_titles) {
    if (label_before_colon(other) == label) ++uses;
  }
  return uses >= 2 ? label : "";
}

std::string slug_for_import(const std::string& link, const std::string& title) {
  std::string path = path_of(link);
  while (!path.empty() && path.back() == '/') path.pop_back();
  std::string segment = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  for (std::string_view ext : {".html", ".htm", ".php", ".aspx", ".asp"}) {
    if (segment.ends_with(ext)) segment.resize(segment.size() - ext.size());
  }
  if (segment == "index" || segment == "default") segment.clear();
  std::string slug = text::is_valid_slug(segment) ? segment : text::slugify(segment);
  // A bare number ("?id=123" sites, "/2018/07/04/") says nothing to a reader.
  if (slug.find_first_not_of("0123456789-") == std::string::npos) slug.clear();
  if (slug.empty()) slug = text::slugify(title);
  return slug.empty() ? "item" : slug;
}

std::string source_id_for(const feed::ParsedItem& item) {
  if (!item.guid.empty()) return item.guid;
  if (!item.link.empty()) return item.link;
  const std::string date = item.published ? text::format_rfc3339(*item.published) : "";
  char hex[32];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(fnv1a64(item.title + "\n" + date)));
  return std::string("hash:") + hex;
}

Result<ImportReport> import_feeds(store::Store& store, const std::vector<feed::ParsedFeed>& feeds,
                                  const ImportOptions& options) {
  ImportReport report;
  auto result = store.transaction([&](store::Store& tx) -> Result<void> {
    for (const feed::ParsedFeed& feed : feeds) {
      std::vector<std::string> titles;
      for (const auto& in : feed.items) titles.push_back(in.title);
      // Oldest first, so that ids and slug suffixes follow publication order.
      for (auto it = feed.items.rbegin(); it != feed.items.rend(); ++it) {
        if (it->title.empty() && it->summary.empty() && it->content_html.empty()) continue;
        if (auto r = import_item(tx, to_model(feed, *it, titles, options), *it, report); !r) {
          return wrap_error(r.error(), "import: '" + it->title + "'");
        }
      }
    }
    return {};
  });
  if (!result) return result.error();
  return report;
}

}  // namespace newsdesk::service
