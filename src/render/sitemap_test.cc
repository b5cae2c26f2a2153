#include "render/sitemap.h"

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/languages.h"
#include "model/permalink.h"

namespace newsdesk::render {
namespace {

constexpr const char* kSitemapNs = "http://www.sitemaps.org/schemas/sitemap/0.9";
constexpr const char* kNewsNs = "http://www.google.com/schemas/sitemap-news/0.9";

// 2018-07-04T08:11:30Z: summer, +02:00 in Vienna.
constexpr std::int64_t kJuly = 1530691890;
// 2018-01-15T12:00:00Z: winter, +01:00 in Vienna.
constexpr std::int64_t kJanuary = 1516017600;
constexpr std::int64_t kHour = 60 * 60;

struct DocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

// Without network access and without entity substitution.
DocPtr parse(const std::string& xml) {
  return DocPtr(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "sitemap.xml", nullptr,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
}

bool is(const xmlNode* node, const char* ns, std::string_view name) {
  return node->type == XML_ELEMENT_NODE && node->ns != nullptr &&
         std::string_view(reinterpret_cast<const char*>(node->ns->href)) == ns &&
         std::string_view(reinterpret_cast<const char*>(node->name)) == name;
}

const xmlNode* child(const xmlNode* node, const char* ns, std::string_view name) {
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (is(c, ns, name)) return c;
  }
  return nullptr;
}

// The text of a child element; "<none>" when there is no such child.
std::string child_text(const xmlNode* node, const char* ns, std::string_view name) {
  const xmlNode* c = child(node, ns, name);
  if (c == nullptr) return "<none>";
  xmlChar* content = xmlNodeGetContent(c);
  std::string out = content ? reinterpret_cast<const char*>(content) : "";
  xmlFree(content);
  return out;
}

struct Url {
  std::string loc;
  std::string lastmod;  // "<none>" when left out
  const xmlNode* node;
};

// The <url> entries of a sitemap; empty when it does not parse or its root
// is not a sitemaps.org <urlset>.
std::vector<Url> urls(const xmlDoc* doc) {
  std::vector<Url> out;
  const xmlNode* root = doc ? xmlDocGetRootElement(doc) : nullptr;
  if (root == nullptr || !is(root, kSitemapNs, "urlset")) return out;
  for (const xmlNode* c = root->children; c != nullptr; c = c->next) {
    if (!is(c, kSitemapNs, "url")) continue;
    out.push_back(Url{child_text(c, kSitemapNs, "loc"), child_text(c, kSitemapNs, "lastmod"), c});
  }
  return out;
}

model::Site test_site() {
  model::Site site;
  site.title = "Example & Co";
  site.base_url = "https://example.org/";
  site.language = "en";
  site.time_zone = "Europe/Vienna";
  return site;
}

SitemapInput test_input() {
  SitemapInput input;
  input.categories.push_back({"press-release", model::DateTime{kJanuary, 0}});
  input.items.push_back({"newest", model::DateTime{kJuly, 0}, 0, "", 0});
  input.items.push_back({"older", model::DateTime{kJanuary, 0}, 0, "", 0});
  return input;
}

TEST(SitemapXml, IsAUrlsetInTheSitemapNamespace) {
  const DocPtr doc = parse(sitemap_xml(test_site(), test_input()));
  ASSERT_NE(doc, nullptr);
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  ASSERT_NE(root, nullptr);
  EXPECT_TRUE(is(root, kSitemapNs, "urlset"));
}

TEST(SitemapXml, ListsHomeNewsListCategoriesAndItemsAbsolute) {
  model::Site site = test_site();
  site.news_permalink = "/news-centre/news-detail/{slug}/";
  const DocPtr doc = parse(sitemap_xml(site, test_input()));
  const std::vector<Url> got = urls(doc.get());
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[0].loc, "https://example.org/");
  EXPECT_EQ(got[1].loc, "https://example.org/news/");
  EXPECT_EQ(got[2].loc, "https://example.org/category/press-release/");
  EXPECT_EQ(got[3].loc, "https://example.org/news-centre/news-detail/newest/");
  EXPECT_EQ(got[4].loc, "https://example.org/news-centre/news-detail/older/");
}

TEST(SitemapXml, LeavesOutNewsListWhenPathEmpty) {
  SitemapInput input = test_input();
  input.news_list_path.clear();
  const DocPtr doc = parse(sitemap_xml(test_site(), input));
  const std::vector<Url> got = urls(doc.get());
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[1].loc, "https://example.org/category/press-release/");
}

