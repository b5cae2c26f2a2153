// A site with more URLs than one sitemap holds, from a real `newsdesk
// serve`: /sitemap.xml becomes a sitemap index whose parts list every
// public URL exactly once, each part served, cached and revalidated as the
// sitemap is; anything else that looks like a part is a 404. The limit per
// part is lowered to 100 ([site] sitemap_urls) so that some hundred items
// make three parts.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"
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

constexpr std::int64_t kJuly = 1530691890;  // 2018-07-04T08:11:30Z
constexpr int kItems = 250;

model::Item make_item(const std::string& slug, std::int64_t published,
                      std::vector<model::Category> categories = {}) {
  model::Item item;
  item.guid = "urn:uuid:sitemap-index-" + slug;
  item.slug = slug;
  item.title = "Title of " + slug;
  item.body_html = "<p>" + slug + "</p>";
  item.status = model::Status::kPublished;
  item.published_at = model::DateTime{published, 120};
  item.updated_at = model::DateTime{published, 120};
  item.categories = std::move(categories);
  return item;
}

std::string config(const std::string& extra) {
  return "[site]\ntitle = \"Big News\"\nbase_url = \"https://news.example.org/\"\n"
         "time_zone = \"Europe/Vienna\"\n" +
         extra;
}

// The text of every <tag> element, in order.
std::vector<std::string> elements(const std::string& xml, const std::string& tag) {
  std::vector<std::string> out;
  const std::regex re("<" + tag + ">([^<]*)</" + tag + ">");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), re); it != std::sregex_iterator();
       ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

class SitemapIndexServer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    db_ = "sqlite:" + dir_->path() + "/news.db";
    dir_->write("small.toml", config("sitemap_urls = 100\n"));
    dir_->write("default.toml", config(""));
    fill_store();
    server_ = new testing::ServerProcess({"--config", dir_->path() + "/small.toml", "--db", db_});
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
    model::Category press;
    press.slug = "press-release";
    press.name = "Press Release";
    model::Category statement;
    statement.slug = "statement";
    statement.name = "Statement";
    auto insert = [&](const model::Item& item) {
      auto id = (*store)->insert_item(item);
      EXPECT_TRUE(id) << id.error().message;
    };
    ASSERT_TRUE((*store)->transaction([&](store::Store& tx) -> Result<void> {
      for (int i = 0; i < kItems; ++i) {
        // Pairs share a second: the order must not depend on chance.
        model::Item item = make_item("item-" + std::to_string(i), kJuly + i / 2 * 3600,
                                     i % 3 == 0 ? std::vector{press} : std::vector{statement});
        auto id = tx.insert_item(item);
        if (!id) return id.error();
      }
      return {};
    }));
    // Its end time moved it to the archive: its page stays, so does its URL.
    model::Item archived = make_item("archived-item", kJuly - 86400);
    archived.expires_at = kJuly;
    archived.archive_on_expiry = true;
    insert(archived);
    // Not public: in no sitemap.
    model::Item draft = make_item("secret-draft", kJuly);
    draft.status = model::Status::kDraft;
    draft.published_at.reset();
    insert(draft);
    insert(make_item("future-release", now_seconds() + 86400));
    model::Item expired = make_item("expired-item", kJuly - 86400);
    expired.expires_at = kJuly;
    insert(expired);
  }

  // Every public URL of the site, as the sitemap must list it.
  static std::vector<std::string> expected_urls() {
    std::vector<std::string> urls = {"https://news.example.org/", "https://news.example.org/news/",
                                     "https://news.example.org/category/press-release/",
                                     "https://news.example.org/category/statement/"};
    for (int i = 0; i < kItems; ++i) {
      urls.push_back("https://news.example.org/news/item-" + std::to_string(i) + "/");
    }
    urls.push_back("https://news.example.org/news/archived-item/");
    return urls;
  }

  static testing::HttpReply get(const std::string& target) {
    return http_get(server_->port(), target);
  }

  static testing::TempDir* dir_;
  static testing::ServerProcess* server_;
  static std::string db_;
};

testing::TempDir* SitemapIndexServer::dir_ = nullptr;
testing::ServerProcess* SitemapIndexServer::server_ = nullptr;
std::string SitemapIndexServer::db_;

