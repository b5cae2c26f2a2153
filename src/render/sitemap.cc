#include "render/sitemap.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/strings.h"
#include "model/languages.h"
#include "model/permalink.h"
#include "text/date.h"
#include "text/slug.h"

namespace newsdesk::render {

namespace {

constexpr std::string_view kSitemapNs = "http://www.sitemaps.org/schemas/sitemap/0.9";
constexpr std::string_view kNewsNs = "http://www.google.com/schemas/sitemap-news/0.9";
constexpr std::string_view kSitemapPartPrefix = "/sitemap-";
constexpr std::string_view kSitemapPartSuffix = ".xml";

// Dates are shown in the site's zone, as the pages show them; the instant
// stays the same. An unknown zone (a configuration error caught elsewhere)
// keeps the date's own offset rather than failing the whole sitemap.
std::string site_date(const model::Site& site, const model::DateTime& t) {
  auto zoned = text::in_time_zone(site.time_zone, t.epoch_seconds);
  return text::format_rfc3339(zoned ? *zoned : t);
}

void newest(std::optional<model::DateTime>& acc, const std::optional<model::DateTime>& t) {
  if (t && (!acc || model::earlier(*acc, *t))) acc = t;
}

// The <url> entries at positions [begin, end) of the site's list: every
// entry passed to add() takes the next position, and only those in the
// range are written.
class UrlSet {
 public:
  UrlSet(const model::Site& site, std::size_t begin, std::size_t end)
      : site_(site), begin_(begin), end_(end) {}

  bool full() const { return count_ >= end_; }
  std::size_t position() const { return count_; }
  // Positions the next entry at `position`. REQUIRES: position >= position().
  void skip_to(std::size_t position) { count_ = position; }

  // REQUIRES: !full(). `alternates`: the page in each language, by tag
  // (hreflang), the page itself among them; none for a page in one language.
  void add(std::string_view path, const std::optional<model::DateTime>& last_change,
           const std::vector<std::pair<std::string, std::string>>& alternates = {}) {
    if (count_++ < begin_) return;
    out_ += "  <url>\n";
    append_element(out_, "    ", "loc", model::absolute_url(site_.base_url, path));
    if (last_change) append_element(out_, "    ", "lastmod", site_date(site_, *last_change));
    for (const auto& [language, alternate] : alternates) {
      out_ += "    <xhtml:link rel=\"alternate\" hreflang=\"";
      append_escaped(out_, language);
      out_ += "\" href=\"";
      append_escaped(out_, model::absolute_url(site_.base_url, alternate));
      out_ += "\"/>\n";
    }
    out_ += "  </url>\n";
  }

  std::string& out() { return out_; }