TEST(SitemapXml, ItemLastmodIsUpdatedAtInSiteZone) {
  const DocPtr doc = parse(sitemap_xml(test_site(), test_input()));
  const std::vector<Url> got = urls(doc.get());
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[3].lastmod, "2018-07-04T10:11:30+02:00");
  EXPECT_EQ(got[4].lastmod, "2018-01-15T13:00:00+01:00");
}

TEST(SitemapXml, HomeAndNewsListLastmodIsNewestChange) {
  SitemapInput input = test_input();
  // The newest change is a category's, later than any item given.
  input.categories.push_back({"statement", model::DateTime{kJuly + kHour, 0}});
  const DocPtr doc = parse(sitemap_xml(test_site(), input));
  const std::vector<Url> got = urls(doc.get());
  ASSERT_GE(got.size(), 2u);
  EXPECT_EQ(got[0].lastmod, "2018-07-04T11:11:30+02:00");
  EXPECT_EQ(got[1].lastmod, "2018-07-04T11:11:30+02:00");
}

TEST(SitemapXml, CategoryWithoutChangeHasNoLastmod) {
  SitemapInput input = test_input();
  input.categories[0].last_change.reset();
  const DocPtr doc = parse(sitemap_xml(test_site(), input));
  const std::vector<Url> got = urls(doc.get());
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[2].lastmod, "<none>");
}

TEST(SitemapXml, EmptySiteListsHomeAndNewsListWithoutLastmod) {
  const DocPtr doc = parse(sitemap_xml(test_site(), SitemapInput{}));
  const std::vector<Url> got = urls(doc.get());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].loc, "https://example.org/");
  EXPECT_EQ(got[0].lastmod, "<none>");
  EXPECT_EQ(got[1].loc, "https://example.org/news/");
  EXPECT_EQ(got[1].lastmod, "<none>");
}

TEST(SitemapXml, ExtraPagesAreListed) {
  SitemapInput input = test_input();
  input.extra_pages.push_back({model::archive_path(2018), model::DateTime{kJanuary, 0}});
  const DocPtr doc = parse(sitemap_xml(test_site(), input));
  const std::vector<Url> got = urls(doc.get());
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(got[3].loc, "https://example.org/archive/2018/");
  EXPECT_EQ(got[3].lastmod, "2018-01-15T13:00:00+01:00");
}

TEST(SitemapXml, EscapesAmpersandInLoc) {
  SitemapInput input;
  input.extra_pages.push_back({"/news/?page=2&year=2018", std::nullopt});
  const std::string xml = sitemap_xml(test_site(), input);
  EXPECT_NE(xml.find("<loc>https://example.org/news/?page=2&amp;year=2018</loc>"),
            std::string::npos);
  const DocPtr doc = parse(xml);
  const std::vector<Url> got = urls(doc.get());
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[2].loc, "https://example.org/news/?page=2&year=2018");
}

TEST(SitemapXml, StopsAtFiftyThousandUrls) {
  SitemapInput input;
  for (std::size_t i = 0; i < kMaxSitemapUrls; ++i) {
    input.items.push_back({"item-" + std::to_string(i), model::DateTime{kJuly, 0}, 0, "", 0});
  }
  const DocPtr doc = parse(sitemap_xml(test_site(), input));
  const std::vector<Url> got = urls(doc.get());
  ASSERT_EQ(got.size(), kMaxSitemapUrls);
  // Home and list come first; the last two items given are the ones left out.
  EXPECT_EQ(got.back().loc,
            "https://example.org/news/item-" + std::to_string(kMaxSitemapUrls - 3) + "/");
}

