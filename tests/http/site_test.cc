// The public site from a real `newsdesk serve`: every page type, paging
// edges, archives in the site's time zone, search with hostile input,
// redirects, 404 and 410, discovery files, theme assets and overrides. The
// content is written through the store into the database the server reads.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "store/store.h"
#include "support/html_check.h"
#include "support/process.h"

namespace newsdesk {
namespace {

using testing::http_get;
using testing::http_request;

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

model::Category category(const std::string& slug, const std::string& name) {
  model::Category c;
  c.slug = slug;
  c.name = name;
  return c;
}

model::Item make_item(const std::string& slug, const std::string& title, std::int64_t published,
                      std::vector<model::Category> categories = {}) {
  model::Item item;
  item.guid = "urn:uuid:site-test-" + slug;
  item.slug = slug;
  item.title = title;
  item.teaser = "A summary of " + title;
  // Bodies are sanitized on the way in; the store takes them as they are.
  item.body_html = "<p>The body of " + slug + ".</p>";
  item.status = model::Status::kPublished;
  item.published_at = model::DateTime{published, 120};
  item.updated_at = model::DateTime{published, 120};
  item.categories = std::move(categories);
  return item;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

constexpr const char* kConfig = R"toml([site]
title = "Test News"
description = "News for tests"
base_url = "https://news.example.org/"
time_zone = "Europe/Vienna"
page_items = 3
)toml";

class Site : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    db_ = "sqlite:" + dir_->path() + "/news.db";
    config_ = dir_->path() + "/newsdesk.toml";
    write_file(config_, kConfig);
    fill_store();
    server_ = new testing::ServerProcess({"--config", config_, "--db", db_});
    ASSERT_TRUE(server_->started());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  static void fill_store() {
    auto store = store::open_store(db_);
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE((*store)->migrate());
    const auto press = category("press-release", "Press Release");
    const auto project = category("project-news", "Project News");
    auto insert = [&](const model::Item& item) {
      auto id = (*store)->insert_item(item);
      EXPECT_TRUE(id) << id.error().message;
      return id ? *id : 0;
    };
    const std::int64_t june =
        insert(make_item("june-release", "June release", 1528624800, {press}));
    // 2018-06-30T23:30:00Z: already 1 July in Vienna.
    insert(make_item("midnight-news", "Midnight news", 1530401400, {project}));
    model::Item kabul =
        make_item("kabul-centre", "Migrant Resource Centre opened in Kabul", 1530691890, {press});
    kabul.body_html =
        "<p>The Migrant Resource Centre in Kabul offers advice on legal migration.</p>";
    kabul.teaser = "A new centre for migrants opens its doors.";
    kabul.authors = {"Jane Doe"};
    kabul.lead_image =
        model::LeadImage{"https://news.example.org/kabul.jpg", "The centre in Kabul"};
    model::Attachment pdf;
    pdf.url = "https://news.example.org/files/release.pdf";
    pdf.name = "release.pdf";
    pdf.media_type = "application/pdf";
    pdf.length = 1234567;
    kabul.attachments = {pdf};
    kabul.related_links = {model::RelatedLink{"Annual report 2017", "https://example.org/report"}};
    insert(kabul);
    insert(
        make_item("hostile-title", "Statement <script>alert(1)</script> & \"quotes\"", 1531224000));
    insert(make_item("border-programme", "Border management programme extended", 1547542800,
                     {project}));
    insert(make_item("fresh-statement", "Fresh statement", now_seconds() - 3600));
    // 2017-12-31T23:30:00Z: 1 January 2018 in Vienna.
    insert(make_item("new-year", "New year news", 1514763000));

    model::Item draft = make_item("secret-draft", "Secret draft", 1530000000);
    draft.status = model::Status::kDraft;
    draft.published_at.reset();
    insert(draft);
    model::Item future = make_item("future-release", "Future release", now_seconds() + 86400);
    future.body_html = "<p>embargoedword</p>";
    insert(future);
    const std::int64_t withdrawn = insert(make_item("withdrawn-item", "Withdrawn", 1529000000));
    ASSERT_TRUE((*store)->delete_item(withdrawn));
    ASSERT_TRUE((*store)->add_redirect("/old/site/june.html", june));
  }