TEST_F(SitemapIndexServer, SitemapIsAnIndexOfNumberedParts) {
  const auto index = get("/sitemap.xml");
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.headers.at("content-type"), "application/xml; charset=utf-8");
  EXPECT_NE(index.body.find("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"),
            std::string::npos);
  EXPECT_EQ(index.body.find("<urlset"), std::string::npos);
  // 4 fixed URLs + 251 items = 255 URLs: three parts of at most 100.
  EXPECT_EQ(elements(index.body, "loc"),
            (std::vector<std::string>{"https://news.example.org/sitemap-1.xml",
                                      "https://news.example.org/sitemap-2.xml",
                                      "https://news.example.org/sitemap-3.xml"}));
  // Each part's <lastmod>: the newest change on the site (item-249's), in
  // the site's zone.
  const std::string newest = "2018-07-09T14:11:30+02:00";
  EXPECT_EQ(elements(index.body, "lastmod"), (std::vector<std::string>(3, newest)));
}

TEST_F(SitemapIndexServer, PartsListEveryPublicUrlExactlyOnce) {
  std::vector<std::string> listed;
  for (int part = 1; part <= 3; ++part) {
    const auto reply = get("/sitemap-" + std::to_string(part) + ".xml");
    ASSERT_EQ(reply.status, 200) << part;
    EXPECT_EQ(reply.headers.at("content-type"), "application/xml; charset=utf-8");
    EXPECT_NE(reply.body.find("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"),
              std::string::npos);
    const std::vector<std::string> locs = elements(reply.body, "loc");
    EXPECT_LE(locs.size(), 100u) << part;
    EXPECT_GE(locs.size(), 1u) << part;
    // Every <url> has its <lastmod>.
    EXPECT_EQ(elements(reply.body, "lastmod").size(), locs.size()) << part;
    listed.insert(listed.end(), locs.begin(), locs.end());
  }
  ASSERT_EQ(listed.size(), 255u);
  // The fixed pages first, then the items newest first; ties (same second)
  // by the higher id, the later inserted, first.
  EXPECT_EQ(listed[0], "https://news.example.org/");
  EXPECT_EQ(listed[4], "https://news.example.org/news/item-249/");
  EXPECT_EQ(listed[5], "https://news.example.org/news/item-248/");
  EXPECT_EQ(listed.back(), "https://news.example.org/news/archived-item/");
  const std::set<std::string> unique(listed.begin(), listed.end());
  EXPECT_EQ(unique.size(), listed.size());
  const std::vector<std::string> expected = expected_urls();
  EXPECT_EQ(unique, std::set<std::string>(expected.begin(), expected.end()));
}

TEST_F(SitemapIndexServer, PartsAreNumberedWithoutGapsOrLeadingZeros) {
  for (const std::string target :
       {"/sitemap-0.xml", "/sitemap-4.xml", "/sitemap-01.xml", "/sitemap-x.xml", "/sitemap-.xml",
        "/sitemap--1.xml", "/sitemap-1.xml.gz", "/sitemap-50000.xml", "/sitemap-50001.xml",
        "/sitemap-99999999999999999999999.xml", "/sitemap-1.xml/"}) {
    EXPECT_EQ(get(target).status, 404) << target;
  }
  // Parts are the root's: no language prefix serves them.
  EXPECT_EQ(get("/fr/sitemap-1.xml").status, 404);
}

TEST_F(SitemapIndexServer, PartsRevalidateAndCompressAsTheSitemapDoes) {
  for (const std::string target : {"/sitemap.xml", "/sitemap-2.xml"}) {
    const auto first = get(target);
    ASSERT_EQ(first.status, 200) << target;
    ASSERT_TRUE(first.headers.contains("etag")) << target;
    EXPECT_TRUE(first.headers.contains("last-modified")) << target;
    EXPECT_TRUE(first.headers.contains("cache-control")) << target;
    const auto again =
        http_request(server_->port(), "GET", target, {{"If-None-Match", first.headers.at("etag")}});
    EXPECT_EQ(again.status, 304) << target;
    const auto since = http_request(server_->port(), "GET", target,
                                    {{"If-Modified-Since", first.headers.at("last-modified")}});
    EXPECT_EQ(since.status, 304) << target;
  }
  const auto gz =
      http_request(server_->port(), "GET", "/sitemap-1.xml", {{"Accept-Encoding", "gzip"}});
  ASSERT_EQ(gz.status, 200);
  ASSERT_TRUE(gz.headers.contains("content-encoding"));
  EXPECT_EQ(gz.headers.at("content-encoding"), "gzip");
  EXPECT_EQ(gz.body.substr(0, 2), std::string("\x1f\x8b"));
  const auto head = http_request(server_->port(), "HEAD", "/sitemap-3.xml");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
}