TEST(SitemapXml, LargeSitemapIsWrittenWithoutGrowing) {
  // A 100k-item site's sitemap is 10 MB: grown by doubling from a short
  // guess, it held half as much again in spare capacity (and both buffers
  // while growing). Slugs as long as the corpus's.
  SitemapInput input;
  for (std::size_t i = 0; i < 20000; ++i) {
    input.items.push_back(
        {"press-release-icmpd-and-partners-open-a-training-centre-" + std::to_string(i),
         model::DateTime{kJuly, 0}, 0, "", 0});
  }
  const std::string xml = sitemap_xml(test_site(), input);
  EXPECT_GE(xml.capacity(), xml.size());
  EXPECT_LE(xml.capacity(), xml.size() + xml.size() / 4);
  EXPECT_EQ(urls(parse(xml).get()).size(), 20002u);
}

TEST(SitemapXml, SitemapItemTakesSlugAndUpdatedAt) {
  model::Item item;
  item.slug = "hello";
  item.updated_at = model::DateTime{kJuly, 120};
  const SitemapItem got = sitemap_item(item);
  EXPECT_EQ(got.slug, "hello");
  EXPECT_EQ(got.updated_at, (model::DateTime{kJuly, 120}));
}

// Sitemap index and its parts.

TEST(SitemapIndex, ProductionLimitsAreTheProtocols) {
  // https://www.sitemaps.org/protocol.html: 50,000 URLs and 50MB
  // (52,428,800 bytes) per sitemap, 50,000 sitemaps per index.
  EXPECT_EQ(kMaxSitemapUrls, 50000u);
  EXPECT_EQ(kMaxSitemapBytes, 52428800u);
  EXPECT_EQ(kMaxSitemapParts, 50000u);
  EXPECT_EQ(model::Site{}.sitemap_urls, 50000);
  EXPECT_EQ(sitemap_urls_per_part(test_site()), kMaxSitemapUrls);
  EXPECT_EQ(SitemapInput{}.max_urls, kMaxSitemapUrls);
}

TEST(SitemapIndex, PartPathsAreNumberedFromOne) {
  EXPECT_EQ(sitemap_part_path(1), "/sitemap-1.xml");
  EXPECT_EQ(sitemap_part_path(12), "/sitemap-12.xml");
  EXPECT_EQ(sitemap_part_of("/sitemap-1.xml"), std::optional<std::size_t>(1));
  EXPECT_EQ(sitemap_part_of("/sitemap-12.xml"), std::optional<std::size_t>(12));
  EXPECT_EQ(sitemap_part_of("/sitemap-50000.xml"), std::optional<std::size_t>(50000));
}

TEST(SitemapIndex, RejectsEveryOtherSpellingOfAPart) {
  for (const char* path :
       {"/sitemap.xml",       "/sitemap-0.xml",      "/sitemap-01.xml",
        "/sitemap-x.xml",     "/sitemap-.xml",       "/sitemap-1.xml/",
        "/sitemap-1.XML",     "/sitemap-+1.xml",     "/sitemap--1.xml",
        "/sitemap- 1.xml",    "/sitemap-1 .xml",     "/sitemap-50001.xml",
        "/sitemap-99999.xml", "/sitemap-100000.xml", "/sitemap-18446744073709551617.xml",
        "sitemap-1.xml",      "/fr/sitemap-1.xml",   "/sitemap-1.xml.gz",
        "/sitemap-1e3.xml",   "/sitemap-0x1.xml"}) {
    EXPECT_EQ(sitemap_part_of(path), std::nullopt) << path;
  }
}

