// A site in three languages over HTTP from a real `newsdesk serve`: each
// language's pages and feeds under its prefix, items at their own
// language's address, hreflang alternates, the switcher, the sitemap, and
// search within a language.

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "feed/feed_validation.h"
#include "store/store.h"
#include "support/process.h"

namespace newsdesk {
namespace {

using testing::http_get;

constexpr std::int64_t kJuly10 = 1531210290;  // 2018-07-10T10:11:30+02:00

class Languages : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = dir_.path() + "/newsdesk.toml";
    std::ofstream(config_) << R"([site]
title = "Newsroom"
base_url = "https://news.example.org/"
language = "en"
languages = ["en", "fr", "ar"]
time_zone = "Europe/Vienna"
)";
    const std::string db = "sqlite:" + dir_.path() + "/news.db";
    {
      auto store = store::open_store(db);
      ASSERT_TRUE(store) << store.error().message;
      ASSERT_TRUE((*store)->migrate());
      const std::int64_t original = add(**store, "annual-report", "en", "Annual report 2018",
                                        "The annual report on migration governance.", 0, 0);
      add(**store, "rapport-annuel", "fr", "Rapport annuel 2018",
          "Le rapport annuel sur la gouvernance des migrations.", original, 60);
      add(**store, "altaqrir-alsanawi", "ar", "التقرير السنوي 2018",
          "التقرير السنوي عن حوكمة الهجرة.", original, 120);
      add(**store, "english-only", "en", "Only in English", "A statement in English only.", 0, 180);
    }
    server_ = std::make_unique<testing::ServerProcess>(
        std::vector<std::string>{"--config", config_, "--db", db});
    ASSERT_TRUE(server_->started());
  }

  static std::int64_t add(store::Store& store, const std::string& slug, const std::string& language,
                          const std::string& title, const std::string& body,
                          std::int64_t translation_of, std::int64_t later) {
    model::Item item;
    item.guid = "urn:uuid:" + slug;
    item.slug = slug;
    item.title = title;
    item.teaser = body;
    item.body_html = "<p>" + body + "</p>";
    item.language = language;
    item.status = model::Status::kPublished;
    item.published_at = model::DateTime{kJuly10 + later, 120};
    item.updated_at = model::DateTime{kJuly10 + later, 120};
    item.categories = {model::Category{0, "press-release", "Press Release"}};
    item.translation_of = translation_of;
    auto id = store.insert_item(item);
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }

  std::string get_ok(const std::string& path) {
    const auto reply = http_get(server_->port(), path);
    EXPECT_EQ(reply.status, 200) << path;
    return reply.body;
  }

  static bool has(const std::string& body, const std::string& needle) {
    return body.find(needle) != std::string::npos;
  }

  testing::TempDir dir_;
  std::string config_;
  std::unique_ptr<testing::ServerProcess> server_;
};

TEST_F(Languages, EachLanguageListsItsOwnItems) {
  const std::string en = get_ok("/");
  EXPECT_TRUE(has(en, "<html lang=\"en\" dir=\"ltr\">"));
  EXPECT_TRUE(has(en, "Annual report 2018"));
  EXPECT_TRUE(has(en, "Only in English"));
  EXPECT_FALSE(has(en, "Rapport annuel"));
  const std::string fr = get_ok("/fr/");
  EXPECT_TRUE(has(fr, "<html lang=\"fr\" dir=\"ltr\">"));
  EXPECT_TRUE(has(fr, "Rapport annuel 2018"));
  EXPECT_TRUE(has(fr, "href=\"/fr/news/rapport-annuel/\""));
  EXPECT_FALSE(has(fr, "Annual report"));
  const std::string ar = get_ok("/ar/news/");
  EXPECT_TRUE(has(ar, "<html lang=\"ar\" dir=\"rtl\">"));
  EXPECT_TRUE(has(ar, "التقرير السنوي 2018"));
  EXPECT_FALSE(has(ar, "Rapport annuel"));
  // Navigation stays inside the language.
  EXPECT_TRUE(has(fr, "href=\"/fr/category/press-release/\""));
  EXPECT_TRUE(has(fr, "action=\"/fr/search\""));
  EXPECT_TRUE(has(fr, "href=\"/fr/archive/\""));
  const std::string category = get_ok("/fr/category/press-release/");
  EXPECT_TRUE(has(category, "Rapport annuel 2018"));
  EXPECT_FALSE(has(category, "Annual report"));
}

TEST_F(Languages, TheThemeSpeaksThePagesLanguage) {
  std::ifstream in(testing::source_dir() + "/themes/default/i18n/fr.json");
  ASSERT_TRUE(in);
  const auto fr_words = nlohmann::json::parse(in);
  ASSERT_TRUE(fr_words.contains("all_news"));
  const std::string all_news = fr_words["all_news"].get<std::string>();
  EXPECT_TRUE(has(get_ok("/fr/"), all_news));
  EXPECT_FALSE(has(get_ok("/"), all_news));
}

TEST_F(Languages, AnItemLivesAtItsOwnLanguagesAddress) {
  EXPECT_TRUE(has(get_ok("/fr/news/rapport-annuel/"), "Rapport annuel 2018"));
  testing::HttpReply wrong = http_get(server_->port(), "/news/rapport-annuel/");
  EXPECT_EQ(wrong.status, 301);
  EXPECT_EQ(wrong.headers.at("location"), "/fr/news/rapport-annuel/");
  wrong = http_get(server_->port(), "/fr/news/annual-report/");
  EXPECT_EQ(wrong.status, 301);
  EXPECT_EQ(wrong.headers.at("location"), "/news/annual-report/");
  const auto bare = http_get(server_->port(), "/fr");
  EXPECT_EQ(bare.status, 301);
  EXPECT_EQ(bare.headers.at("location"), "/fr/");
  EXPECT_EQ(http_get(server_->port(), "/fr/news/no-such-item/").status, 404);
  EXPECT_EQ(http_get(server_->port(), "/de/").status, 404);  // not served
  // What only the root serves is not repeated under a prefix.
  EXPECT_EQ(http_get(server_->port(), "/fr/sitemap.xml").status, 404);
}