 private:
  const model::Site& site_;
  std::string out_;
  const std::size_t begin_;
  const std::size_t end_;
  std::size_t count_ = 0;
};

std::optional<model::DateTime> newest_change(const SitemapInput& input) {
  std::optional<model::DateTime> last_change = input.items_last_change;
  if (!input.items_last_change) {
    for (const SitemapItem& item : input.items) newest(last_change, item.updated_at);
  }
  for (const SitemapCategory& category : input.categories)
    newest(last_change, category.last_change);
  for (const SitemapPage& page : input.extra_pages) newest(last_change, page.last_change);
  return last_change;
}

// The <urlset> of positions [begin, begin + input.max_urls) of the site's
// list, whose items from position `items_at` on are input.items.
std::string write_urlset(const model::Site& site, const SitemapInput& input, std::size_t begin,
                         std::size_t items_at) {
  const std::optional<model::DateTime> last_change = newest_change(input);
  UrlSet urls(site, begin, begin + input.max_urls);
  // What the document will take, so that it is written without growing: a
  // 100k-item site's is 10 MB, and doubling from a short guess held 8 MB and
  // 16 MB at once. Each item's <url> is its address and about 96 bytes of
  // markup and <lastmod>; alternates (several languages) may still grow it.
  std::size_t expected = 256 + 256 * (input.categories.size() + input.extra_pages.size() + 2);
  for (const SitemapItem& item : input.items) {
    if (expected >= 1024 * kMaxSitemapUrls) break;  // a sane ceiling
    expected += site.base_url.size() + site.news_permalink.size() + item.slug.size() + 96;
  }
  urls.out().reserve(expected);
  urls.out() += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"";
  urls.out() += kSitemapNs;
  const std::vector<std::string> languages = model::served_languages(site);
  const bool several = languages.size() > 1;
  if (several) urls.out() += "\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml";
  urls.out() += "\">\n";
  // The pages every language has, each with its equivalents.
  auto in_every_language = [&](const std::string& path, const std::optional<model::DateTime>& t) {
    std::vector<std::pair<std::string, std::string>> alternates;
    if (several) {
      for (const std::string& l : languages) {
        alternates.emplace_back(l, model::language_prefix(site, l) + path);
      }
    }
    for (const std::string& l : languages) {
      if (urls.full()) return;
      urls.add(model::language_prefix(site, l) + path, t, alternates);
    }
  };
  in_every_language("/", last_change);
  if (!input.news_list_path.empty()) in_every_language(input.news_list_path, last_change);
  for (const SitemapCategory& category : input.categories) {
    if (urls.full()) break;
    in_every_language(model::category_path(category.slug), category.last_change);
  }
  for (const SitemapPage& page : input.extra_pages) {
    if (urls.full()) break;
    urls.add(page.path, page.last_change);
  }
  // Translations: each member of a group lists all of them.
  std::unordered_map<std::int64_t, std::vector<std::pair<std::string, std::string>>> groups;
  auto group_of = [](const SitemapItem& item) {
    return item.translation_of != 0 ? item.translation_of : item.id;
  };
  auto path_of = [&site](const SitemapItem& item) {
    return model::language_prefix(site, item.language) +
           model::expand_permalink(site.news_permalink, item.slug);
  };
  if (several) {
    const auto& members = input.translations.empty() ? input.items : input.translations;
    for (const SitemapItem& item : members) {
      groups[group_of(item)].emplace_back(model::served_language(site, item.language),
                                          path_of(item));
    }
  }
  static const std::vector<std::pair<std::string, std::string>> kNone;
  if (!urls.full() && urls.position() < items_at) urls.skip_to(items_at);
  for (const SitemapItem& item : input.items) {
    if (urls.full()) break;
    auto group = several ? groups.find(group_of(item)) : groups.end();
    urls.add(path_of(item), item.updated_at,
             group != groups.end() && group->second.size() > 1 ? group->second : kNone);
  }
  urls.out() += "</urlset>\n";
  return std::move(urls.out());
}

bool news_eligible(const model::Item& item, std::int64_t now) {
  if (item.status != model::Status::kPublished || !item.published_at) return false;
  const std::int64_t t = item.published_at->epoch_seconds;
  return t <= now && t >= now - kNewsSitemapWindowSeconds;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

SitemapItem sitemap_item(const model::Item& item) {
  return SitemapItem{item.slug, item.updated_at, item.id, item.language, item.translation_of};
}

std::string sitemap_xml(const model::Site& site, const SitemapInput& input) {
  return write_urlset(site, input, 0, 0);
}

std::string sitemap_part_path(std::size_t part) {
  return std::string(kSitemapPartPrefix) + std::to_string(part) + std::string(kSitemapPartSuffix);
}

std::optional<std::size_t> sitemap_part_of(std::string_view path) {
  if (!path.starts_with(kSitemapPartPrefix) || !path.ends_with(kSitemapPartSuffix)) {
    return std::nullopt;
  }
  path.remove_prefix(kSitemapPartPrefix.size());
  path.remove_suffix(kSitemapPartSuffix.size());
  // One spelling per part: no sign, no leading zero, no more digits than
  // the largest part has (so no overflow either).
  if (path.empty() || path.size() > 5 || path.front() == '0') return std::nullopt;
  std::size_t part = 0;
  for (char c : path) {
    if (c < '0' || c > '9') return std::nullopt;
    part = part * 10 + static_cast<std::size_t>(c - '0');
  }
  if (part > kMaxSitemapParts) return std::nullopt;
  return part;
}

std::size_t sitemap_urls_per_part(const model::Site& site) {
  const std::size_t wanted = std::clamp<std::size_t>(
      site.sitemap_urls > 0 ? static_cast<std::size_t>(site.sitemap_urls) : kMaxSitemapUrls, 1,
      kMaxSitemapUrls);
  // The longest address, escaped: the base, a language prefix, the
  // permalink or a category path around the longest slug (slugs are
  // written as they are: no byte of a valid one needs escaping).
  const std::vector<std::string> languages = model::served_languages(site);
  std::size_t prefix = 0;
  for (const std::string& l : languages) {
    prefix = std::max(prefix, model::language_prefix(site, l).size());
  }
  std::string base;
  append_escaped(base, site.base_url);
  const std::size_t address = base.size() + prefix +
                              std::max<std::size_t>(site.news_permalink.size(), 32) +
                              text::kMaxSlugLength;
  // <url>, <loc>, <lastmod> and their indentation; an <xhtml:link> per
  // language besides its address and the tag.
  std::size_t longest = 96 + address;
  if (languages.size() > 1) {
    std::size_t tags = 0;
    for (const std::string& l : languages) tags += l.size();
    longest += languages.size() * (64 + address) + tags;
  }
  const std::size_t fit = (kMaxSitemapBytes - 512) / longest;
  return std::max<std::size_t>(1, std::min(wanted, fit));
}

std::size_t sitemap_fixed_urls(const model::Site& site, const SitemapInput& input) {
  const std::size_t languages = model::served_languages(site).size();
  return languages * (1 + (input.news_list_path.empty() ? 0 : 1) + input.categories.size()) +
         input.extra_pages.size();
}

std::size_t sitemap_part_count(std::size_t urls, std::size_t per_part) {
  if (urls <= per_part) return 0;
  return (urls + per_part - 1) / per_part;
}

SitemapSlice sitemap_part_items(std::size_t fixed, std::size_t items, std::size_t per_part,
                                std::size_t part) {
  if (part == 0) return {};
  const std::size_t begin = (part - 1) * per_part;
  const std::size_t end = begin + per_part;
  const std::size_t from = std::min(begin > fixed ? begin - fixed : 0, items);
  const std::size_t until = std::min(end > fixed ? end - fixed : 0, items);
  return SitemapSlice{from, until - from};
}

std::string sitemap_part_xml(const model::Site& site, const SitemapInput& input, std::size_t part) {
  const std::size_t begin = part == 0 ? 0 : (part - 1) * input.max_urls;
  const std::size_t fixed = sitemap_fixed_urls(site, input);
  return write_urlset(site, input, begin, std::max(begin, fixed));
}

std::string sitemap_index_xml(const model::Site& site, const std::vector<SitemapRef>& parts) {
  std::string out;
  out.reserve(128 + parts.size() * (site.base_url.size() + 96));
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"";
  out += kSitemapNs;
  out += "\">\n";
  for (const SitemapRef& part : parts) {
    out += "  <sitemap>\n";
    append_element(out, "    ", "loc", model::absolute_url(site.base_url, part.path));
    if (part.last_change) {
      append_element(out, "    ", "lastmod", site_date(site, *part.last_change));
    }
    out += "  </sitemap>\n";
  }
  out += "</sitemapindex>\n";
  return out;
}

std::string news_language(std::string_view bcp47) {
  const std::string tag = lower(bcp47);
  const std::string primary = tag.substr(0, tag.find_first_of("-_"));
  if (primary != "zh") return primary;
  // Traditional script, or a region that writes it when no script is given.
  std::string_view rest = std::string_view(tag).substr(primary.size());
  bool traditional = false;
  while (!rest.empty()) {
    rest.remove_prefix(1);  // the separator
    const std::string_view subtag = rest.substr(0, rest.find_first_of("-_"));
    rest.remove_prefix(subtag.size());
    if (subtag == "hant") return "zh-tw";
    if (subtag == "hans") return "zh-cn";
    if (subtag == "tw" || subtag == "hk" || subtag == "mo") traditional = true;
  }
  return traditional ? "zh-tw" : "zh-cn";
}

std::string news_sitemap_xml(const model::Site& site, const std::vector<model::Item>& items,
                             std::int64_t now) {
  std::vector<const model::Item*> chosen;
  for (const model::Item& item : items) {
    if (news_eligible(item, now)) chosen.push_back(&item);
  }
  std::stable_sort(chosen.begin(), chosen.end(), [](const model::Item* a, const model::Item* b) {
    return model::earlier(*b->published_at, *a->published_at);
  });
  if (chosen.size() > kMaxNewsSitemapUrls) chosen.resize(kMaxNewsSitemapUrls);

  std::string out;
  out.reserve(512 + 512 * chosen.size());
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"";
  out += kSitemapNs;
  out += "\" xmlns:news=\"";
  out += kNewsNs;
  out += "\">\n";
  for (const model::Item* item : chosen) {
    out += "  <url>\n";
    append_element(out, "    ", "loc", model::item_url(site, *item));
    out += "    <news:news>\n      <news:publication>\n";
    append_element(out, "        ", "news:name", site.title);
    append_element(out, "        ", "news:language",
                   news_language(item->language.empty() ? site.language : item->language));
    out += "      </news:publication>\n";
    append_element(out, "      ", "news:publication_date", site_date(site, *item->published_at));
    append_element(out, "      ", "news:title", item->title);
    out += "    </news:news>\n  </url>\n";
  }
  out += "</urlset>\n";
  return out;
}

std::string robots_txt(const model::Site& site) {
  std::string out =
      "User-agent: *\n"
      "Allow: /\n"
      "Disallow: /admin/\n"
      "Disallow: /api/\n"
      // Search results, with or without a query, but not every path that
      // merely starts with "search" (an item slug under a "/{slug}/"
      // permalink may): RFC 9309 patterns, "$" anchors the end.
      "Disallow: /search$\n"
      "Disallow: /search?\n"
      "Disallow: /search/\n"
      "\n";
  out += "Sitemap: " + model::absolute_url(site.base_url, kSitemapPath) + "\n";
  out += "Sitemap: " + model::absolute_url(site.base_url, kNewsSitemapPath) + "\n";
  return out;
}

}  // namespace newsdesk::render