TEST(SitemapIndex, PartCountIsZeroWhenOneSitemapHoldsAll) {
  EXPECT_EQ(sitemap_part_count(0, 5), 0u);
  EXPECT_EQ(sitemap_part_count(5, 5), 0u);
  EXPECT_EQ(sitemap_part_count(6, 5), 2u);
  EXPECT_EQ(sitemap_part_count(10, 5), 2u);
  EXPECT_EQ(sitemap_part_count(11, 5), 3u);
  EXPECT_EQ(sitemap_part_count(50001, kMaxSitemapUrls), 2u);
  EXPECT_EQ(sitemap_part_count(100002, kMaxSitemapUrls), 3u);
}

TEST(SitemapIndex, PartItemsFollowTheFixedUrls) {
  // 3 fixed URLs, 10 items, 4 URLs a part: [F F F i0] [i1..i4] [i5..i8] [i9].
  EXPECT_EQ(sitemap_part_items(3, 10, 4, 1).offset, 0u);
  EXPECT_EQ(sitemap_part_items(3, 10, 4, 1).count, 1u);
  EXPECT_EQ(sitemap_part_items(3, 10, 4, 2).offset, 1u);
  EXPECT_EQ(sitemap_part_items(3, 10, 4, 2).count, 4u);
  EXPECT_EQ(sitemap_part_items(3, 10, 4, 4).offset, 9u);
  EXPECT_EQ(sitemap_part_items(3, 10, 4, 4).count, 1u);
  EXPECT_EQ(sitemap_part_items(3, 10, 4, 5).count, 0u);
  // More fixed URLs than a part holds: the first parts have no items.
  EXPECT_EQ(sitemap_part_items(9, 10, 4, 2).count, 0u);
  EXPECT_EQ(sitemap_part_items(9, 10, 4, 3).offset, 0u);
  EXPECT_EQ(sitemap_part_items(9, 10, 4, 3).count, 3u);
}

TEST(SitemapIndex, FixedUrlsCountEveryLanguage) {
  model::Site site = test_site();
  SitemapInput input = test_input();  // one category
  input.extra_pages.push_back({"/archive/", std::nullopt});
  EXPECT_EQ(sitemap_fixed_urls(site, input), 4u);
  site.languages = {"fr", "de"};
  EXPECT_EQ(sitemap_fixed_urls(site, input), 10u);
  input.news_list_path.clear();
  EXPECT_EQ(sitemap_fixed_urls(site, input), 7u);
}

// The text of each <url> element of a sitemap as written, in order.
std::vector<std::string> url_texts(const std::string& xml) {
  std::vector<std::string> out;
  for (std::size_t at = xml.find("  <url>\n"); at != std::string::npos;
       at = xml.find("  <url>\n", at)) {
    const std::size_t end = xml.find("  </url>\n", at);
    if (end == std::string::npos) break;
    out.push_back(xml.substr(at, end - at));
    at = end;
  }
  return out;
}

// A site in three languages: items, some translated, some in one
// language only, newest first.
struct Multilingual {
  model::Site site;
  SitemapInput whole;
};

Multilingual multilingual(std::size_t items) {
  Multilingual m;
  m.site = test_site();
  m.site.languages = {"fr", "de"};
  m.whole.categories.push_back({"press-release", model::DateTime{kJanuary, 0}});
  m.whole.categories.push_back({"statement", std::nullopt});
  m.whole.extra_pages.push_back({"/archive/", model::DateTime{kJanuary, 0}});
  // Item ids count down as they get older; every third is the original of
  // a group whose translations are the two items after it, so groups
  // straddle the parts' borders.
  for (std::size_t i = 0; i < items; ++i) {
    const auto id = static_cast<std::int64_t>(items - i);
    SitemapItem item{"item-" + std::to_string(id), model::DateTime{kJuly - std::int64_t(i), 0}, id,
                     "en", 0};
    if (i % 3 == 1) item = {item.slug, item.updated_at, id, "fr", id + 1};
    if (i % 3 == 2) item = {item.slug, item.updated_at, id, "de", id + 2};
    m.whole.items.push_back(std::move(item));
  }
  m.whole.max_urls = 1000000;
  return m;
}