TEST_F(SitemapIndexServer, RobotsNamesTheIndex) {
  const auto robots = get("/robots.txt");
  ASSERT_EQ(robots.status, 200);
  EXPECT_NE(robots.body.find("Sitemap: https://news.example.org/sitemap.xml\n"), std::string::npos);
  EXPECT_EQ(robots.body.find("sitemap-"), std::string::npos);
}

TEST_F(SitemapIndexServer, WithTheProtocolsLimitOneSitemapListsTheSameUrls) {
  testing::ServerProcess server({"--config", dir_->path() + "/default.toml", "--db", db_});
  ASSERT_TRUE(server.started());
  const auto whole = http_get(server.port(), "/sitemap.xml");
  ASSERT_EQ(whole.status, 200);
  EXPECT_NE(whole.body.find("<urlset"), std::string::npos);
  EXPECT_EQ(whole.body.find("<sitemapindex"), std::string::npos);
  EXPECT_EQ(http_get(server.port(), "/sitemap-1.xml").status, 404);
  // The parts, joined, are the one sitemap's <url>s in its order.
  std::vector<std::string> joined;
  for (int part = 1; part <= 3; ++part) {
    const std::string body = get("/sitemap-" + std::to_string(part) + ".xml").body;
    const std::vector<std::string> locs = elements(body, "loc");
    joined.insert(joined.end(), locs.begin(), locs.end());
  }
  EXPECT_EQ(elements(whole.body, "loc"), joined);
}

TEST_F(SitemapIndexServer, LimitAboveTheProtocolsIsAConfigurationError) {
  for (const std::string value : {"50001", "0", "-5"}) {
    dir_->write("bad.toml", config("sitemap_urls = " + value + "\n"));
    const testing::RunResult run =
        testing::run_command({testing::newsdesk_binary(), "serve", "--config",
                              dir_->path() + "/bad.toml", "--db", db_, "--listen", "127.0.0.1:0"});
    EXPECT_NE(run.exit_code, 0) << value;
    EXPECT_NE(run.err.find("sitemap_urls"), std::string::npos) << value << ": " << run.err;
  }
}

TEST_F(SitemapIndexServer, ANewItemMovesTheOthersDownAPart) {
  // Its own database: the suite's server must keep its content.
  testing::TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/news.db";
  dir.write("small.toml", config("sitemap_urls = 5\n"));
  auto store = store::open_store(db);
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_TRUE((*store)->migrate());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE((*store)->insert_item(make_item("old-" + std::to_string(i), kJuly + i)));
  }
  testing::ServerProcess server({"--config", dir.path() + "/small.toml", "--db", db});
  ASSERT_TRUE(server.started());
  // home, news, 3 items: one sitemap of 5.
  auto sitemap = http_get(server.port(), "/sitemap.xml");
  ASSERT_EQ(sitemap.status, 200);
  EXPECT_EQ(elements(sitemap.body, "loc").size(), 5u);
  EXPECT_EQ(http_get(server.port(), "/sitemap-1.xml").status, 404);
  ASSERT_TRUE((*store)->insert_item(make_item("new", kJuly + 10)));
  // The server learns of the change (change_watcher) within a moment.
  testing::HttpReply index;
  for (int attempt = 0; attempt < 100; ++attempt) {
    index = http_get(server.port(), "/sitemap.xml");
    if (index.body.find("<sitemapindex") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_NE(index.body.find("<sitemapindex"), std::string::npos) << index.body;
  EXPECT_EQ(elements(index.body, "loc").size(), 2u);
  const auto first = elements(http_get(server.port(), "/sitemap-1.xml").body, "loc");
  const auto second = elements(http_get(server.port(), "/sitemap-2.xml").body, "loc");
  EXPECT_EQ(first, (std::vector<std::string>{
                       "https://news.example.org/", "https://news.example.org/news/",
                       "https://news.example.org/news/new/", "https://news.example.org/news/old-2/",
                       "https://news.example.org/news/old-1/"}));
  EXPECT_EQ(second, (std::vector<std::string>{"https://news.example.org/news/old-0/"}));
}

}  // namespace
}  // namespace newsdesk
