#include "service/export.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/file.h"
#include "core/gzip.h"
#include "model/languages.h"
#include "model/output_format.h"
#include "model/permalink.h"
#include "render/embedded_theme.h"
#include "render/feed_stylesheet.h"
#include "render/sitemap.h"
#include "service/attachments.h"
#include "service/feeds.h"
#include "service/languages.h"
#include "service/pages.h"
#include "store/forwarding_store.h"
#include "text/date.h"

namespace newsdesk::service {

namespace {

namespace fs = std::filesystem;

// Version 2 lines: "HASH SIZE STAMP PATH" (STAMP "-": none). Version 1
// (an older newsdesk) had no stamps: "HASH SIZE PATH"; read, so that its
// unchanged files are not rewritten, but everything is rendered.
constexpr std::string_view kManifestHeader = "newsdesk-export 2";
constexpr std::string_view kManifestHeaderV1 = "newsdesk-export 1";
// The response cache's threshold (http/cache.cc): smaller bodies go out
// uncompressed.
constexpr std::size_t kMinCompressSize = 256;
// Items are listed in batches of this many to find their slugs.
constexpr int kListBatch = 2000;
// The budget of the export's item cache (see Snapshot::items).
constexpr std::size_t kItemCacheBytes = 96u << 20;

Error export_error(std::string message) {
  return make_error(ErrorCode::kInvalid, "export: " + std::move(message));
}

// --- Content hash -------------------------------------------------------------

// 128 bits, 32 bytes at a time in four independent lanes (one dependent
// chain of multiplies over every 8 bytes was 4 % of a full export), then
// two differently mixed 64-bit halves. FNV-1a byte by byte would cost a
// third of a second on a 10k-item site. Words are read in host order: the
// manifest is only ever compared on the machine that wrote it... or one of
// the same endianness, which is all we run on.
std::uint64_t fmix64(std::uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

std::uint64_t rotl(std::uint64_t v, int r) { return (v << r) | (v >> (64 - r)); }

std::string content_hash(std::string_view data) {
  constexpr std::uint64_t kP1 = 0x9e3779b185ebca87ULL;
  constexpr std::uint64_t kP2 = 0xc2b2ae3d27d4eb4fULL;
  constexpr std::uint64_t kP3 = 0x87c37b91114253d5ULL;
  const std::uint64_t n = data.size();
  std::uint64_t lane[4] = {n + kP1 + kP2, n + kP2, n, n - kP1};
  auto word = [&](std::size_t at) {
    std::uint64_t w;
    std::memcpy(&w, data.data() + at, 8);
    return w;
  };
  std::size_t i = 0;
  for (; i + 32 <= data.size(); i += 32) {
    for (int k = 0; k < 4; ++k) lane[k] = rotl(lane[k] + word(i + 8 * k) * kP2, 31) * kP1;
  }
  std::uint64_t a = rotl(lane[0], 1) + rotl(lane[1], 7) + rotl(lane[2], 12) + rotl(lane[3], 18);
  std::uint64_t b = (lane[0] ^ rotl(lane[2], 29)) * kP3 + (lane[1] ^ rotl(lane[3], 31)) * kP1;
  for (; i + 8 <= data.size(); i += 8) {
    const std::uint64_t w = word(i);
    a = rotl(a + w * kP2, 31) * kP1;
    b = (b ^ w) * kP3;
    b ^= b >> 29;
  }
  std::uint64_t tail = 0;
  for (std::size_t k = 0; i + k < data.size(); ++k) {
    tail |= static_cast<std::uint64_t>(static_cast<unsigned char>(data[i + k])) << (8 * k);
  }
  a = fmix64(a ^ (tail * kP1) ^ n);
  b = fmix64(b + tail + 0x52dce729da3ed7b5ULL);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(32);
  for (std::uint64_t v : {a, b}) {
    for (int shift = 60; shift >= 0; shift -= 4) out += kDigits[(v >> shift) & 0xf];
  }
  return out;
}

// --- Input stamps -------------------------------------------------------------

// What a file's bytes follow from, each part length-prefixed so that no two
// inputs run together, hashed into the file's stamp.
class StampInput {
 public:
  StampInput& str(std::string_view s) {
    buf_ += std::to_string(s.size());
    buf_ += ':';
    buf_ += s;
    return *this;
  }
  StampInput& num(std::int64_t v) {
    buf_ += std::to_string(v);
    buf_ += ';';
    return *this;
  }
  StampInput& time(const std::optional<model::DateTime>& t) {
    if (!t) return num(0);
    return num(1).num(t->epoch_seconds).num(t->offset_minutes);
  }
  std::string hash() const { return content_hash(buf_); }

 private:
  std::string buf_;
};

// Every field of the item, whether a page shows it today or not: a theme
// may show any of them, and a field missed here would leave a stale page.
// updated_at alone would not do: an import keeps the feed's date when the
// text changes.
std::string item_digest(const model::Item& item) {
  StampInput in;
  in.num(item.id).str(item.guid).str(item.slug).str(item.title).str(item.teaser);
  in.str(item.body_html).str(item.body_markdown).str(item.language);
  in.num(static_cast<std::int64_t>(item.authors.size()));
  for (const std::string& a : item.authors) in.str(a);
  in.num(static_cast<int>(item.status)).time(item.published_at).time(item.updated_at);
  in.num(static_cast<std::int64_t>(item.categories.size()));
  for (const model::Category& c : item.categories) in.num(c.id).str(c.slug).str(c.name);
  in.num(static_cast<std::int64_t>(item.attachments.size()));
  for (const model::Attachment& a : item.attachments) {
    in.num(a.id).str(a.url).str(a.name).str(a.media_type).num(a.length).num(a.stored);
  }
  in.num(item.lead_image.has_value());
  if (item.lead_image) in.str(item.lead_image->url).str(item.lead_image->alt);
  in.num(static_cast<std::int64_t>(item.related_links.size()));
  for (const model::RelatedLink& l : item.related_links) in.str(l.title).str(l.url);
  in.num(item.author_id).num(item.review_requested).num(item.embargoed).str(item.preview_token);
  in.num(item.expires_at.has_value()).num(item.expires_at.value_or(0));
  in.num(item.archive_on_expiry);
  in.str(item.contact.name).str(item.contact.email).str(item.contact.phone);
  in.str(item.source_link).str(item.source_id);
  return in.hash();
}

// This binary: a rebuilt newsdesk may render other bytes under the same
// version number. Unknown: a value no manifest holds, so all is rendered.
std::string binary_identity() {
  struct stat st {};
  if (::stat("/proc/self/exe", &st) != 0) {
    return "unknown " + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  return std::to_string(st.st_dev) + ' ' + std::to_string(st.st_ino) + ' ' +
         std::to_string(st.st_size) + ' ' + std::to_string(st.st_mtim.tv_sec) + '.' +
         std::to_string(st.st_mtim.tv_nsec);
}

// --- Paths --------------------------------------------------------------------

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A relative path inside DIR that is safe to write or remove: no empty,
// "." or ".." segment, no control bytes, not absolute.
bool safe_relative(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  while (!path.empty()) {
    const auto slash = path.find('/');
    const std::string_view segment = path.substr(0, slash);
    if (segment.empty() || segment == "." || segment == "..") return false;
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return true;
}

// The file a web server maps a site path to: percent-decoded segment by
// segment, ".../" to ".../index.html". nullopt when it cannot be a file
// (a decoded '/' inside a segment, control bytes, dot segments).
std::optional<std::string> file_for(std::string_view url_path) {
  if (!url_path.starts_with('/')) return std::nullopt;
  url_path.remove_prefix(1);
  std::string out;
  for (std::size_t i = 0; i < url_path.size(); ++i) {
    const char c = url_path[i];
    if (c == '%') {
      if (i + 2 >= url_path.size()) return std::nullopt;
      const int hi = hex_value(url_path[i + 1]);
      const int lo = hex_value(url_path[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      const char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '/') return std::nullopt;
      out += decoded;
      i += 2;
    } else {
      out += c;
    }
  }
  if (out.empty() || out.back() == '/') out += "index.html";
  if (!safe_relative(out)) return std::nullopt;
  return out;
}

// --- The store at one instant --------------------------------------------------

// What the export reads is fixed at its one instant, yet PageService asks
// for the same counts, dates and categories on every page (the chrome), and
// listings and feed archives page with OFFSET, which costs SQLite a walk
// over every row before the page. Rendered for a 10k-item site that is
// minutes; the server pays it once per page and caches the page. So the
// export's services read through SnapshotStore: it remembers what cannot
// change during the export, and answers a paged public listing by the same
// query bounded by published_at (an index range) instead of OFFSET, using
// the listing order the export learnt while enumerating the items. The
// items, and so the bytes of every page, come from the store as the server
// gets them.
//
// A site in several languages has one public listing per scope: each served
// language's (NewsService::in_language: ItemQuery::language, or for the
// default language ItemQuery::excluded_languages) and the whole site's (no
// language filter: the sitemaps). A query is answered from the listing of
// exactly its scope, never from another's; one that names no known scope,
// or a translation group, goes to the database.
struct Entry {
  std::int64_t published_at = 0;
  std::int64_t id = 0;
};

// As the store compares an item's language with a tag (item_queries.inc):
// the tag itself or an extension of it ("fr" takes "fr-CA"). Tags are
// stored canonical, so case plays no part.
bool sql_language_match(std::string_view language, std::string_view tag) {
  return language.starts_with(tag) &&
         (language.size() == tag.size() || language[tag.size()] == '-');
}

// The public items of one scope, in the listing order (published_at, then
// id, newest first), site-wide and per category slug. Filled before the
// workers start, read only after.
struct Listing {
  Listing(std::string lang, std::vector<std::string> excluded_langs)
      : language(std::move(lang)), excluded(std::move(excluded_langs)) {}

  // Whether the store's filter of this scope lets an item in `item_language`
  // through.
  bool admits(std::string_view item_language) const {
    if (!language.empty() && !sql_language_match(item_language, language)) return false;
    for (const std::string& other : excluded) {
      if (sql_language_match(item_language, other)) return false;
    }
    return true;
  }

  void add(const model::Item& item) {
    const Entry entry{item.published_at ? item.published_at->epoch_seconds : 0, item.id};
    position.emplace(item.id, all.size());
    all.push_back(entry);
    for (const model::Category& c : item.categories) by_category[c.slug].push_back(entry);
    // The last change, as Store::last_change picks it: the newest
    // updated_at, then the highest id.
    auto newer = [&](const std::string& slug) {
      auto& last = last_changes[slug];
      if (!last || item.updated_at.epoch_seconds > last->first.epoch_seconds ||
          (item.updated_at.epoch_seconds == last->first.epoch_seconds && item.id > last->second)) {
        last = std::pair(item.updated_at, item.id);
      }
    };
    newer("");
    for (const model::Category& c : item.categories) newer(c.slug);
  }

  // The listing of a category slug ("" the whole listing); empty for an
  // unknown one.
  const std::vector<Entry>& of(const std::string& slug) const {
    static const std::vector<Entry> kNone;
    if (slug.empty()) return all;
    const auto it = by_category.find(slug);
    return it == by_category.end() ? kNone : it->second;
  }

  std::optional<model::DateTime> last_change(const std::string& slug) const {
    const auto it = last_changes.find(slug);
    if (it == last_changes.end() || !it->second) return std::nullopt;
    return it->second->first;
  }

  const std::string language;               // ItemQuery::language of its queries
  const std::vector<std::string> excluded;  // ItemQuery::excluded_languages
  std::vector<Entry> all;
  std::unordered_map<std::int64_t, std::size_t> position;  // id -> index in all
  std::unordered_map<std::string, std::vector<Entry>> by_category;
  // Per listing ("" or a category slug): the newest updated_at and its item.
  std::unordered_map<std::string, std::optional<std::pair<model::DateTime, std::int64_t>>>
      last_changes;
  // Whether no item of the scope was moved to the archive by its end time:
  // then the queries that keep such items (ItemQuery::keep_archived: item
  // pages' neighbours, month archives) find exactly this listing too.
  bool without_archived = false;
};

struct Snapshot {
  explicit Snapshot(std::int64_t at) : now(at) {}

  // The listing of a scope, made when first asked for.
  // REQUIRES: the workers have not started.
  std::size_t listing_of(const std::string& language, const std::vector<std::string>& excluded) {
    for (std::size_t i = 0; i < listings.size(); ++i) {
      if (listings[i].language == language && listings[i].excluded == excluded) return i;
    }
    listings.emplace_back(language, excluded);
    return listings.size() - 1;
  }

  // The listing whose items a query asks for exactly, as NewsService asks
  // for the public items at `now` (any category, time range and page);
  // nullptr for any other query.
  const Listing* public_listing(const store::ItemQuery& q) const {
    if (!ordered || q.status != model::Status::kPublished || q.published_before != now ||
        q.live_at != now || q.author_id || q.translation_group || !q.translation_groups.empty() ||
        !q.preview_token.empty() || q.include_embargoed) {
      return nullptr;
    }
    for (const Listing& l : listings) {
      if (l.language == q.language && l.excluded == q.excluded_languages) {
        return !q.keep_archived || l.without_archived ? &l : nullptr;
      }
    }
    return nullptr;
  }

  const std::int64_t now;
  bool ordered = false;  // listings filled
  // Index 0: the whole site's; then one per distinct scope of a served
  // language (a site of one language has only the first).
  std::deque<Listing> listings;
  // Public items as the store gave them while they were listed, as many as
  // kItemCacheBytes allow (all of them up to some 20,000 items): every page
  // that shows them is then rendered without asking the store again.
  std::unordered_map<std::int64_t, model::Item> items;
  std::unordered_map<std::string, std::int64_t> by_slug;
  std::size_t cached_bytes = 0;
  // Every listed item as its neighbours' pages link to it.
  std::unordered_map<std::int64_t, store::ItemLink> links;

  void keep(model::Item item) {
    std::size_t bytes = 512 + item.title.size() + item.teaser.size() + item.body_html.size() +
                        item.body_markdown.size() + item.slug.size() + item.guid.size();
    for (const model::Attachment& a : item.attachments) bytes += 128 + a.url.size() + a.name.size();
    if (cached_bytes + bytes > kItemCacheBytes) return;
    cached_bytes += bytes;
    by_slug.emplace(item.slug, item.id);
    items.emplace(item.id, std::move(item));
  }

  std::mutex mu;  // guards what follows
  std::unordered_map<std::string, std::int64_t> counts;
  std::unordered_map<std::string, std::map<std::int64_t, std::int64_t>> category_counts;
  std::unordered_map<std::string, std::optional<model::DateTime>> last_changes;
  std::unordered_map<std::string, std::vector<std::int64_t>> times;
  std::optional<std::vector<model::Category>> categories;
  std::unordered_map<std::string, std::optional<std::string>> settings;  // nullopt: not set
};

// Every filter field of a query (not its page): the key of remembered answers.
std::string filter_key(const store::ItemQuery& q) {
  auto opt = [](const std::optional<std::int64_t>& v) {
    return v ? std::to_string(*v) : std::string("-");
  };
  std::string excluded;
  for (const std::string& l : q.excluded_languages) excluded += l + ',';
  return std::string(q.status ? model::status_name(*q.status) : "-") + '\x1f' + q.category_slug +
         '\x1f' + opt(q.published_before) + '\x1f' + opt(q.published_from) + '\x1f' +
         opt(q.published_until) + '\x1f' + opt(q.live_at) + '\x1f' + (q.keep_archived ? "a" : "-") +
         '\x1f' + opt(q.author_id) + '\x1f' + q.language + '\x1f' + excluded + '\x1f' +
         q.text_language + '\x1f' + opt(q.translation_group) + '\x1f' + q.preview_token + '\x1f' +
         (q.include_embargoed ? "e" : "-");
}

class SnapshotStore final : public store::ForwardingStore {
 public:
  // The base is given *inner before owned_ takes it over.
  SnapshotStore(std::unique_ptr<store::Store> inner, Snapshot& snapshot)
      : ForwardingStore(*inner), owned_(std::move(inner)), snap_(snapshot) {}

  Result<std::vector<model::Item>> list_items(const store::ItemQuery& query) override {
    const Listing* listing = snap_.public_listing(query);
    if (listing == nullptr) return inner().list_items(query);
    const std::vector<Entry>* order = &listing->all;
    if (!query.category_slug.empty()) {
      const auto it = listing->by_category.find(query.category_slug);
      if (it == listing->by_category.end()) return inner().list_items(query);
      order = &it->second;
    }
    // The entries in [published_from, published_until), newest first.
    auto begin = order->begin();
    auto end = order->end();
    if (query.published_until) {
      begin = std::partition_point(
          begin, end, [&](const Entry& e) { return e.published_at >= *query.published_until; });
    }
    if (query.published_from) {
      end = std::partition_point(
          begin, end, [&](const Entry& e) { return e.published_at >= *query.published_from; });
    }
    const std::size_t available = static_cast<std::size_t>(end - begin);
    const std::size_t skip = static_cast<std::size_t>(std::max(query.offset, 0));
    if (skip >= available) return std::vector<model::Item>{};
    begin += static_cast<std::ptrdiff_t>(skip);
    if (query.limit > 0 && static_cast<std::size_t>(query.limit) < available - skip) {
      end = begin + query.limit;
    }
    std::vector<model::Item> page;
    for (auto e = begin; e != end; ++e) {
      const auto cached = snap_.items.find(e->id);
      if (cached == snap_.items.end()) break;
      page.push_back(cached->second);
    }
    if (page.size() == static_cast<std::size_t>(end - begin)) return page;
    page.clear();
    if (query.offset <= 0) return inner().list_items(query);
    store::ItemQuery bounded = query;
    bounded.offset = 0;
    bounded.limit = 0;
    bounded.published_until = begin->published_at + 1;
    bounded.published_from = (end - 1)->published_at;
    auto items = inner().list_items(bounded);
    if (!items) return items;
    // Items published in the same second as the page's first or last one
    // come along; keep the page's own.
    auto want = begin;
    for (model::Item& item : *items) {
      if (want != end && item.id == want->id) {
        page.push_back(std::move(item));
        ++want;
      }
    }
    // The database changed under the export: ask it the slow way.
    if (want != end) return inner().list_items(query);
    return page;
  }

  // The items before and after in the listing order, from the listing and
  // the links kept while it was read: no query at all.
  Result<store::Neighbours> neighbours(std::int64_t id, const store::ItemQuery& query) override {
    store::ItemQuery site_wide = query;
    site_wide.published_from.reset();
    site_wide.published_until.reset();
    const Listing* listing = snap_.public_listing(site_wide);
    if (listing == nullptr || !query.category_slug.empty()) return inner().neighbours(id, query);
    const auto at = listing->position.find(id);
    if (at == listing->position.end()) return inner().neighbours(id, query);
    const std::size_t pos = at->second;
    const auto link = [&](std::size_t i) { return snap_.links.find(listing->all[i].id); };
    const bool has_newer = pos > 0;
    const bool has_older = pos + 1 < listing->all.size();
    if ((has_newer && link(pos - 1) == snap_.links.end()) ||
        (has_older && link(pos + 1) == snap_.links.end())) {
      return inner().neighbours(id, query);
    }
    store::Neighbours out;
    if (has_newer) out.newer = link(pos - 1)->second;
    if (has_older) out.older = link(pos + 1)->second;
    return out;
  }

  Result<std::int64_t> count_items(const store::ItemQuery& query) override {
    return remembered(snap_.counts, query, [&] { return inner().count_items(query); });
  }

  Result<std::map<std::int64_t, std::int64_t>> count_by_category(
      const store::ItemQuery& query) override {
    return remembered(snap_.category_counts, query,
                      [&] { return inner().count_by_category(query); });
  }

  Result<std::optional<model::DateTime>> last_change(const store::ItemQuery& query) override {
    return remembered(snap_.last_changes, query, [&] { return inner().last_change(query); });
  }

  Result<std::vector<std::int64_t>> published_times(const store::ItemQuery& query) override {
    return remembered(snap_.times, query, [&] { return inner().published_times(query); });
  }

  Result<std::vector<model::Category>> categories() override {
    {
      std::lock_guard lock(snap_.mu);
      if (snap_.categories) return *snap_.categories;
    }
    auto all = inner().categories();
    if (all) {
      std::lock_guard lock(snap_.mu);
      snap_.categories = *all;
    }
    return all;
  }

  Result<std::string> setting(std::string_view key) override {
    const std::string k(key);
    {
      std::lock_guard lock(snap_.mu);
      if (auto it = snap_.settings.find(k); it != snap_.settings.end()) {
        if (it->second) return *it->second;
        return make_error(ErrorCode::kNotFound, "export: no setting " + k);
      }
    }
    auto value = inner().setting(key);
    if (value || value.error().code == ErrorCode::kNotFound) {
      std::lock_guard lock(snap_.mu);
      snap_.settings.emplace(k, value ? std::optional(*value) : std::nullopt);
    }
    return value;
  }

  // The item itself, from the snapshot once it has been read in order.
  Result<model::Item> item_by_id(std::int64_t id) override {
    if (snap_.ordered) {
      if (auto it = snap_.items.find(id); it != snap_.items.end()) return it->second;
    }
    return inner().item_by_id(id);
  }
  Result<model::Item> item_by_slug(std::string_view slug) override {
    if (snap_.ordered) {
      if (auto id = snap_.by_slug.find(std::string(slug)); id != snap_.by_slug.end()) {
        return item_by_id(id->second);
      }
    }
    return inner().item_by_slug(slug);
  }

 private:
  // The answer kept for the query's filter, or ask(), kept when it succeeds.
  template <typename Value, typename Ask>
  Result<Value> remembered(std::unordered_map<std::string, Value>& answers,
                           const store::ItemQuery& query, Ask ask) {
    const std::string key = filter_key(query);
    {
      std::lock_guard lock(snap_.mu);
      if (auto it = answers.find(key); it != answers.end()) return it->second;
    }
    Result<Value> value = ask();
    if (value) {
      std::lock_guard lock(snap_.mu);
      answers.emplace(key, *value);
    }
    return value;
  }

  std::unique_ptr<store::Store> owned_;
  Snapshot& snap_;
};

// --- Jobs ---------------------------------------------------------------------

enum class Kind {
  kHome,
  kListing,  // slug (empty: /news/), page
  kItem,     // slug
  kArchive,  // year, month, page
  kFeed,     // slug, format, page (the archive page; 0: live)
  kStylesheet,
  kSitemap,
  kNewsSitemap,
  kRobots,
  kAsset,  // slug: the fingerprinted name
  kFile,   // id
  kNotFound,
  kSitemapPart,  // page: the part of the sitemap index
};

struct Job {
  explicit Job(Kind k) : kind(k) {}

  Kind kind;
  std::string file;  // relative to DIR
  std::string slug;
  int year = 0;
  int month = 0;
  int page = 1;
  model::FeedFormat format = model::FeedFormat::kRss;
  std::int64_t id = 0;  // kFile: the attachment; kItem: the item
  // Pages and feeds: the served language (index in served_languages()).
  std::size_t language = 0;
  // Of everything the bytes follow from (see export.h); empty: none, so
  // always rendered.
  std::string stamp;
};

// What one job left in DIR.
struct Outcome {
  bool present = false;  // false: the page vanished after it was listed
  std::string hash;      // of the (uncompressed) bytes
  std::uint64_t size = 0;
  bool written = false;
  bool gz = false;  // FILE.gz is part of the export
  std::uint64_t gz_size = 0;
  bool gz_written = false;
};

struct ManifestEntry {
  std::string hash;
  std::uint64_t size = 0;
  std::string stamp;  // empty: none
};
using Manifest = std::unordered_map<std::string, ManifestEntry>;

// The services of one worker, on its own store connection: those of each
// served language and of the whole site, as the server has them.
struct Worker {
  Worker(const model::Site& site, const render::Theme& theme, std::unique_ptr<store::Store> s,
         Snapshot& snapshot, const Clock& clock)
      : store(std::make_unique<SnapshotStore>(std::move(s), snapshot)),
        // One generation for the whole export: what it reads is fixed at
        // its instant, so each worker's pages share their navigation and
        // archive counts as the server's do between two changes.
        sites(site, *store, theme, clock, [] { return std::uint64_t{1}; }),
        files(*store, sites.everything()) {}

  std::unique_ptr<SnapshotStore> store;
  LanguageSites sites;
  AttachmentFiles files;
};

int page_count(std::int64_t total, int per_page) {
  if (total <= 0 || per_page <= 0) return 1;
  return static_cast<int>((total + per_page - 1) / per_page);
}

class Exporter {
 public:
  Exporter(const model::Site& site, const render::Theme& theme, const std::string& dir,
           const ExportOptions& options)
      : site_(site), theme_(theme), dir_(dir), options_(options) {}

  Result<void> add(Job job, std::string_view url_path) {
    auto file = file_for(url_path);
    if (!file) return {};  // no file can stand for this address (a name with '/')
    job.file = std::move(*file);
    if (!seen_.insert(job.file).second) return {};
    jobs_.push_back(std::move(job));
    return {};
  }

  // Every path of the public site, from the store.
  // A public item as list() reads it, with what its stamps and its job need.
  struct ReadItem {
    model::Item item;
    std::string file;    // its page's file
    std::string digest;  // item_digest()
    std::string link;    // the hash of what its neighbours show of it
  };

  // Every public item, newest first, in parts of about kListBatch items
  // (options.read_part when set): the workers read alternate parts at once,
  // each from its own connection, and hash what they read (this is most of
  // list()'s time, before any page can be rendered). A part is a range of
  // publication times, cut where the time changes, so each is one range
  // scan of the index; an OFFSET would have walked every item before the
  // part again, in each of its four queries. The first part has no upper
  // end and the last no lower one: an item published meanwhile is read
  // once all the same. One whose time an edit moves meanwhile may be read
  // twice (list() keeps the first) or not at all (the next export has it).
  Result<std::vector<std::vector<ReadItem>>> read_public_items(
      std::vector<std::unique_ptr<Worker>>& workers) {
    auto times = workers.front()->sites.everything().public_times();
    if (!times) return times.error();
    // Part p holds the times in [cuts[p], cuts[p - 1]), newest first.
    std::vector<std::int64_t> cuts;
    const std::size_t size = options_.read_part > 0 ? options_.read_part : kListBatch;
    for (std::size_t i = size; i < times->size(); i += size) {
      while (i < times->size() && (*times)[i] == (*times)[i - 1]) ++i;
      if (i < times->size()) cuts.push_back((*times)[i - 1]);
    }
    const std::size_t parts = cuts.size() + 1;
    std::mutex mu;
    std::vector<std::vector<ReadItem>> out(parts);  // each part by one worker
    std::optional<Error> failure;                   // guarded by mu
    const std::size_t stride = workers.size();
    auto read = [&](Worker& w, std::size_t first) {
      for (std::size_t p = first; p < parts; p += stride) {
        {
          std::lock_guard lock(mu);
          if (failure) return;
        }
        std::optional<std::int64_t> from;
        std::optional<std::int64_t> until;
        if (p < cuts.size()) from = cuts[p];
        if (p > 0) until = cuts[p - 1];
        auto items = w.sites.everything().published_between(from, until);
        if (!items) {
          std::lock_guard lock(mu);
          if (!failure) failure = items.error();
          return;
        }
        std::vector<ReadItem>& part = out[p];
        part.reserve(items->size());
        for (model::Item& item : *items) {
          ReadItem r;
          r.file = model::item_path(site_, item);
          r.digest = item_digest(item);
          r.link = StampInput().str(item.slug).str(item.title).hash();
          r.item = std::move(item);
          part.push_back(std::move(r));
        }
      }
    };
    std::vector<std::thread> threads;
    for (std::size_t t = 1; t < workers.size(); ++t) {
      threads.emplace_back(read, std::ref(*workers[t]), t);
    }
    read(*workers.front(), 0);
    for (std::thread& t : threads) t.join();
    if (failure) return *failure;
    return out;
  }

  Result<void> list(std::vector<std::unique_ptr<Worker>>& workers, Snapshot& snapshot) {
    Worker& w = *workers.front();
    // What only the root serves, once.
    auto add_job = [this](Kind kind, std::string_view path) { return add(Job(kind), path); };
    if (auto r = add_job(Kind::kStylesheet, "/feed.xsl"); !r) return r;
    if (auto r = add_job(Kind::kSitemap, "/sitemap.xml"); !r) return r;
    // A site too large for one sitemap: /sitemap.xml is the index of these.
    auto sitemap_parts = w.sites.whole_site().sitemap_parts();
    if (!sitemap_parts) return sitemap_parts.error();
    for (std::size_t part = 1; part <= *sitemap_parts; ++part) {
      Job job(Kind::kSitemapPart);
      job.page = static_cast<int>(part);
      if (auto r = add(std::move(job), render::sitemap_part_path(part)); !r) return r;
    }
    if (auto r = add_job(Kind::kNewsSitemap, "/news-sitemap.xml"); !r) return r;
    if (auto r = add_job(Kind::kRobots, "/robots.txt"); !r) return r;
    Job not_found(Kind::kNotFound);
    not_found.file = "404.html";
    seen_.insert(not_found.file);
    jobs_.push_back(std::move(not_found));

    // The scopes: the whole site's listing first (the sitemaps', the
    // attachments'), then each served language's, with the filter
    // NewsService::in_language gives its view. A site of one language has
    // one scope.
    const std::size_t whole = snapshot.listing_of("", {});
    std::unordered_map<std::string, std::size_t> index_of;  // served language -> languages_
    for (const std::string& tag : model::served_languages(site_)) {
      Language lang;
      lang.view = model::language_view(site_, tag);
      const model::Site& v = lang.view;
      if (v.languages.empty()) {
        lang.listing = snapshot.listing_of("", {});
      } else if (v.language == model::default_language(v)) {
        lang.listing = snapshot.listing_of("", v.languages);
      } else {
        lang.listing = snapshot.listing_of(v.language, {});
      }
      index_of.emplace(tag, languages_.size());
      languages_.push_back(std::move(lang));
    }

    // Every public item, in every listing that holds it (first: listings
    // and feeds are counted from them; their pages come after the
    // listings' though, which win a clash of paths as they always did).
    std::vector<Job> item_jobs;
    auto batches = read_public_items(workers);
    if (!batches) return batches.error();
    for (std::vector<ReadItem>& batch : *batches) {
      for (ReadItem& read : batch) {
        model::Item& item = read.item;
        // A part read after a change may repeat an item of another part.
        if (digests_.contains(item.id)) continue;
        for (Listing& listing : snapshot.listings) {
          if (listing.admits(item.language)) listing.add(item);
        }
        Job job(Kind::kItem);
        job.slug = item.slug;
        job.id = item.id;
        job.language = index_of.at(model::served_language(site_, item.language));
        job.file = std::move(read.file);
        item_jobs.push_back(std::move(job));
        digests_.emplace(item.id, std::move(read.digest));
        links_.emplace(item.id, std::move(read.link));
        snapshot.links.emplace(
            item.id, store::ItemLink{item.id, item.slug, item.title, item.language,
                                     item.published_at ? item.published_at->epoch_seconds : 0});
        snapshot.keep(std::move(item));
      }
    }
    snapshot.ordered = true;

    // Every page's navigation asks the count and last change of each
    // listing; the listings just read answer both, as the store would.
    remember_counts(snapshot, snapshot.listings[whole], "");
    for (const Language& lang : languages_) {
      remember_counts(snapshot, snapshot.listings[lang.listing], lang.view.language);
    }

    auto categories = w.sites.everything().categories();
    if (!categories) return categories.error();
    std::vector<std::string> slugs{""};
    for (const model::Category& c : *categories) slugs.push_back(c.slug);
    for (std::size_t i = 0; i < languages_.size(); ++i) {
      if (auto r = list_language(w, snapshot, i, slugs); !r) return r;
    }
    // The whole site's listing (when no language's is the same) also
    // answers the queries that keep archived items, if it has none.
    if (std::none_of(languages_.begin(), languages_.end(),
                     [&](const Language& l) { return l.listing == whole; })) {
      auto times = w.sites.everything().published_times();
      if (!times) return times.error();
      snapshot.listings[whole].without_archived =
          times->size() == snapshot.listings[whole].all.size();
    }

    for (Job& job : item_jobs) {
      const std::string path = std::move(job.file);
      if (auto r = add(std::move(job), path); !r) return r;
    }

    // Every item with a page: the public ones listed above and those their
    // end time moved to the archive, whose pages stay (they are in no
    // listing, so have no stamp: rendered every time).
    auto pages = w.sites.everything().page_stamps(0);
    if (!pages) return pages.error();
    for (const store::ItemStamp& s : *pages) {
      if (snapshot.listings[whole].position.contains(s.id)) continue;
      Job job(Kind::kItem);
      job.slug = s.slug;
      job.id = s.id;
      job.language = index_of.at(model::served_language(site_, s.language));
      if (auto r = add(std::move(job), model::item_path(languages_[job.language].view, s.slug));
          !r) {
        return r;
      }
    }

    // Translations: each item's page names the public members of its group
    // (NewsService::translations, archived ones too), by language and
    // slug. The members as the store filters them: the original (id) and
    // the items that name it (translation_of).
    if (!site_.languages.empty()) {
      std::unordered_map<std::int64_t, StampInput> groups;
      for (const store::ItemStamp& s : *pages) {
        groups[s.id].num(s.id).str(s.language).str(s.slug);
        if (s.translation_of != 0 && s.translation_of != s.id) {
          groups[s.translation_of].num(s.id).str(s.language).str(s.slug);
        }
        group_of_.emplace(s.id, s.translation_of != 0 ? s.translation_of : s.id);
      }
      for (const auto& [id, in] : groups) groups_.emplace(id, in.hash());
    }

    // The theme's static files: the built-in theme's and the folder's.
    std::set<std::string> statics;
    for (const render::EmbeddedFile& f : render::embedded_default_theme()) {
      if (f.path.starts_with("static/")) statics.insert(std::string(f.path.substr(7)));
    }
    if (!options_.theme_dir.empty()) {
      const fs::path root = fs::path(options_.theme_dir) / "static";
      std::error_code ec;
      for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec)) {
          statics.insert(it->path().lexically_relative(root).generic_string());
        }
      }
    }
    for (const std::string& name : statics) {
      const std::string url = theme_.asset_url(name);
      if (url.empty()) continue;
      Job job(Kind::kAsset);
      job.slug = url.substr(std::string_view("/static/").size());
      if (auto r = add(std::move(job), url); !r) return r;
    }

    // Stored attachment files; those of items that are not public drop out
    // when rendered.
    auto refs = w.store->attachment_refs();
    if (!refs) return refs.error();
    for (const store::AttachmentRef& ref : *refs) {
      if (!ref.has_file) continue;
      Job job(Kind::kFile);
      job.id = ref.id;
      // The bytes under an attachment id never change; its name is the path.
      if (snapshot.listings[whole].position.contains(ref.item_id)) {
        job.stamp = StampInput().str("file").num(ref.id).str(ref.name).num(ref.item_id).hash();
      }
      if (auto r = add(std::move(job), attachment_file_path(ref.id, ref.name)); !r) return r;
    }
    return {};
  }

  // The stamp of every job that has one, from what list() learnt and a few
  // answers the snapshot keeps for the render anyway (categories, last
  // changes, the boilerplate).
  // REQUIRES: list() succeeded.
  Result<void> stamp(Worker& w, Snapshot& snapshot) {
    StampInput chrome;
    chrome.str(kManifestHeader).str(NEWSDESK_VERSION).str(binary_identity()).num(options_.gzip);
    chrome.str(site_.title).str(site_.description).str(site_.base_url).str(site_.language);
    chrome.num(static_cast<std::int64_t>(site_.languages.size()));
    for (const std::string& l : site_.languages) chrome.str(l);
    chrome.num(static_cast<std::int64_t>(site_.language_prefixes.size()));
    for (const auto& [l, prefix] : site_.language_prefixes) chrome.str(l).str(prefix);
    chrome.num(site_.unicode_slugs).str(site_.default_language).str(site_.path_prefix);
    chrome.str(site_.time_zone).num(site_.image.has_value());
    if (site_.image) {
      chrome.str(site_.image->url).str(site_.image->title).str(site_.image->link);
      chrome.num(site_.image->width).num(site_.image->height);
    }
    chrome.str(site_.news_permalink).num(site_.page_items).num(site_.feed_items);
    chrome.num(site_.feed_full_text).num(site_.feed_max_age).num(site_.feed_stylesheet);
    chrome.str(site_.websub_hub);
    // The theme as files: the built-in one, and the folder's over it.
    for (const render::EmbeddedFile& f : render::embedded_default_theme()) {
      chrome.str(f.path).str(f.content);
    }
    if (!options_.theme_dir.empty()) {
      std::set<fs::path> files;
      std::error_code ec;
      for (fs::recursive_directory_iterator it(options_.theme_dir, ec), end; !ec && it != end;
           it.increment(ec)) {
        if (it->is_regular_file(ec)) files.insert(it->path());
      }
      if (ec) return {};  // unreadable now: no stamps, all is rendered
      for (const fs::path& f : files) {
        auto bytes = read_file(f.string(), 64u << 20);
        if (!bytes) return {};
        chrome.str(f.lexically_relative(options_.theme_dir).generic_string()).str(*bytes);
      }
    }
    auto categories = w.sites.everything().categories();
    if (!categories) return categories.error();
    for (const model::Category& c : *categories) chrome.num(c.id).str(c.slug).str(c.name);
    auto boilerplate = w.sites.everything().boilerplate();
    if (!boilerplate) return boilerplate.error();
    chrome.str(*boilerplate);
    const std::string chrome_hash = chrome.hash();

    // The digests of entries [from, from + n) of a listing, as far as it goes.
    auto add_items = [&](StampInput& in, const std::vector<Entry>& entries, std::int64_t from,
                         std::int64_t n) {
      const auto size = static_cast<std::int64_t>(entries.size());
      for (std::int64_t i = std::max<std::int64_t>(from, 0); i < std::min(from + n, size); ++i) {
        in.str(digests_.at(entries[static_cast<std::size_t>(i)].id));
      }
    };
    for (Job& job : jobs_) {
      StampInput in;
      in.str(chrome_hash).num(static_cast<int>(job.kind));
      const Language& lang = languages_[job.language];
      const Listing& listing = snapshot.listings[lang.listing];
      in.num(static_cast<std::int64_t>(job.language));
      switch (job.kind) {
        case Kind::kHome: {
          in.num(static_cast<std::int64_t>(listing.all.size()));
          for (const model::Category& c : *categories) {
            in.str(c.slug).num(static_cast<std::int64_t>(listing.of(c.slug).size()));
          }
          add_items(in, listing.all, 0, site_.page_items);
          break;
        }
        case Kind::kListing: {
          const auto& entries = listing.of(job.slug);
          in.str(job.slug).num(job.page).num(static_cast<std::int64_t>(entries.size()));
          add_items(in, entries, std::int64_t{job.page - 1} * site_.page_items, site_.page_items);
          break;
        }
        case Kind::kFeed: {
          const auto& entries = listing.of(job.slug);
          const auto total = static_cast<std::int64_t>(entries.size());
          in.str(job.slug).num(static_cast<int>(job.format)).num(job.page).num(total);
          // RSS's lastBuildDate and Atom's feed updated show the listing's
          // last change, so an edit with a new updated_at renders every page
          // of those feeds; JSON Feed has no such field and keeps its pages.
          if (job.format != model::FeedFormat::kJson) in.time(listing.last_change(job.slug));
          const std::int64_t offset =
              job.page == 0 ? 0 : total - std::int64_t{job.page} * site_.feed_items;
          add_items(in, entries, offset, site_.feed_items);
          break;
        }
        case Kind::kArchive: {
          in.num(job.year).num(job.month).num(job.page).str(lang.archive_nav);
          if (job.month != 0) {
            // The month's items, if the public listing holds all of them:
            // items whose end time moved them to the archive are in the
            // month's count but not in the listing, and such a month is
            // always rendered.
            auto from = text::start_of_day(site_.time_zone, job.year, job.month, 1);
            auto until = text::start_of_day(site_.time_zone, job.year, job.month + 1, 1);
            const auto count = lang.month_counts.find({job.year, job.month});
            if (!from || !until || count == lang.month_counts.end()) continue;
            const auto begin =
                std::partition_point(listing.all.begin(), listing.all.end(),
                                     [&](const Entry& e) { return e.published_at >= *until; });
            const auto end = std::partition_point(
                begin, listing.all.end(), [&](const Entry& e) { return e.published_at >= *from; });
            if (end - begin != count->second) continue;
            const std::vector<Entry> month(begin, end);
            add_items(in, month, std::int64_t{job.page - 1} * site_.page_items, site_.page_items);
          }
          break;
        }
        case Kind::kItem: {
          // Its neighbours come from the listing, unless items moved to the
          // archive stand among them: then it is rendered every time.
          const auto at = listing.position.find(job.id);
          if (at == listing.position.end() || !listing.without_archived) continue;
          const std::size_t pos = at->second;
          in.str(digests_.at(job.id));
          in.str(pos > 0 ? links_.at(listing.all[pos - 1].id) : "");
          in.str(pos + 1 < listing.all.size() ? links_.at(listing.all[pos + 1].id) : "");
          if (!site_.languages.empty()) {
            // Its translations (hreflang alternates, the switcher).
            const auto group = group_of_.find(job.id);
            if (group == group_of_.end()) continue;
            const auto members = groups_.find(group->second);
            in.str(members == groups_.end() ? "" : members->second);
          }
          break;
        }
        case Kind::kFile:
          if (job.stamp.empty()) continue;
          in.str(job.stamp);
          break;
        default:
          continue;  // cheap: rendered every time
      }
      job.stamp = in.hash();
    }
    return {};
  }

  // Which jobs need rendering: those without a stamp, with a stamp other
  // than the manifest's, or whose files are not as the manifest lists them.
  // The rest are kept as they are.
  void plan() {
    outcomes_.assign(jobs_.size(), Outcome{});
    todo_.clear();
    for (std::size_t i = 0; i < jobs_.size(); ++i) {
      const Job& job = jobs_[i];
      const auto it = old_.find(job.file);
      bool keep = !options_.full && !job.stamp.empty() && it != old_.end() &&
                  it->second.stamp == job.stamp && unchanged(job.file, it->second.hash);
      Outcome& out = outcomes_[i];
      if (keep && options_.gzip) {
        // Without FILE.gz in the manifest the earlier export (same stamp, so
        // also with --gzip) found the file too small or incompressible.
        const auto gz = old_.find(job.file + ".gz");
        if (gz != old_.end()) {
          keep = unchanged(job.file + ".gz", it->second.hash);
          out.gz = keep;
          out.gz_size = gz->second.size;
        }
      }
      if (!keep) {
        out = Outcome{};
        todo_.push_back(i);
        continue;
      }
      out.present = true;
      out.hash = it->second.hash;
      out.size = it->second.size;
    }
    done_.store(jobs_.size() - todo_.size());
  }

  void load_manifest() {
    auto text = read_file((fs::path(dir_) / kManifestName).string(), 1u << 30);
    if (!text) return;  // none (a first export), or unreadable: all is written anew
    std::string_view rest = *text;
    bool first = true;
    bool stamped = true;  // version 2
    while (!rest.empty()) {
      const auto end = rest.find('\n');
      const std::string_view line = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      if (first) {
        first = false;
        if (line == kManifestHeaderV1) {
          stamped = false;
        } else if (line != kManifestHeader) {
          return;  // another format: trust nothing
        }
        continue;
      }
      const auto s1 = line.find(' ');
      const auto s2 = s1 == std::string_view::npos ? s1 : line.find(' ', s1 + 1);
      const auto s3 = !stamped || s2 == std::string_view::npos ? s2 : line.find(' ', s2 + 1);
      if (s3 == std::string_view::npos) continue;
      const std::string path(line.substr(s3 + 1));
      if (!safe_relative(path)) continue;
      ManifestEntry entry;
      entry.hash = std::string(line.substr(0, s1));
      for (char c : line.substr(s1 + 1, s2 - s1 - 1)) {
        if (c < '0' || c > '9') continue;
        entry.size = entry.size * 10 + static_cast<std::uint64_t>(c - '0');
      }
      if (stamped && s3 > s2 + 1) {
        const std::string_view stamp = line.substr(s2 + 1, s3 - s2 - 1);
        if (stamp != "-") entry.stamp = std::string(stamp);
      }
      old_.emplace(path, std::move(entry));
    }
  }

  // Renders every job on `threads` workers; the calling thread reports
  // progress.
  Result<void> run(std::vector<std::unique_ptr<Worker>>& workers) {
    std::mutex mu;
    std::condition_variable cv;
    std::size_t running = workers.size();
    std::optional<Error> failure;
    std::vector<std::thread> threads;
    for (auto& worker : workers) {
      threads.emplace_back([&, w = worker.get()] {
        while (!stop_.load(std::memory_order_relaxed)) {
          const std::size_t next = next_.fetch_add(1, std::memory_order_relaxed);
          if (next >= todo_.size()) break;
          const std::size_t i = todo_[next];
          auto r = do_job(*w, jobs_[i], outcomes_[i]);
          if (!r) {
            std::lock_guard lock(mu);
            if (!failure) failure = r.error();
            stop_.store(true);
            break;
          }
          done_.fetch_add(1, std::memory_order_relaxed);
        }
        std::lock_guard lock(mu);
        --running;
        cv.notify_all();
      });
    }
    {
      std::unique_lock lock(mu);
      while (running > 0) {
        cv.wait_for(lock, std::chrono::milliseconds(100));
        if (options_.on_progress && running > 0) {
          lock.unlock();
          options_.on_progress(done_.load(), jobs_.size());
          lock.lock();
        }
      }
    }
    for (std::thread& t : threads) t.join();
    if (failure) return *failure;
    if (options_.on_progress) options_.on_progress(jobs_.size(), jobs_.size());
    return {};
  }

  // Removes what the earlier export wrote and this one did not, writes the
  // new manifest, and counts.
  Result<ExportReport> finish() {
    ExportReport report;
    Manifest now;
    for (std::size_t i = 0; i < jobs_.size(); ++i) {
      const Outcome& o = outcomes_[i];
      if (!o.present) continue;
      now.emplace(jobs_[i].file, ManifestEntry{o.hash, o.size, jobs_[i].stamp});
      (o.written ? report.written : report.unchanged) += 1;
      report.bytes += o.size;
      if (o.gz) {
        now.emplace(jobs_[i].file + ".gz", ManifestEntry{o.hash, o.gz_size, {}});
        (o.gz_written ? report.written : report.unchanged) += 1;
        report.bytes += o.gz_size;
      }
    }
    report.files = now.size();
    report.rendered = todo_.size();
    std::set<fs::path> emptied;
    for (const auto& [path, entry] : old_) {
      if (now.contains(path)) continue;
      std::error_code ec;
      const fs::path full = fs::path(dir_) / path;
      if (fs::remove(full, ec)) ++report.removed;
      emptied.insert(full.parent_path());
    }
    // Folders left empty (a deleted item's) go too; remove() leaves any
    // folder that still holds something, ours or not.
    const fs::path root = fs::path(dir_).lexically_normal();
    for (auto it = emptied.rbegin(); it != emptied.rend(); ++it) {
      for (fs::path folder = it->lexically_normal();
           folder != root && folder.string().size() > root.string().size();
           folder = folder.parent_path()) {
        std::error_code ec;
        if (!fs::is_empty(folder, ec) || ec || !fs::remove(folder, ec)) break;
      }
    }

    std::string manifest(kManifestHeader);
    manifest += '\n';
    std::vector<const std::pair<const std::string, ManifestEntry>*> sorted;
    for (const auto& entry : now) sorted.push_back(&entry);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
    for (const auto* e : sorted) {
      const std::string& stamp = e->second.stamp;
      manifest += e->second.hash + ' ' + std::to_string(e->second.size) + ' ' +
                  (stamp.empty() ? std::string("-") : stamp) + ' ' + e->first + '\n';
    }
    if (auto r = write_atomically(std::string(kManifestName), manifest); !r) return r.error();
    return report;
  }

  std::vector<Job>& jobs() { return jobs_; }

 private:
  // One served language: its view of the site, its listing, its archive.
  struct Language {
    model::Site view;
    std::size_t listing = 0;                                   // in Snapshot::listings
    std::map<std::pair<int, int>, std::int64_t> month_counts;  // (year, month) -> items
    std::string archive_nav;  // the archive's years and months with their counts
  };

  // The count and last change of each listing of a scope, remembered for
  // the public query NewsService makes of it (with `text_language`, as the
  // service of that view sets it).
  static void remember_counts(Snapshot& snapshot, const Listing& listing,
                              const std::string& text_language) {
    store::ItemQuery q;
    q.status = model::Status::kPublished;
    q.published_before = snapshot.now;
    q.live_at = snapshot.now;
    q.language = listing.language;
    q.excluded_languages = listing.excluded;
    q.text_language = text_language;
    std::lock_guard lock(snapshot.mu);
    auto remember = [&](const std::string& slug, std::size_t count) {
      q.category_slug = slug;
      snapshot.counts.emplace(filter_key(q), static_cast<std::int64_t>(count));
      snapshot.last_changes.emplace(filter_key(q), listing.last_change(slug));
    };
    remember("", listing.all.size());
    for (const auto& [slug, entries] : listing.by_category) remember(slug, entries.size());
  }

  // The pages and feeds of one served language, under its prefix: home,
  // listings and feeds (site-wide "" and per category slug), the archive.
  Result<void> list_language(Worker& w, Snapshot& snapshot, std::size_t index,
                             const std::vector<std::string>& slugs) {
    Language& lang = languages_[index];
    Listing& listing = snapshot.listings[lang.listing];
    const model::Site& view = lang.view;
    auto job_of = [index](Kind kind) {
      Job job(kind);
      job.language = index;
      return job;
    };
    if (auto r = add(job_of(Kind::kHome), model::view_path(view, "/")); !r) return r;
    for (const std::string& slug : slugs) {
      // The count the store gives for the listing just read.
      const auto total = static_cast<std::int64_t>(listing.of(slug).size());
      const int pages = page_count(total, site_.page_items);
      for (int p = 1; p <= pages; ++p) {
        Job job = job_of(Kind::kListing);
        job.slug = slug;
        job.page = p;
        const std::string path =
            slug.empty() ? model::news_list_path(p) : model::category_page_path(slug, p);
        if (auto r = add(std::move(job), model::view_path(view, path)); !r) return r;
      }
      const int archives = archive_page_count(total, site_.feed_items);
      for (const model::OutputFormat& f : model::kFeedFormats) {
        for (int p = 0; p <= archives; ++p) {
          Job job = job_of(Kind::kFeed);
          job.slug = slug;
          job.format = f.format;
          job.page = p;
          if (auto r = add(std::move(job), model::view_path(view, feed_path({f.format, slug, p})));
              !r) {
            return r;
          }
        }
      }
    }

    // The archive, as the language's PageService groups it.
    auto years = w.sites.all()[index]->pages.archive_years();
    if (!years) return years.error();
    std::int64_t published = 0;
    StampInput nav;
    for (const render::YearCount& y : *years) {
      published += y.count;
      for (const render::MonthCount& m : y.months) {
        nav.num(y.year).num(m.month).num(m.count);
        lang.month_counts.emplace(std::pair(y.year, m.month), m.count);
      }
    }
    listing.without_archived = static_cast<std::size_t>(published) == listing.all.size();
    lang.archive_nav = nav.hash();
    if (auto r = add(job_of(Kind::kArchive), model::view_path(view, model::archive_path())); !r) {
      return r;
    }
    for (const render::YearCount& y : *years) {
      Job year = job_of(Kind::kArchive);
      year.year = y.year;
      if (auto r = add(std::move(year), model::view_path(view, model::archive_path(y.year))); !r) {
        return r;
      }
      for (const render::MonthCount& m : y.months) {
        for (int p = 1; p <= page_count(m.count, site_.page_items); ++p) {
          Job job = job_of(Kind::kArchive);
          job.year = y.year;
          job.month = m.month;
          job.page = p;
          const std::string path = model::archive_path(y.year, m.month, p);
          if (auto r = add(std::move(job), model::view_path(view, path)); !r) return r;
        }
      }
    }
    return {};
  }

  Result<std::optional<std::string>> render(Worker& w, const Job& job) {
    auto page_body = [](Result<Page> page) -> Result<std::optional<std::string>> {
      if (!page && page.error().code == ErrorCode::kNotFound) return std::optional<std::string>();
      if (!page) return page.error();
      return std::optional(std::move(page->body));
    };
    LanguageSite& in = *w.sites.all()[job.language];
    switch (job.kind) {
      case Kind::kHome:
        return page_body(in.pages.home());
      case Kind::kListing:
        return page_body(in.pages.listing(job.slug, job.page));
      case Kind::kItem:
        return page_body(in.pages.item(job.slug));
      case Kind::kArchive:
        return page_body(in.pages.archive(job.year, job.month, job.page));
      case Kind::kFeed: {
        auto doc = in.feeds.render({job.format, job.slug, job.page});
        if (!doc && doc.error().code == ErrorCode::kNotFound) return std::optional<std::string>();
        if (!doc) return doc.error();
        return std::optional(std::move(doc->body));
      }
      // What the root serves for every language.
      case Kind::kStylesheet:
        return std::optional(std::string(render::feed_stylesheet()));
      case Kind::kSitemap:
        return page_body(w.sites.whole_site().sitemap());
      case Kind::kSitemapPart:
        return page_body(w.sites.whole_site().sitemap_part(static_cast<std::size_t>(job.page)));
      case Kind::kNewsSitemap:
        return page_body(w.sites.whole_site().news_sitemap());
      case Kind::kRobots:
        return std::optional(w.sites.whole_site().robots().body);
      case Kind::kAsset: {
        const render::StaticAsset* asset = theme_.asset(job.slug);
        if (asset == nullptr) return std::optional<std::string>();
        return std::optional(asset->content);
      }
      case Kind::kFile: {
        auto file = w.files.public_file(job.id);
        if (!file && file.error().code == ErrorCode::kNotFound) return std::optional<std::string>();
        if (!file) return file.error();
        // Renamed since it was listed: its address is another file now.
        if (file_for(attachment_file_path(job.id, file->name)) != job.file)
          return std::optional<std::string>();
        return std::optional(std::move(file->bytes));
      }
      case Kind::kNotFound:
        return page_body(w.sites.root().pages.error(404));
    }
    return std::optional<std::string>();
  }

  // Whether `file` is as the earlier export left it: listed with this hash
  // and still of the listed size.
  bool unchanged(const std::string& file, const std::string& hash) const {
    const auto it = old_.find(file);
    if (it == old_.end() || it->second.hash != hash) return false;
    struct stat st {};
    const std::string full = dir_ + "/" + file;
    return ::stat(full.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
           static_cast<std::uint64_t>(st.st_size) == it->second.size;
  }

  // A temporary file beside the target, then rename: a web server serving
  // the folder never sees half a file.
  Result<void> write_atomically(const std::string& file, std::string_view bytes) const {
    const std::string full = dir_ + "/" + file;
    const auto slash = full.rfind('/');
    const std::string temp = full.substr(0, slash + 1) + ".newsdesk-tmp." + full.substr(slash + 1);
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) {
      // A new folder: the first file that goes into it makes it, so the
      // workers make the folders in parallel (two may race; both succeed).
      std::error_code ec;
      const fs::path folder = fs::path(full).parent_path();
      fs::create_directories(folder, ec);
      if (ec || !fs::is_directory(folder)) {
        return export_error("cannot make folder " + folder.string() + ": " +
                            (ec ? ec.message() : "a file is in the way"));
      }
      fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    }
    if (fd < 0) return export_error("cannot write " + full + ": " + std::strerror(errno));
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const int err = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        return export_error("cannot write " + full + ": " + std::strerror(err));
      }
      done += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0 || ::rename(temp.c_str(), full.c_str()) != 0) {
      const int err = errno;
      ::unlink(temp.c_str());
      return export_error("cannot write " + full + ": " + std::strerror(err));
    }
    return {};
  }