// Part `part` of `m` as the page service makes it: the slice of the items,
// the site's newest change and its slice's groups' members, newest first.
SitemapInput part_input(const Multilingual& m, std::size_t per_part, std::size_t part) {
  SitemapInput input = m.whole;
  input.max_urls = per_part;
  const SitemapSlice slice =
      sitemap_part_items(sitemap_fixed_urls(m.site, m.whole), m.whole.items.size(), per_part, part);
  input.items.assign(
      m.whole.items.begin() + static_cast<std::ptrdiff_t>(slice.offset),
      m.whole.items.begin() + static_cast<std::ptrdiff_t>(slice.offset + slice.count));
  input.items_last_change = m.whole.items.front().updated_at;
  std::set<std::int64_t> groups;
  for (const SitemapItem& item : input.items) {
    groups.insert(item.translation_of != 0 ? item.translation_of : item.id);
  }
  for (const SitemapItem& item : m.whole.items) {
    if (groups.contains(item.translation_of != 0 ? item.translation_of : item.id)) {
      input.translations.push_back(item);
    }
  }
  return input;
}

TEST(SitemapIndex, PartsTogetherListEveryUrlOnceAsOneSitemapWould) {
  const Multilingual m = multilingual(40);
  const std::vector<std::string> whole = url_texts(sitemap_xml(m.site, m.whole));
  // 3 languages x (home, news, 2 categories) + 1 extra page + 40 items.
  ASSERT_EQ(whole.size(), 53u);
  for (std::size_t per_part : {1u, 5u, 7u, 13u, 52u}) {
    const std::size_t parts = sitemap_part_count(whole.size(), per_part);
    ASSERT_GE(parts, 2u);
    std::vector<std::string> joined;
    for (std::size_t p = 1; p <= parts; ++p) {
      const std::string xml = sitemap_part_xml(m.site, part_input(m, per_part, p), p);
      const std::vector<std::string> got = url_texts(xml);
      EXPECT_GE(got.size(), 1u) << "part " << p << " of " << per_part;
      EXPECT_LE(got.size(), per_part) << "part " << p;
      // Each part is a sitemap of its own, with the xhtml namespace.
      const DocPtr doc = parse(xml);
      EXPECT_EQ(urls(doc.get()).size(), got.size()) << "part " << p;
      joined.insert(joined.end(), got.begin(), got.end());
    }
    EXPECT_EQ(joined, whole) << per_part << " URLs a part";
  }
}

TEST(SitemapIndex, PartOfOneLanguageSiteHasNoAlternates) {
  SitemapInput input = test_input();
  input.max_urls = 2;
  const std::size_t fixed = sitemap_fixed_urls(test_site(), input);
  ASSERT_EQ(fixed, 3u);
  // Part 2: the category and the first item.
  const SitemapSlice slice = sitemap_part_items(fixed, 2, 2, 2);
  ASSERT_EQ(slice.count, 1u);
  input.items.resize(1);
  input.items_last_change = model::DateTime{kJuly, 0};
  const std::string xml = sitemap_part_xml(test_site(), input, 2);
  const std::vector<Url> got = urls(parse(xml).get());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].loc, "https://example.org/category/press-release/");
  EXPECT_EQ(got[1].loc, "https://example.org/news/newest/");
  EXPECT_EQ(xml.find("xhtml"), std::string::npos);
}

TEST(SitemapIndex, HomeLastmodInAPartIsTheSitesNewestChange) {
  SitemapInput input;
  input.max_urls = 2;
  input.items.push_back({"old", model::DateTime{kJanuary, 0}, 1, "", 0});
  // The newest item is in another part.
  input.items_last_change = model::DateTime{kJuly, 0};
  const std::vector<Url> got = urls(parse(sitemap_part_xml(test_site(), input, 1)).get());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].lastmod, "2018-07-04T10:11:30+02:00");
}

