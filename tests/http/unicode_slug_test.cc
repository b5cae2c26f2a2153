// Unicode slugs ([site] unicode_slugs = true) against a real `newsdesk
// serve`: an item made through the API, and one imported with the CLI, get
// a Cyrillic slug; its page answers at the percent-encoded URL, which every
// URL the site writes (API, feeds, sitemap, page links) carries. A site
// without the key still transliterates.

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/process.h"

namespace newsdesk {
namespace {

using nlohmann::json;
using testing::http_get;
using testing::http_request;
using testing::run_command;

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// "Пресс-релиз: новый проект" -> "пресс-релиз-новый-проект", as URLs carry it.
constexpr const char* kTitle = "Пресс-релиз: новый проект";
constexpr const char* kSlug = "пресс-релиз-новый-проект";
constexpr const char* kEncoded =
    "%D0%BF%D1%80%D0%B5%D1%81%D1%81-%D1%80%D0%B5%D0%BB%D0%B8%D0%B7-%D0%BD%D0%BE%D0%B2%D1%8B%D0%B9-"
    "%D0%BF%D1%80%D0%BE%D0%B5%D0%BA%D1%82";

// An old site's feed whose item link ends in a percent-encoded Cyrillic slug.
constexpr const char* kImportFeed = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Старый сайт</title><link>https://old.example.org/</link>
<description>d</description>
<item><title>Заявление для прессы</title>
<link>https://old.example.org/novosti/%D0%B7%D0%B0%D1%8F%D0%B2%D0%BB%D0%B5%D0%BD%D0%B8%D0%B5/</link>
<guid>urn:test:statement</guid><description>Текст заявления.</description>
<pubDate>Tue, 03 Jul 2018 10:00:00 +0200</pubDate></item>
</channel></rss>
)";

// A site served by its own process, with users made by the real CLI.
class SiteUnderTest {
 public:
  explicit SiteUnderTest(const std::string& config_text) {
    db_ = "sqlite:" + dir_.path() + "/news.db";
    config_ = dir_.path() + "/newsdesk.toml";
    write_file(config_, config_text);
    auto added = run_command({testing::newsdesk_binary(), "user", "add", "edna", "--role", "editor",
                              "--db", db_, "--config", config_});
    EXPECT_EQ(added.exit_code, 0) << added.err;
    auto created = run_command(
        {testing::newsdesk_binary(), "token", "create", "edna", "--db", db_, "--config", config_});
    EXPECT_EQ(created.exit_code, 0) << created.err;
    token_ = testing::last_word(created.out);
  }

  testing::RunResult import(const std::string& feed_text) {
    const std::string feed = dir_.path() + "/old.xml";
    write_file(feed, feed_text);
    return run_command(
        {testing::newsdesk_binary(), "import", feed, "--db", db_, "--config", config_});
  }

  void start() {
    server_ = std::make_unique<testing::ServerProcess>(
        std::vector<std::string>{"--config", config_, "--db", db_});
  }
  bool started() const { return server_ && server_->started(); }
  unsigned short port() const { return server_->port(); }

  testing::HttpReply post(const json& body) {
    return http_request(
        port(), "POST", "/api/v1/news",
        {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token_}}, body.dump());
  }

 private:
  testing::TempDir dir_;
  std::string db_;
  std::string config_;
  std::string token_;
  std::unique_ptr<testing::ServerProcess> server_;
};

class UnicodeSlugs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    site_ = new SiteUnderTest(R"toml([site]
title = "Новости"
base_url = "https://news.example.org/"
language = "ru"
unicode_slugs = true
)toml");
    auto imported = site_->import(kImportFeed);
    EXPECT_EQ(imported.exit_code, 0) << imported.err;
    site_->start();
    ASSERT_TRUE(site_->started());
  }
  static void TearDownTestSuite() {
    delete site_;
    site_ = nullptr;
  }

  static SiteUnderTest* site_;
};

SiteUnderTest* UnicodeSlugs::site_ = nullptr;