  static testing::HttpReply get(const std::string& target) {
    return http_get(server_->port(), target);
  }

  static testing::TempDir* dir_;
  static testing::ServerProcess* server_;
  static std::string db_;
  static std::string config_;
};

testing::TempDir* Site::dir_ = nullptr;
testing::ServerProcess* Site::server_ = nullptr;
std::string Site::db_;
std::string Site::config_;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The item links of a listing, in order.
std::vector<std::string> news_links(const std::string& html) {
  static const std::regex link(R"re(<h2 class="news-card-title"><a href="([^"]+)")re");
  std::vector<std::string> out;
  for (std::sregex_iterator it(html.begin(), html.end(), link), end; it != end; ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

TEST_F(Site, EveryPageTypeIsWellFormedHtml) {
  for (const std::string target :
       {"/", "/news/", "/news/page/2/", "/news/kabul-centre/", "/news/hostile-title/",
        "/category/press-release/", "/archive/", "/archive/2018/", "/archive/2018/07/",
        "/search?q=kabul", "/search?q=%22", "/search", "/no-such-page/", "/news/withdrawn-item/"}) {
    const auto reply = get(target);
    EXPECT_TRUE(reply.status == 200 || reply.status == 404 || reply.status == 410) << target;
    EXPECT_EQ(reply.headers.at("content-type"), "text/html; charset=utf-8") << target;
    EXPECT_EQ(testing::html_parse_errors(reply.body), 0u) << target;
    EXPECT_TRUE(contains(reply.body, "<a class=\"skip-link\" href=\"#main\">")) << target;
    EXPECT_TRUE(contains(reply.body, "<main id=\"main\"")) << target;
    EXPECT_TRUE(contains(reply.body, "<input type=\"search\" id=\"search-q\" name=\"q\""))
        << target;
  }
}

TEST_F(Site, HomeShowsTheNewestPageAndLinksToAllNews) {
  const auto reply = get("/");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(news_links(reply.body),
            (std::vector<std::string>{"/news/fresh-statement/", "/news/border-programme/",
                                      "/news/hostile-title/"}));
  EXPECT_TRUE(contains(reply.body, "<a href=\"/news/\">All news</a>"));
  EXPECT_TRUE(contains(reply.body, "<link rel=\"canonical\" href=\"https://news.example.org/\">"));
  EXPECT_TRUE(contains(reply.body, "\"@type\":\"WebSite\""));
  EXPECT_TRUE(contains(reply.body, "Press Release</a> <span class=\"count\">(2)</span>"));
}

TEST_F(Site, NewsListPagesThroughEveryPublicItemOnce) {
  std::vector<std::string> all;
  for (const std::string target : {"/news/", "/news/page/2/", "/news/page/3/"}) {
    const auto reply = get(target);
    ASSERT_EQ(reply.status, 200) << target;
    const auto links = news_links(reply.body);
    all.insert(all.end(), links.begin(), links.end());
  }
  EXPECT_EQ(all, (std::vector<std::string>{"/news/fresh-statement/", "/news/border-programme/",
                                           "/news/hostile-title/", "/news/kabul-centre/",
                                           "/news/midnight-news/", "/news/june-release/",
                                           "/news/new-year/"}));
  const auto second = get("/news/page/2/");
  EXPECT_TRUE(contains(second.body, "<a href=\"/news/\" rel=\"prev\">"));
  EXPECT_TRUE(contains(second.body, "<a href=\"/news/page/3/\" rel=\"next\">"));
  EXPECT_TRUE(contains(second.body, "<a href=\"/news/page/2/\" aria-current=\"page\">2</a>"));
  EXPECT_TRUE(contains(second.body,
                       "<link rel=\"canonical\" href=\"https://news.example.org/news/page/2/\">"));
}

TEST_F(Site, PagingEdges) {
  EXPECT_EQ(get("/news/page/4/").status, 404);
  EXPECT_EQ(get("/news/page/0/").status, 404);
  EXPECT_EQ(get("/news/page/02/").status, 404);
  EXPECT_EQ(get("/news/page/-1/").status, 404);
  EXPECT_EQ(get("/news/page/abc/").status, 404);
  EXPECT_EQ(get("/news/page/99999999999999999999/").status, 404);
  const auto first = get("/news/page/1/");
  EXPECT_EQ(first.status, 301);
  EXPECT_EQ(first.headers.at("location"), "/news/");
  EXPECT_EQ(get("/category/press-release/page/2/").status, 404);
  EXPECT_EQ(get("/category/press-release/page/1/").headers.at("location"),
            "/category/press-release/");
}

TEST_F(Site, CategoryPageListsOnlyItsItems) {
  const auto reply = get("/category/press-release/");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(news_links(reply.body),
            (std::vector<std::string>{"/news/kabul-centre/", "/news/june-release/"}));
  EXPECT_TRUE(contains(reply.body, "href=\"/category/press-release/rss.xml\""));
  EXPECT_TRUE(contains(reply.body, "aria-current=\"page\">Press Release</a>"));
  EXPECT_EQ(get("/category/no-such-category/").status, 404);
}

TEST_F(Site, ArchiveCountsByMonthInTheSiteTimeZone) {
  const auto index = get("/archive/");
  ASSERT_EQ(index.status, 200);
  EXPECT_TRUE(
      contains(index.body, "<a href=\"/archive/2018/\">2018</a> <span class=\"count\">(5)</span>"));
  EXPECT_TRUE(
      contains(index.body, "<a href=\"/archive/2019/\">2019</a> <span class=\"count\">(1)</span>"));
  const auto year = get("/archive/2018/");
  ASSERT_EQ(year.status, 200);
  EXPECT_TRUE(contains(year.body,
                       "<a href=\"/archive/2018/07/\">July</a> <span class=\"count\">(3)</span>"));
  EXPECT_TRUE(contains(year.body,
                       "<a href=\"/archive/2018/06/\">June</a> <span class=\"count\">(1)</span>"));
  EXPECT_TRUE(contains(
      year.body, "<a href=\"/archive/2018/01/\">January</a> <span class=\"count\">(1)</span>"));
  const auto july = get("/archive/2018/07/");
  ASSERT_EQ(july.status, 200);
  EXPECT_EQ(news_links(july.body),
            (std::vector<std::string>{"/news/hostile-title/", "/news/kabul-centre/",
                                      "/news/midnight-news/"}));
  EXPECT_EQ(news_links(get("/archive/2018/06/").body),
            (std::vector<std::string>{"/news/june-release/"}));
}

TEST_F(Site, ArchiveWithoutItemsOrImpossibleDatesIsNotFound) {
  EXPECT_EQ(get("/archive/2018/02/").status, 404);
  EXPECT_EQ(get("/archive/1999/").status, 404);
  EXPECT_EQ(get("/archive/2018/13/").status, 404);
  EXPECT_EQ(get("/archive/2018/7/").status, 404);
  EXPECT_EQ(get("/archive/18/").status, 404);
  EXPECT_EQ(get("/archive/2018/07/page/2/").status, 404);
}

TEST_F(Site, DetailPageShowsEverythingAnItemHas) {
  const auto reply = get("/news/kabul-centre/");
  ASSERT_EQ(reply.status, 200);
  const std::string& b = reply.body;
  EXPECT_TRUE(contains(b, "<h1>Migrant Resource Centre opened in Kabul</h1>"));
  EXPECT_TRUE(contains(b, "<time datetime=\"2018-07-04T10:11:30+02:00\">4 July 2018</time>"));
  EXPECT_TRUE(contains(b, "<a class=\"tag\" href=\"/category/press-release/\">Press Release</a>"));
  EXPECT_TRUE(
      contains(b, "<img src=\"https://news.example.org/kabul.jpg\" alt=\"The centre in Kabul\""));
  EXPECT_TRUE(contains(b, "<p class=\"lead\">A new centre for migrants opens its doors.</p>"));
  EXPECT_TRUE(contains(b,
                       "<a href=\"https://news.example.org/files/release.pdf\" "
                       "download>release.pdf</a> <span class=\"file-info\">(PDF, 1.2 MB)</span>"));
  EXPECT_TRUE(contains(b, "<a href=\"https://example.org/report\">Annual report 2017</a>"));
  EXPECT_TRUE(contains(b, "<a href=\"/news/hostile-title/\" rel=\"prev\">"));
  EXPECT_TRUE(contains(b, "<a href=\"/news/midnight-news/\" rel=\"next\">"));
  EXPECT_TRUE(contains(b, "<span class=\"byline\">Jane Doe</span>"));
  EXPECT_TRUE(
      contains(b, "<link rel=\"canonical\" href=\"https://news.example.org/news/kabul-centre/\">"));
  EXPECT_TRUE(contains(b, "<meta property=\"og:type\" content=\"article\">"));
  EXPECT_TRUE(
      contains(b, "<meta property=\"og:image\" content=\"https://news.example.org/kabul.jpg\">"));
  EXPECT_TRUE(contains(b, "<meta name=\"twitter:card\" content=\"summary_large_image\">"));
  EXPECT_TRUE(contains(
      b, "<meta name=\"description\" content=\"A new centre for migrants opens its doors.\">"));
  // JSON-LD: a NewsArticle that parses.
  const auto start = b.find("<script type=\"application/ld+json\">");
  ASSERT_NE(start, std::string::npos);
  const auto body_start = b.find('>', start) + 1;
  const auto json =
      nlohmann::json::parse(b.substr(body_start, b.find("</script>", body_start) - body_start));
  EXPECT_EQ(json.at("@type"), "NewsArticle");
  EXPECT_EQ(json.at("headline"), "Migrant Resource Centre opened in Kabul");
}

TEST_F(Site, HostileTitleIsEscapedEverywhere) {
  for (const std::string target : {"/", "/news/hostile-title/", "/archive/2018/07/"}) {
    const auto reply = get(target);
    ASSERT_EQ(reply.status, 200) << target;
    EXPECT_FALSE(contains(reply.body, "<script>alert(1)")) << target;
    EXPECT_TRUE(contains(
        reply.body, "Statement &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"))
        << target;
  }
  const auto detail = get("/news/hostile-title/");
  EXPECT_FALSE(contains(detail.body, "</script><script>"));
}

TEST_F(Site, UnpublishedItemsStayHidden) {
  EXPECT_EQ(get("/news/secret-draft/").status, 404);
  EXPECT_EQ(get("/news/future-release/").status, 404);
  for (const std::string target : {"/", "/news/", "/archive/", "/sitemap.xml", "/news-sitemap.xml",
                                   "/search?q=embargoedword", "/search?q=secret"}) {
    const auto reply = get(target);
    EXPECT_FALSE(contains(reply.body, "future-release")) << target;
    EXPECT_FALSE(contains(reply.body, "secret-draft")) << target;
  }
}

TEST_F(Site, DeletedItemIsGoneAndUnknownIsNotFound) {
  const auto gone = get("/news/withdrawn-item/");
  EXPECT_EQ(gone.status, 410);
  EXPECT_TRUE(contains(gone.body, "was removed"));
  const auto missing = get("/news/never-existed/");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(contains(missing.body, "Page not found"));
  EXPECT_TRUE(contains(missing.body, "<meta name=\"robots\" content=\"noindex\">"));
}

TEST_F(Site, OldAddressRedirectsToThePermalink) {
  const auto reply = get("/old/site/june.html");
  EXPECT_EQ(reply.status, 301);
  EXPECT_EQ(reply.headers.at("location"), "/news/june-release/");
}

TEST_F(Site, SearchRanksHighlightsAndPages) {
  const auto reply = get("/search?q=kabul");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(news_links(reply.body), (std::vector<std::string>{"/news/kabul-centre/"}));
  EXPECT_TRUE(contains(reply.body, "<mark>Kabul</mark>"));
  EXPECT_TRUE(contains(reply.body, "1 news item found."));
  EXPECT_TRUE(contains(reply.body, "value=\"kabul\""));
  EXPECT_TRUE(contains(reply.body, "<meta name=\"robots\" content=\"noindex\">"));
  EXPECT_EQ(news_links(get("/search?q=%22resource+centre%22").body),
            (std::vector<std::string>{"/news/kabul-centre/"}));
  EXPECT_EQ(news_links(get("/search?q=migra*").body),
            (std::vector<std::string>{"/news/kabul-centre/"}));
  EXPECT_TRUE(news_links(get("/search?q=kabul+-legal").body).empty());
  // "the" is in every body: 7 hits, 3 per page.
  const auto first = get("/search?q=the");
  EXPECT_TRUE(contains(first.body, "7 news items found."));
  EXPECT_TRUE(contains(first.body, "<a href=\"/search?q=the&amp;page=2\" rel=\"next\">"));
  EXPECT_EQ(news_links(get("/search?q=the&page=3").body).size(), 1u);
  EXPECT_EQ(get("/search?q=the&page=4").status, 404);
  EXPECT_EQ(get("/search?q=the&page=x").status, 404);
}

TEST_F(Site, HostileSearchQueriesNeverFail) {
  for (const std::string q : {"%22",
                              "%22%22%22",
                              "*",
                              "-",
                              "--",
                              "(",
                              ")",
                              "NEAR(",
                              "a+AND",
                              "OR+OR",
                              "NOT",
                              "title%3Akabul",
                              "%5E",
                              "kabul*+*",
                              "%27%3B+DROP+TABLE+items%3B--",
                              "%00",
                              "%FF%FE",
                              "%E2%80%AE",
                              "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                              "{a+b}",
                              "a:b:c",
                              "+",
                              ""}) {
    const auto reply = get("/search?q=" + q);
    EXPECT_EQ(reply.status, 200) << q;
    EXPECT_FALSE(contains(reply.body, "<script>alert(1)")) << q;
  }
  std::string long_query(5000, 'a');
  EXPECT_EQ(get("/search?q=" + long_query).status, 200);
}

TEST_F(Site, SitemapsAndRobots) {
  const auto sitemap = get("/sitemap.xml");
  ASSERT_EQ(sitemap.status, 200);
  EXPECT_EQ(sitemap.headers.at("content-type"), "application/xml; charset=utf-8");
  EXPECT_TRUE(contains(sitemap.body, "<loc>https://news.example.org/news/kabul-centre/</loc>"));
  EXPECT_TRUE(contains(sitemap.body, "<lastmod>2018-07-04T10:11:30+02:00</lastmod>"));
  EXPECT_FALSE(contains(sitemap.body, "withdrawn-item"));
  const auto news = get("/news-sitemap.xml");
  ASSERT_EQ(news.status, 200);
  EXPECT_TRUE(contains(news.body, "<loc>https://news.example.org/news/fresh-statement/</loc>"));
  EXPECT_FALSE(contains(news.body, "kabul-centre"));
  const auto robots = get("/robots.txt");
  ASSERT_EQ(robots.status, 200);
  EXPECT_TRUE(contains(robots.body, "Sitemap: https://news.example.org/sitemap.xml"));
  EXPECT_TRUE(contains(robots.body, "Disallow: /admin/"));
}

TEST_F(Site, StylesheetIsFingerprintedAndCachedForAYear) {
  const auto home = get("/");
  static const std::regex css(
      R"re(<link rel="stylesheet" href="(/static/style\.[0-9a-f]{8}\.css)">)re");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(home.body, m, css));
  const auto reply = get(m[1]);
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.headers.at("content-type"), "text/css; charset=utf-8");
  EXPECT_TRUE(contains(reply.headers.at("cache-control"), "max-age=31536000"));
  EXPECT_TRUE(contains(reply.headers.at("cache-control"), "immutable"));
  EXPECT_TRUE(contains(reply.body, "prefers-color-scheme: dark"));
  EXPECT_EQ(get("/static/style.00000000.css").status, 404);
  EXPECT_EQ(get("/static/../newsdesk.toml").status, 404);
}

TEST_F(Site, HtmlPagesSendASecurityPolicy) {
  for (const std::string target : {"/", "/news/kabul-centre/", "/search?q=x", "/nope/"}) {
    const auto reply = get(target);
    const std::string& csp = reply.headers.at("content-security-policy");
    EXPECT_TRUE(contains(csp, "script-src 'self'")) << target;
    EXPECT_TRUE(contains(csp, "frame-ancestors 'none'")) << target;
    EXPECT_FALSE(contains(csp, "unsafe-inline")) << target;
    EXPECT_EQ(reply.headers.at("referrer-policy"), "strict-origin-when-cross-origin") << target;
    // Nothing inline for the policy to block: no style attributes or
    // elements, no script but JSON-LD data.
    EXPECT_FALSE(contains(reply.body, "<style")) << target;
    EXPECT_FALSE(contains(reply.body, " style=\"")) << target;
    EXPECT_FALSE(contains(reply.body, "<script>")) << target;
  }
}

TEST_F(Site, PagesRevalidateWithEtags) {
  const auto first = get("/news/kabul-centre/");
  ASSERT_EQ(first.status, 200);
  const std::string etag = first.headers.at("etag");
  const auto again =
      http_request(server_->port(), "GET", "/news/kabul-centre/", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

// A site's own theme folder replaces single files of the default theme.
TEST(SiteTheme, OwnFilesOverrideTheDefaultOneByOne) {
  testing::TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/news.db";
  std::filesystem::create_directories(dir.path() + "/theme/partials");
  std::filesystem::create_directories(dir.path() + "/theme/static");
  write_file(dir.path() + "/theme/partials/footer.mustache",
             "<footer class=\"custom\"><p>Custom footer of {{site_title}}</p></footer>\n");
  write_file(dir.path() + "/theme/static/style.css", "body{color:#123456}\n");
  write_file(dir.path() + "/newsdesk.toml", std::string(kConfig) + "theme = \"theme\"\n");
  testing::ServerProcess server({"--config", dir.path() + "/newsdesk.toml", "--db", db});
  ASSERT_TRUE(server.started());
  const auto home = http_get(server.port(), "/");
  ASSERT_EQ(home.status, 200);
  EXPECT_TRUE(contains(home.body, "<footer class=\"custom\"><p>Custom footer of Test News</p>"));
  // Templates the site did not override are the default's.
  EXPECT_TRUE(contains(home.body, "<a class=\"skip-link\" href=\"#main\">"));
  static const std::regex css(R"re(href="(/static/style\.[0-9a-f]{8}\.css)")re");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(home.body, m, css));
  EXPECT_EQ(http_get(server.port(), m[1]).body, "body{color:#123456}\n");
}

TEST(SiteTheme, MissingThemeFolderIsAClearError) {
  testing::TempDir dir;
  write_file(dir.path() + "/newsdesk.toml", std::string(kConfig) + "theme = \"nowhere\"\n");
  const auto result = testing::run_command(
      {testing::newsdesk_binary(), "serve", "--config", dir.path() + "/newsdesk.toml", "--db",
       "sqlite:" + dir.path() + "/news.db", "--listen", "127.0.0.1:0"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_TRUE(contains(result.err, "no theme folder")) << result.err;
}

}  // namespace
}  // namespace newsdesk