TEST(SitemapIndex, IndexListsEveryPartAbsoluteWithLastmod) {
  model::Site site = test_site();
  site.base_url = "https://example.org/a&b/";
  const std::string xml = sitemap_index_xml(
      site,
      {{sitemap_part_path(1), model::DateTime{kJuly, 0}}, {sitemap_part_path(2), std::nullopt}});
  const DocPtr doc = parse(xml);
  ASSERT_NE(doc, nullptr);
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  ASSERT_TRUE(is(root, kSitemapNs, "sitemapindex"));
  std::vector<std::pair<std::string, std::string>> got;
  for (const xmlNode* c = root->children; c != nullptr; c = c->next) {
    if (!is(c, kSitemapNs, "sitemap")) continue;
    got.emplace_back(child_text(c, kSitemapNs, "loc"), child_text(c, kSitemapNs, "lastmod"));
  }
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].first, "https://example.org/a&b/sitemap-1.xml");
  EXPECT_EQ(got[0].second, "2018-07-04T10:11:30+02:00");
  EXPECT_EQ(got[1].first, "https://example.org/a&b/sitemap-2.xml");
  EXPECT_EQ(got[1].second, "<none>");
}

TEST(SitemapIndex, LoweredLimitIsKeptButNeverRaised) {
  model::Site site = test_site();
  site.sitemap_urls = 300;
  EXPECT_EQ(sitemap_urls_per_part(site), 300u);
  site.sitemap_urls = 1000000;
  EXPECT_EQ(sitemap_urls_per_part(site), kMaxSitemapUrls);
  site.sitemap_urls = 0;
  EXPECT_EQ(sitemap_urls_per_part(site), kMaxSitemapUrls);
}

TEST(SitemapIndex, PartOfLongestUrlsInManyLanguagesStaysUnderFiftyMegabytes) {
  // Twelve languages, slugs as long as slugs get, every item in a group
  // of all twelve: each <url> carries twelve alternates.
  model::Site site = test_site();
  site.base_url = "https://www.an-organisation-with-a-long-name.example.org/";
  site.news_permalink = "/news-centre/news-detail/{slug}/";
  site.languages = {"fr", "de", "es", "it", "pt", "ru", "ar", "zh", "ja", "tr", "pl"};
  const std::size_t per_part = sitemap_urls_per_part(site);
  ASSERT_LT(per_part, kMaxSitemapUrls);
  ASSERT_GT(per_part, 1000u);
  const std::vector<std::string> languages = model::served_languages(site);
  SitemapInput input;
  input.max_urls = per_part;
  for (std::size_t i = 0; i < per_part; ++i) {
    const auto id = static_cast<std::int64_t>(per_part - i);
    const std::int64_t original = id + static_cast<std::int64_t>(i % languages.size());
    std::string slug = std::to_string(id) + "-";
    slug += std::string(100 - slug.size(), 'x');
    input.items.push_back({std::move(slug), model::DateTime{kJuly, 0}, id,
                           languages[i % languages.size()], original == id ? 0 : original});
  }
  const std::string xml = sitemap_xml(site, input);
  EXPECT_EQ(url_texts(xml).size(), per_part);
  EXPECT_LE(xml.size(), kMaxSitemapBytes);
  // Not needlessly small either: within a fifth of the limit.
  EXPECT_GE(xml.size(), kMaxSitemapBytes / 5);
}

// News sitemap.

constexpr std::int64_t kNow = kJuly;

model::Item news_item(std::string slug, std::int64_t published) {
  model::Item item;
  item.guid = "urn:uuid:" + slug;
  item.slug = std::move(slug);
  item.title = "Title of " + item.slug;
  item.status = model::Status::kPublished;
  item.published_at = model::DateTime{published, 0};
  item.updated_at = *item.published_at;
  return item;
}