TEST_F(UnicodeSlugs, ApiItemGetsCyrillicSlugAnsweringAtTheEncodedUrl) {
  const auto reply = site_->post(
      {{"title", kTitle}, {"body_markdown", "Текст **пресс-релиза**."}, {"status", "published"}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  const json item = json::parse(reply.body);
  EXPECT_EQ(item["slug"], kSlug);
  const std::string path = std::string("/news/") + kEncoded + "/";
  EXPECT_EQ(item["url"], "https://news.example.org" + path);

  const auto page = http_get(site_->port(), path);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("<strong>пресс-релиза</strong>"), std::string::npos);
  // The page's own links (canonical) carry the encoded form, never raw UTF-8.
  EXPECT_NE(page.body.find(kEncoded), std::string::npos);
  EXPECT_EQ(page.body.find(std::string("/news/") + kSlug), std::string::npos);
  // Lower-case hex is the same address.
  std::string lower = path;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(http_get(site_->port(), lower).status, 200);

  const auto rss = http_get(site_->port(), "/rss.xml");
  EXPECT_NE(rss.body.find("<link>https://news.example.org" + path + "</link>"), std::string::npos)
      << rss.body;
  const auto feed = json::parse(http_get(site_->port(), "/feed.json").body, nullptr, false);
  ASSERT_TRUE(feed.is_object());
  bool found = false;
  for (const json& i : feed["items"]) found = found || i["url"] == item["url"];
  EXPECT_TRUE(found) << feed.dump();
  EXPECT_NE(http_get(site_->port(), "/sitemap.xml").body.find(path), std::string::npos);
}

TEST_F(UnicodeSlugs, SameTitleGetsANumberedSlug) {
  const json body = {{"title", "Δελτίο Τύπου"}, {"body_markdown", "x"}, {"status", "published"}};
  const auto first = site_->post(body);
  const auto second = site_->post(body);
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(json::parse(first.body)["slug"], "δελτίο-τύπου");
  EXPECT_EQ(json::parse(second.body)["slug"], "δελτίο-τύπου-2");
  EXPECT_EQ(http_get(site_->port(),
                     "/news/%CE%B4%CE%B5%CE%BB%CF%84%CE%AF%CE%BF-"
                     "%CF%84%CF%8D%CF%80%CE%BF%CF%85-2/")
                .status,
            200);
}

TEST_F(UnicodeSlugs, LongTitleIsCutOnACharacter) {
  std::string title;
  for (int i = 0; i < 60; ++i) title += "新";
  const auto reply = site_->post({{"title", title}, {"body_markdown", "x"}, {"status", "draft"}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  const std::string slug = json::parse(reply.body)["slug"];
  std::string expected;
  for (int i = 0; i < 33; ++i) expected += "新";  // 99 bytes: a 34th would need 102
  EXPECT_EQ(slug, expected);
}

TEST_F(UnicodeSlugs, GivenSlugIsCheckedAsUnicode) {
  const auto ok = site_->post({{"title", "Другое"},
                               {"slug", "новости-2018"},
                               {"body_markdown", "x"},
                               {"status", "published"}});
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(json::parse(ok.body)["slug"], "новости-2018");
  EXPECT_EQ(
      http_get(site_->port(), "/news/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8-2018/").status,
      200);
  for (const char* bad : {"Новости", "новости/2018", "новости 2018", "новости--2018", "новости?"}) {
    const auto reply = site_->post(
        {{"title", "Плохо"}, {"slug", bad}, {"body_markdown", "x"}, {"status", "draft"}});
    EXPECT_EQ(reply.status, 400) << bad << ": " << reply.body;
  }
}

TEST_F(UnicodeSlugs, ImportedItemKeepsTheOldSitesCyrillicSlug) {
  const std::string path = "/news/%D0%B7%D0%B0%D1%8F%D0%B2%D0%BB%D0%B5%D0%BD%D0%B8%D0%B5/";
  const auto page = http_get(site_->port(), path);
  EXPECT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("Заявление для прессы"), std::string::npos);
  // The old address sends the reader on to the new, encoded one.
  const auto old =
      http_get(site_->port(), "/novosti/%D0%B7%D0%B0%D1%8F%D0%B2%D0%BB%D0%B5%D0%BD%D0%B8%D0%B5/");
  EXPECT_EQ(old.status, 301);
  EXPECT_EQ(old.headers.count("location") ? old.headers.at("location") : "", path);
}

TEST_F(UnicodeSlugs, MalformedOrSlashEncodingFindsNothing) {
  EXPECT_EQ(http_get(site_->port(), "/news/%D0%BF%2F%D1%80/").status, 404);
  EXPECT_EQ(http_get(site_->port(), "/news/%FF%FE/").status, 404);
  EXPECT_EQ(http_get(site_->port(), "/news/%D0/").status, 404);
  EXPECT_EQ(http_get(site_->port(), "/news/%zz/").status, 404);
}

TEST(AsciiSlugs, DefaultSiteStillTransliterates) {
  SiteUnderTest site(R"toml([site]
title = "News"
base_url = "https://news.example.org/"
)toml");
  site.start();
  ASSERT_TRUE(site.started());
  const auto reply =
      site.post({{"title", kTitle}, {"body_markdown", "x"}, {"status", "published"}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  const json item = json::parse(reply.body);
  const std::string slug = item["slug"];
  EXPECT_TRUE(slug.starts_with("press-reliz-")) << slug;
  EXPECT_EQ(item["url"], "https://news.example.org/news/" + slug + "/");
  EXPECT_EQ(http_get(site.port(), "/news/" + slug + "/").status, 200);
  EXPECT_EQ(http_get(site.port(), std::string("/news/") + kEncoded + "/").status, 404);
  // A Unicode slug is not one here.
  const auto unicode =
      site.post({{"title", "x"}, {"slug", "новости"}, {"body_markdown", "x"}, {"status", "draft"}});
  EXPECT_EQ(unicode.status, 400) << unicode.body;
}

}  // namespace
}  // namespace newsdesk