TEST_F(Languages, PagesNameTheirTranslationsWithHreflang) {
  const std::string en = get_ok("/news/annual-report/");
  EXPECT_TRUE(has(en,
                  "<link rel=\"alternate\" hreflang=\"en\" "
                  "href=\"https://news.example.org/news/annual-report/\">"));
  EXPECT_TRUE(has(en,
                  "<link rel=\"alternate\" hreflang=\"fr\" "
                  "href=\"https://news.example.org/fr/news/rapport-annuel/\">"));
  EXPECT_TRUE(has(en,
                  "<link rel=\"alternate\" hreflang=\"ar\" "
                  "href=\"https://news.example.org/ar/news/altaqrir-alsanawi/\">"));
  EXPECT_TRUE(
      has(en, "hreflang=\"x-default\" href=\"https://news.example.org/news/annual-report/\""));
  // The same from the translation's side.
  const std::string fr = get_ok("/fr/news/rapport-annuel/");
  EXPECT_TRUE(has(fr,
                  "<link rel=\"alternate\" hreflang=\"en\" "
                  "href=\"https://news.example.org/news/annual-report/\">"));
  // An item without translations has none, and its switcher leads to the
  // other languages' home pages.
  const std::string alone = get_ok("/news/english-only/");
  EXPECT_FALSE(has(alone, "<link rel=\"alternate\" hreflang="));
  EXPECT_TRUE(has(alone, "href=\"/fr/\" hreflang=\"fr\""));
  // The switcher on a translated item goes to the translation.
  EXPECT_TRUE(has(en, "href=\"/fr/news/rapport-annuel/\" hreflang=\"fr\""));
  // Listings have their equivalents in every language.
  const std::string list = get_ok("/fr/news/");
  EXPECT_TRUE(has(list, "hreflang=\"ar\" href=\"https://news.example.org/ar/news/\""));
  EXPECT_TRUE(has(list, "hreflang=\"en\" href=\"https://news.example.org/news/\""));
}

TEST_F(Languages, EachLanguageHasItsOwnValidFeeds) {
  const std::string rss = get_ok("/fr/rss.xml");
  EXPECT_EQ(testing::rss_errors(rss), "");
  EXPECT_TRUE(has(rss, "<language>fr</language>"));
  EXPECT_TRUE(has(rss, "https://news.example.org/fr/news/rapport-annuel/"));
  EXPECT_TRUE(has(rss, "href=\"https://news.example.org/fr/rss.xml\" rel=\"self\""));
  EXPECT_FALSE(has(rss, "Annual report"));
  const std::string atom = get_ok("/ar/atom.xml");
  EXPECT_EQ(testing::atom_schema_errors(atom), "");
  EXPECT_TRUE(has(atom, "xml:lang=\"ar\""));
  EXPECT_TRUE(has(atom, "التقرير السنوي 2018"));
  const std::string json = get_ok("/fr/feed.json");
  EXPECT_EQ(testing::json_feed_errors(json), "");
  EXPECT_EQ(nlohmann::json::parse(json)["language"], "fr");
  const std::string category = get_ok("/fr/category/press-release/atom.xml");
  EXPECT_EQ(testing::atom_schema_errors(category), "");
  EXPECT_TRUE(has(category, "Rapport annuel 2018"));
  EXPECT_FALSE(has(category, "Annual report"));
  const std::string root = get_ok("/rss.xml");
  EXPECT_TRUE(has(root, "<language>en</language>"));
  EXPECT_FALSE(has(root, "Rapport annuel"));
  // Autodiscovery points to the page's language.
  const std::string fr_home = get_ok("/fr/");
  EXPECT_TRUE(has(fr_home, "href=\"/fr/rss.xml\""));
  EXPECT_FALSE(has(fr_home, "href=\"/rss.xml\""));
}

TEST_F(Languages, TheSitemapListsEveryLanguageWithAlternates) {
  const std::string sitemap = get_ok("/sitemap.xml");
  EXPECT_TRUE(has(sitemap, "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
  EXPECT_TRUE(has(sitemap, "<loc>https://news.example.org/fr/news/rapport-annuel/</loc>"));
  EXPECT_TRUE(has(sitemap, "<loc>https://news.example.org/ar/</loc>"));
  EXPECT_TRUE(has(sitemap,
                  "<xhtml:link rel=\"alternate\" hreflang=\"fr\" "
                  "href=\"https://news.example.org/fr/news/rapport-annuel/\"/>"));
  // One alternate per member for each of the three translated pages.
  std::size_t count = 0;
  for (std::size_t at =
           sitemap.find("hreflang=\"ar\" href=\"https://news.example.org/ar/news/altaqrir");
       at != std::string::npos;
       at = sitemap.find("hreflang=\"ar\" href=\"https://news.example.org/ar/news/altaqrir",
                         at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 3u);
}

TEST_F(Languages, SearchStaysInTheLanguage) {
  const std::string fr = get_ok("/fr/search?q=rapport");
  EXPECT_TRUE(has(fr, "/fr/news/rapport-annuel/"));
  const std::string en = get_ok("/search?q=rapport");
  EXPECT_FALSE(has(en, "rapport-annuel"));
  EXPECT_TRUE(has(get_ok("/search?q=governance"), "/news/annual-report/"));
}

}  // namespace
}  // namespace newsdesk
