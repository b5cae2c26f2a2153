#include "render/sitemap.h"

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

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