std::vector<std::string> news_locs(const std::string& xml) {
  const DocPtr doc = parse(xml);
  std::vector<std::string> out;
  for (const Url& url : urls(doc.get())) out.push_back(url.loc);
  return out;
}

std::string news_text(const xmlNode* url, std::string_view name) {
  const xmlNode* news = child(url, kNewsNs, "news");
  if (news == nullptr) return "<no news:news>";
  if (name == "name" || name == "language") {
    const xmlNode* publication = child(news, kNewsNs, "publication");
    if (publication == nullptr) return "<no news:publication>";
    return child_text(publication, kNewsNs, name);
  }
  return child_text(news, kNewsNs, name);
}

TEST(NewsSitemap, IncludesItemExactly48HoursOld) {
  const std::string xml =
      news_sitemap_xml(test_site(), {news_item("edge", kNow - 48 * kHour)}, kNow);
  EXPECT_EQ(news_locs(xml), std::vector<std::string>{"https://example.org/news/edge/"});
}

TEST(NewsSitemap, ExcludesItem48HoursAndOneSecondOld) {
  const std::string xml =
      news_sitemap_xml(test_site(), {news_item("old", kNow - 48 * kHour - 1)}, kNow);
  EXPECT_TRUE(news_locs(xml).empty());
  // Still a well-formed, empty urlset.
  EXPECT_NE(parse(xml), nullptr);
}

TEST(NewsSitemap, IncludesItemPublishedNowButNotInTheFuture) {
  const std::string xml =
      news_sitemap_xml(test_site(), {news_item("now", kNow), news_item("future", kNow + 1)}, kNow);
  EXPECT_EQ(news_locs(xml), std::vector<std::string>{"https://example.org/news/now/"});
}

TEST(NewsSitemap, ExcludesUnpublishedItems) {
  model::Item draft = news_item("draft", kNow - kHour);
  draft.status = model::Status::kDraft;
  model::Item scheduled = news_item("scheduled", kNow - kHour);
  scheduled.status = model::Status::kScheduled;
  model::Item undated = news_item("undated", kNow - kHour);
  undated.published_at.reset();
  const std::string xml = news_sitemap_xml(test_site(), {draft, scheduled, undated}, kNow);
  EXPECT_TRUE(news_locs(xml).empty());
}

TEST(NewsSitemap, KeepsNewestThousandNewestFirst) {
  std::vector<model::Item> items;
  for (std::int64_t i = 0; i < 1001; ++i) {
    items.push_back(news_item("item-" + std::to_string(i), kNow - 1001 + i));
  }
  const std::vector<std::string> got = news_locs(news_sitemap_xml(test_site(), items, kNow));
  ASSERT_EQ(got.size(), kMaxNewsSitemapUrls);
  EXPECT_EQ(got.front(), "https://example.org/news/item-1000/");
  EXPECT_EQ(got.back(), "https://example.org/news/item-1/");
}

TEST(NewsSitemap, CarriesPublicationDateAndTitle) {
  const std::string xml = news_sitemap_xml(test_site(), {news_item("a", kNow - kHour)}, kNow);
  const DocPtr doc = parse(xml);
  const std::vector<Url> got = urls(doc.get());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(news_text(got[0].node, "name"), "Example & Co");
  EXPECT_EQ(news_text(got[0].node, "language"), "en");
  EXPECT_EQ(news_text(got[0].node, "publication_date"), "2018-07-04T09:11:30+02:00");
  EXPECT_EQ(news_text(got[0].node, "title"), "Title of a");
}

TEST(NewsSitemap, EscapesAmpersandInTitle) {
  model::Item item = news_item("a", kNow - kHour);
  item.title = "Osh & Bishkek <news>";
  const std::string xml = news_sitemap_xml(test_site(), {item}, kNow);
  EXPECT_NE(xml.find("<news:title>Osh &amp; Bishkek &lt;news&gt;</news:title>"), std::string::npos);
  EXPECT_NE(xml.find("<news:name>Example &amp; Co</news:name>"), std::string::npos);
  const DocPtr doc = parse(xml);
  const std::vector<Url> got = urls(doc.get());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(news_text(got[0].node, "title"), "Osh & Bishkek <news>");
}

