#include "service/import.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <unordered_set>

#include "core/ids.h"
#include "model/languages.h"
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

// A feed's metadata without its items.
feed::ParsedFeed metadata_of(const feed::ParsedFeed& f) {
  feed::ParsedFeed meta;
  meta.format = f.format;
  meta.title = f.title;
  meta.link = f.link;
  meta.description = f.description;
  meta.language = f.language;
  meta.updated = f.updated;
  meta.generator = f.generator;
  meta.image = f.image;
  return meta;
}

// How many titles of a feed start with each label: all the unconfigured
// category rule needs of the feed's titles.
using LabelCounts = std::map<std::string, int, std::less<>>;

std::string prefix_category(const std::string& title, const LabelCounts& labels,
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
  const auto uses = labels.find(label);
  return uses != labels.end() && uses->second >= 2 ? label : "";
}

model::Item to_model(const feed::ParsedFeed& feed, const feed::ParsedItem& in,
                     const LabelCounts& labels, const ImportOptions& options) {
  model::Item item;
  item.title = in.title;
  item.source_link = in.link;
  item.source_id = source_id_for(in);
  item.slug = slug_for_import(in.link, in.title, options.unicode_slugs);
  // Stored canonical ("fr-CA"), as per-language listings compare it; a tag
  // that is no BCP 47 tag is dropped (the site's default applies).
  item.language = model::canonical_language(!in.language.empty() ? in.language : feed.language);
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
  if (std::string label = prefix_category(in.title, labels, options.category_prefixes);
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
      candidate = text::cut_slug(candidate, text::kMaxSlugLength - suffix.size()) + suffix;
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

Result<void> import_item(store::Store& store, model::Item item, ImportReport& report) {
  auto existing = store.item_by_source_id(item.source_id);
  if (existing) {
    item.id = existing->id;
    if (same_content(*existing, item)) {
      ++report.unchanged;
      return keep_old_path(store, item);
    }
    item.guid = existing->guid;
    item.slug = existing->slug;  // a fixed typo never breaks the URL
    // An attachment still at the same URL keeps its id, and so its stored
    // bytes and its /files/{id}/ address.
    std::vector<std::int64_t> taken;
    for (model::Attachment& a : item.attachments) {
      for (const model::Attachment& old : existing->attachments) {
        if (old.url == a.url && std::find(taken.begin(), taken.end(), old.id) == taken.end()) {
          a.id = old.id;
          taken.push_back(old.id);
          break;
        }
      }
    }
    if (auto r = store.update_item(item); !r) return r;
    ++report.updated;
    return keep_old_path(store, item);
  }
  if (existing.error().code != ErrorCode::kNotFound) return existing.error();
  auto slug = free_slug(store, item.slug);
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
  LabelCounts labels;
  for (const std::string& other : feed_titles) {
    if (std::string label = label_before_colon(other); !label.empty()) ++labels[label];
  }
  return prefix_category(title, labels, configured_prefixes);
}

std::string slug_for_import(const std::string& link, const std::string& title, bool unicode_slugs) {
  std::string path = path_of(link);
  while (!path.empty() && path.back() == '/') path.pop_back();
  std::string segment = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  for (std::string_view ext : {".html", ".htm", ".php", ".aspx", ".asp"}) {
    if (segment.ends_with(ext)) segment.resize(segment.size() - ext.size());
  }
  if (segment == "index" || segment == "default") segment.clear();
  const text::SlugScript script = text::slug_script(unicode_slugs);
  if (unicode_slugs) {
    // "/%D0%BF%D1%80%D0%B5%D1%81%D1%81/" is the slug "пресс" of the old site.
    segment = model::match_permalink("/{slug}", "/" + segment).value_or("");
  }
  std::string slug = text::is_valid_slug(segment, script)
                         ? segment
                         : text::slugify(segment, text::kMaxSlugLength, script);
  // A bare number ("?id=123" sites, "/2018/07/04/") says nothing to a reader.
  if (slug.find_first_not_of("0123456789-") == std::string::npos) slug.clear();
  if (slug.empty()) slug = text::slugify(title, text::kMaxSlugLength, script);
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

FeedReader file_feed_reader(const std::string& path, const feed::ParseLimits& limits) {
  FeedReader reader;
  reader.name = path;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  reader.size_bytes = ec ? 0 : static_cast<std::uint64_t>(size);
  reader.read = [path, limits](const feed::ItemSink& sink) {
    return feed::parse_feed_file(path, "", sink, limits);
  };
  return reader;
}

FeedReader parsed_feed_reader(std::string name, feed::ParsedFeed feed) {
  FeedReader reader;
  reader.name = std::move(name);
  auto shared = std::make_shared<const feed::ParsedFeed>(std::move(feed));
  reader.read = [shared](const feed::ItemSink& sink) -> Result<feed::ParsedFeed> {
    for (const feed::ParsedItem& item : shared->items) {
      if (auto r = sink(item); !r) return r.error();
    }
    return metadata_of(*shared);
  };
  return reader;
}

namespace {

// What the first pass keeps of each item: 16 bytes, whatever the item.
struct ItemMark {
  std::uint64_t identity = 0;  // fnv1a64 of source_id_for(): checks later passes
  std::uint32_t size = 0;      // bytes of text, roughly what the parsed item holds
  enum class Fate : std::uint8_t { kImport, kEmpty, kDuplicate } fate = Fate::kImport;
};

// The first pass over one source.
struct Scan {
  feed::ParsedFeed meta;
  LabelCounts labels;
  std::vector<ItemMark> marks;
  bool kept_all = false;               // `kept` holds every item
  std::vector<feed::ParsedItem> kept;  // the items, while they fit the window
};

std::size_t text_size(const feed::ParsedItem& item) {
  std::size_t n = 64 + item.guid.size() + item.title.size() + item.link.size() +
                  item.summary.size() + item.content_html.size();
  for (const auto& a : item.authors) n += 32 + a.size();
  for (const auto& c : item.categories) n += 32 + c.size();
  for (const auto& e : item.enclosures) n += 48 + e.url.size() + e.type.size();
  return n;
}

bool is_empty(const feed::ParsedItem& item) {
  return item.title.empty() && item.summary.empty() && item.content_html.empty();
}

Result<Scan> scan_source(const FeedReader& source, std::size_t index,
                         std::unordered_set<std::uint64_t>& seen, std::size_t& budget,
                         ImportReport& report, const ImportOptions& options) {
  Scan scan;
  std::size_t kept_bytes = 0;
  bool keeping = true;
  ImportProgress progress;
  progress.phase = ImportProgress::Phase::kReading;
  progress.source = index;
  progress.name = source.name;
  progress.source_bytes = source.size_bytes;
  auto meta = source.read([&](feed::ParsedItem item) -> Result<void> {
    ItemMark mark;
    mark.identity = fnv1a64(source_id_for(item));
    const std::size_t size = text_size(item);
    mark.size = static_cast<std::uint32_t>(std::min<std::size_t>(size, UINT32_MAX));
    if (std::string label = label_before_colon(item.title); !label.empty()) ++scan.labels[label];
    if (is_empty(item)) {
      mark.fate = ItemMark::Fate::kEmpty;
      ++report.skipped[std::string(kSkippedEmpty)];
    } else if (!seen.insert(mark.identity).second) {
      // By 64-bit hash, not by the id itself: 8 bytes per item. Two ids of
      // one import colliding is a chance of about n^2 / 2^65.
      mark.fate = ItemMark::Fate::kDuplicate;
      ++report.skipped[std::string(kSkippedDuplicate)];
    }
    scan.marks.push_back(mark);
    if (keeping) {
      if (kept_bytes + size <= budget) {
        kept_bytes += size;
        scan.kept.push_back(std::move(item));
      } else {
        keeping = false;
        std::vector<feed::ParsedItem>().swap(scan.kept);
        kept_bytes = 0;
      }
    }
    progress.items_done = scan.marks.size();
    if (options.on_progress) options.on_progress(progress);
    return {};
  });
  if (!meta) return wrap_error(meta.error(), "import: " + source.name);
  scan.meta = std::move(*meta);
  scan.kept_all = keeping;
  budget -= kept_bytes;
  return scan;
}

// Imports scan.marks[lo, hi) oldest (last) first from `items`, which holds
// exactly those items in document order.
Result<void> import_window(store::Store& tx, const Scan& scan, std::size_t lo,
                           std::vector<feed::ParsedItem>& items, ImportReport& report,
                           ImportProgress& progress, const ImportOptions& options) {
  for (std::size_t k = items.size(); k-- > 0;) {
    const feed::ParsedItem& in = items[k];
    if (scan.marks[lo + k].fate == ItemMark::Fate::kImport) {
      if (auto r = import_item(tx, to_model(scan.meta, in, scan.labels, options), report); !r) {
        return wrap_error(r.error(), "import: '" + in.title + "'");
      }
    }
    ++progress.items_done;
    if (options.on_progress) options.on_progress(progress);
    items[k] = feed::ParsedItem{};  // release its text now
  }
  return {};
}

// Reads the source again, keeping only items [lo, hi); stops after hi.
Result<std::vector<feed::ParsedItem>> read_window(const FeedReader& source, const Scan& scan,
                                                  std::size_t lo, std::size_t hi) {
  std::vector<feed::ParsedItem> items;
  std::size_t index = 0;
  bool stopped = false;
  bool changed = false;
  auto meta = source.read([&](feed::ParsedItem item) -> Result<void> {
    if (index >= hi) {
      stopped = true;  // the rest of the file is for earlier passes
      return make_error(ErrorCode::kInternal, "import: window read");
    }
    if (index >= lo) {
      if (fnv1a64(source_id_for(item)) != scan.marks[index].identity) {
        changed = true;
        return make_error(ErrorCode::kInvalid, "changed");
      }
      items.push_back(std::move(item));
    }
    ++index;
    return {};
  });
  if (!meta && !stopped && !changed) return wrap_error(meta.error(), "import: " + source.name);
  if (changed || items.size() != hi - lo) {
    return make_error(ErrorCode::kInvalid,
                      "import: " + source.name + ": the source changed while it was imported");
  }
  return items;
}

Result<void> import_scanned(store::Store& tx, const FeedReader& source, std::size_t index,
                            Scan& scan, ImportReport& report, const ImportOptions& options) {
  ImportProgress progress;
  progress.phase = ImportProgress::Phase::kImporting;
  progress.source = index;
  progress.name = source.name;
  progress.source_bytes = source.size_bytes;
  progress.items_total = scan.marks.size();
  if (scan.kept_all) {
    return import_window(tx, scan, 0, scan.kept, report, progress, options);
  }
  // Windows from the end of the feed, each at most window_bytes (but at
  // least one item), so that items still go in oldest first.
  std::size_t hi = scan.marks.size();
  while (hi > 0) {
    std::size_t lo = hi;
    std::size_t bytes = 0;
    while (lo > 0 && (lo == hi || bytes + scan.marks[lo - 1].size <= options.window_bytes)) {
      bytes += scan.marks[--lo].size;
    }
    auto items = read_window(source, scan, lo, hi);
    if (!items) return items.error();
    if (auto r = import_window(tx, scan, lo, *items, report, progress, options); !r) return r;
    hi = lo;
  }
  return {};
}

}  // namespace

Result<ImportReport> import_sources(store::Store& store, const std::vector<FeedReader>& sources,
                                    const ImportOptions& options) {
  ImportReport report;
  // First pass, before the write lock is taken: a source that is no feed
  // fails here, and the long read holds up no other writer.
  std::unordered_set<std::uint64_t> seen;
  std::size_t budget = options.window_bytes;
  std::vector<Scan> scans;
  scans.reserve(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    auto scan = scan_source(sources[i], i, seen, budget, report, options);
    if (!scan) return scan.error();
    scans.push_back(std::move(*scan));
  }
  auto result = store.transaction([&](store::Store& tx) -> Result<void> {
    for (std::size_t i = 0; i < sources.size(); ++i) {
      if (auto r = import_scanned(tx, sources[i], i, scans[i], report, options); !r) return r;
      scans[i] = Scan{};
    }
    return {};
  });
  if (!result) return result.error();
  return report;
}

Result<ImportReport> import_feeds(store::Store& store, const std::vector<feed::ParsedFeed>& feeds,
                                  const ImportOptions& options) {
  std::vector<FeedReader> sources;
  for (std::size_t i = 0; i < feeds.size(); ++i) {
    FeedReader reader;
    reader.name = feeds[i].link.empty() ? "feed " + std::to_string(i + 1) : feeds[i].link;
    const feed::ParsedFeed* source = &feeds[i];  // outlives the import
    reader.read = [source](const feed::ItemSink& sink) -> Result<feed::ParsedFeed> {
      for (const feed::ParsedItem& item : source->items) {
        if (auto r = sink(item); !r) return r.error();
      }
      return metadata_of(*source);
    };
    sources.push_back(std::move(reader));
  }
  return import_sources(store, sources, options);
}

}  // namespace newsdesk::service