  Result<void> do_job(Worker& w, const Job& job, Outcome& out) {
    auto body = render(w, job);
    if (!body) return wrap_error(body.error(), "export: " + job.file);
    if (!*body) return {};
    const std::string& bytes = **body;
    out.present = true;
    out.hash = content_hash(bytes);
    out.size = bytes.size();
    if (!unchanged(job.file, out.hash)) {
      if (auto r = write_atomically(job.file, bytes); !r) return r;
      out.written = true;
    }
    // Attachment files go out uncompressed (the files route does not use
    // the cache); everything else as the cache compresses it.
    if (options_.gzip && job.kind != Kind::kFile && bytes.size() >= kMinCompressSize) {
      const std::string gz_file = job.file + ".gz";
      if (unchanged(gz_file, out.hash)) {
        out.gz = true;
        out.gz_size = old_.at(gz_file).size;
      } else {
        const std::string gz = gzip_compress(bytes);
        if (!gz.empty() && gz.size() < bytes.size()) {
          if (auto r = write_atomically(gz_file, gz); !r) return r;
          out.gz = true;
          out.gz_size = gz.size();
          out.gz_written = true;
        }
      }
    }
    return {};
  }

  const model::Site& site_;
  const render::Theme& theme_;
  const std::string dir_;
  const ExportOptions& options_;
  std::vector<Job> jobs_;
  std::set<std::string> seen_;
  Manifest old_;
  std::vector<Outcome> outcomes_;
  std::vector<std::size_t> todo_;    // the jobs to render, by index
  std::vector<Language> languages_;  // as served_languages() lists them
  // Per public item (by id): item_digest(), and the hash of what its
  // neighbours' pages show of it (slug and title).
  std::unordered_map<std::int64_t, std::string> digests_;
  std::unordered_map<std::int64_t, std::string> links_;
  // A site in several languages: each item's translation group (the id of
  // its original), and per group the hash of its public members' ids,
  // languages and slugs.
  std::unordered_map<std::int64_t, std::int64_t> group_of_;
  std::unordered_map<std::int64_t, std::string> groups_;
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> done_{0};
  std::atomic<bool> stop_{false};
};

}  // namespace