TEST(NewsSitemap, LanguageIsItemsElseSites) {
  model::Site site = test_site();
  site.language = "de-AT";
  model::Item russian = news_item("ru", kNow - kHour);
  russian.language = "ru-KG";
  const model::Item plain = news_item("plain", kNow - 2 * kHour);
  const DocPtr doc = parse(news_sitemap_xml(site, {russian, plain}, kNow));
  const std::vector<Url> got = urls(doc.get());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(news_text(got[0].node, "language"), "ru");
  EXPECT_EQ(news_text(got[1].node, "language"), "de");
}

TEST(NewsLanguage, PrimarySubtagLowerCased) {
  EXPECT_EQ(news_language("en"), "en");
  EXPECT_EQ(news_language("en-GB"), "en");
  EXPECT_EQ(news_language("DE-at"), "de");
  EXPECT_EQ(news_language("fr_CA"), "fr");
  EXPECT_EQ(news_language("ast"), "ast");
  EXPECT_EQ(news_language(""), "");
}

TEST(NewsLanguage, ChineseIsSimplifiedOrTraditional) {
  EXPECT_EQ(news_language("zh"), "zh-cn");
  EXPECT_EQ(news_language("zh-Hans"), "zh-cn");
  EXPECT_EQ(news_language("zh-CN"), "zh-cn");
  EXPECT_EQ(news_language("zh-SG"), "zh-cn");
  EXPECT_EQ(news_language("zh-Hans-HK"), "zh-cn");
  EXPECT_EQ(news_language("zh-Hant"), "zh-tw");
  EXPECT_EQ(news_language("zh-TW"), "zh-tw");
  EXPECT_EQ(news_language("zh-HK"), "zh-tw");
  EXPECT_EQ(news_language("zh-Hant-CN"), "zh-tw");
}

// robots.txt.

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    out.push_back(text.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

bool has_line(const std::string& text, std::string_view line) {
  for (const std::string& l : lines(text)) {
    if (l == line) return true;
  }
  return false;
}

TEST(RobotsTxt, AllowsEverythingToEveryone) {
  const std::vector<std::string> got = lines(robots_txt(test_site()));
  ASSERT_GE(got.size(), 2u);
  EXPECT_EQ(got[0], "User-agent: *");
  EXPECT_EQ(got[1], "Allow: /");
}

TEST(RobotsTxt, DisallowsAdminAndApi) {
  const std::string text = robots_txt(test_site());
  EXPECT_TRUE(has_line(text, "Disallow: /admin/"));
  EXPECT_TRUE(has_line(text, "Disallow: /api/"));
}

TEST(RobotsTxt, DisallowsSearchResultsButNotPathsStartingWithSearch) {
  const std::string text = robots_txt(test_site());
  EXPECT_TRUE(has_line(text, "Disallow: /search$"));
  EXPECT_TRUE(has_line(text, "Disallow: /search?"));
  EXPECT_TRUE(has_line(text, "Disallow: /search/"));
  // A bare prefix would also hide "/search-and-rescue-at-sea/".
  EXPECT_FALSE(has_line(text, "Disallow: /search"));
}

TEST(RobotsTxt, ListsAbsoluteSitemaps) {
  model::Site site = test_site();
  site.base_url = "https://example.org/newsroom/";
  const std::string text = robots_txt(site);
  EXPECT_TRUE(has_line(text, "Sitemap: https://example.org/newsroom/sitemap.xml"));
  EXPECT_TRUE(has_line(text, "Sitemap: https://example.org/newsroom/news-sitemap.xml"));
}

TEST(RobotsTxt, EndsWithNewline) {
  const std::string text = robots_txt(test_site());
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
}

}  // namespace
}  // namespace newsdesk::render