Result<ExportReport> export_site(const model::Site& site, const render::Theme& theme,
                                 const StoreOpener& open_store, const std::string& dir,
                                 const ExportOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (dir.empty()) return export_error("no folder given");
  std::error_code ec;
  const auto status = fs::status(dir, ec);
  if (fs::exists(status) && !fs::is_directory(status)) {
    return export_error("'" + dir + "' exists and is not a folder");
  }
  if (!fs::exists(status)) {
    fs::create_directories(dir, ec);
    if (ec) return export_error("cannot make folder '" + dir + "': " + ec.message());
  }
  if (::access(dir.c_str(), W_OK) != 0) {
    return export_error("cannot write into '" + dir + "': " + std::strerror(errno));
  }

  // One instant for the whole export: every page shows the same site.
  Clock clock = options.clock ? options.clock : system_clock();
  const std::int64_t now = clock();
  const Clock frozen = [now] { return now; };

  int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::clamp(threads, 1, 64);
  Snapshot snapshot(now);
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < threads; ++i) {
    auto store = open_store();
    if (!store) return store.error();
    workers.push_back(std::make_unique<Worker>(site, theme, std::move(*store), snapshot, frozen));
  }

  Exporter exporter(site, theme, dir, options);
  if (auto r = exporter.list(workers, snapshot); !r) return r.error();
  if (auto r = exporter.stamp(*workers.front(), snapshot); !r) return r.error();
  exporter.load_manifest();
  exporter.plan();
  if (auto r = exporter.run(workers); !r) return r.error();
  auto report = exporter.finish();
  if (!report) return report.error();
  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace newsdesk::service
