#include "render/structured_data.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace newsdesk::render {
namespace {

using nlohmann::json;

model::Site test_site() {
  model::Site site;
  site.title = "Example & Co";
  site.description = "News of Example";
  site.base_url = "https://example.org/";
  site.language = "en";
  site.time_zone = "Europe/Vienna";
  return site;
}

model::Item test_item() {
  model::Item item;
  item.guid = "urn:uuid:00000000-0000-4000-8000-000000000001";
  item.slug = "hello";
  item.title = "Osh & Bishkek";
  item.teaser = "A teaser.";
  item.status = model::Status::kPublished;
  // 2018-07-04T08:11:30Z, written in UTC: the JSON-LD shows Vienna's +02:00.
  item.published_at = model::DateTime{1530691890, 0};
  item.updated_at = model::DateTime{1530691890 + 3600, 0};
  item.authors = {"Jane Doe", "John Roe"};
  item.categories = {{1, "press-release", "Press Release"}, {2, "statement", "Statement"}};
  return item;
}

// Parses without exceptions; a discarded value when the text is not JSON.
json parse(const std::string& text) { return json::parse(text, nullptr, false); }

json article(const model::Site& site, const model::Item& item) {
  return parse(news_article_json_ld(site, item));
}

TEST(StructuredData, NewsArticleParsesBackWithContextAndType) {
  const json j = article(test_site(), test_item());
  ASSERT_FALSE(j.is_discarded());
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j.value("@context", ""), "https://schema.org");
  EXPECT_EQ(j.value("@type", ""), "NewsArticle");
}

TEST(StructuredData, HeadlineAndDescription) {
  const json j = article(test_site(), test_item());
  EXPECT_EQ(j.value("headline", ""), "Osh & Bishkek");
  EXPECT_EQ(j.value("description", ""), "A teaser.");
}

TEST(StructuredData, NoDescriptionWithoutTeaser) {
  model::Item item = test_item();
  item.teaser.clear();
  EXPECT_FALSE(article(test_site(), item).contains("description"));
}

TEST(StructuredData, HeadlineOf110CharactersIsKept) {
  model::Item item = test_item();
  item.title = std::string(100, 'a') + " bbbbbbbbb";  // 110 characters
  EXPECT_EQ(article(test_site(), item).value("headline", ""), item.title);
}

TEST(StructuredData, LongHeadlineCroppedAtWordBoundary) {
  model::Item item = test_item();
  item.title = std::string(100, 'a') + " bbbbbbbbbb";  // 111 characters
  EXPECT_EQ(article(test_site(), item).value("headline", ""), std::string(100, 'a') + "...");
}

TEST(StructuredData, LongHeadlineCountsCharactersNotBytes) {
  model::Item item = test_item();
  // 60 two-byte letters, a space, 49 more: 110 characters, 219 bytes.
  std::string title;
  for (int i = 0; i < 60; ++i) title += "\xC3\xA9";
  title += " ";
  for (int i = 0; i < 49; ++i) title += "\xC3\xA9";
  item.title = title;
  EXPECT_EQ(article(test_site(), item).value("headline", ""), title);
}

TEST(StructuredData, DatesInSiteTimeZone) {
  const json j = article(test_site(), test_item());
  EXPECT_EQ(j.value("datePublished", ""), "2018-07-04T10:11:30+02:00");
  EXPECT_EQ(j.value("dateModified", ""), "2018-07-04T11:11:30+02:00");
}

TEST(StructuredData, DateModifiedNeverBeforeDatePublished) {
  model::Item item = test_item();
  item.updated_at = model::DateTime{1530691890 - 3600, 0};
  EXPECT_EQ(article(test_site(), item).value("dateModified", ""), "2018-07-04T10:11:30+02:00");
}

TEST(StructuredData, NoDatePublishedWhenUnpublished) {
  model::Item item = test_item();
  item.published_at.reset();
  const json j = article(test_site(), item);
  EXPECT_FALSE(j.contains("datePublished"));
  EXPECT_EQ(j.value("dateModified", ""), "2018-07-04T11:11:30+02:00");
}

TEST(StructuredData, UrlAndMainEntityAreTheCanonicalUrl) {
  model::Site site = test_site();
  site.news_permalink = "/news-centre/news-detail/{slug}/";
  const json j = article(site, test_item());
  EXPECT_EQ(j.value("url", ""), "https://example.org/news-centre/news-detail/hello/");
  ASSERT_TRUE(j.contains("mainEntityOfPage"));
  EXPECT_EQ(j["mainEntityOfPage"].value("@type", ""), "WebPage");
  EXPECT_EQ(j["mainEntityOfPage"].value("@id", ""),
            "https://example.org/news-centre/news-detail/hello/");
}

TEST(StructuredData, ImageOnlyWithLeadImage) {
  EXPECT_FALSE(article(test_site(), test_item()).contains("image"));
  model::Item item = test_item();
  item.lead_image = model::LeadImage{"https://example.org/media/lead.jpg", "A harbour"};
  EXPECT_EQ(article(test_site(), item)["image"],
            json::array({"https://example.org/media/lead.jpg"}));
}

TEST(StructuredData, AuthorsArePersonsInOrder) {
  const json j = article(test_site(), test_item());
  ASSERT_TRUE(j.contains("author"));
  const json expected = json::array(
      {{{"@type", "Person"}, {"name", "Jane Doe"}}, {{"@type", "Person"}, {"name", "John Roe"}}});
  EXPECT_EQ(j["author"], expected);
}

TEST(StructuredData, NoAuthorsMeansTheSiteAsOrganization) {
  model::Item item = test_item();
  item.authors.clear();
  const json j = article(test_site(), item);
  ASSERT_TRUE(j.contains("author"));
  ASSERT_EQ(j["author"].size(), 1u);
  EXPECT_EQ(j["author"][0].value("@type", ""), "Organization");
  EXPECT_EQ(j["author"][0].value("name", ""), "Example & Co");
}

TEST(StructuredData, PublisherIsTheSiteWithLogoWhenSet) {
  const json plain = article(test_site(), test_item());
  EXPECT_EQ(plain["publisher"].value("@type", ""), "Organization");
  EXPECT_EQ(plain["publisher"].value("name", ""), "Example & Co");
  EXPECT_FALSE(plain["publisher"].contains("logo"));

  model::Site site = test_site();
  site.image = model::SiteImage{"https://example.org/logo.png", "Example", site.base_url, 600, 60};
  const json j = article(site, test_item());
  ASSERT_TRUE(j["publisher"].contains("logo"));
  EXPECT_EQ(j["publisher"]["logo"].value("@type", ""), "ImageObject");
  EXPECT_EQ(j["publisher"]["logo"].value("url", ""), "https://example.org/logo.png");
  EXPECT_EQ(j["publisher"]["logo"].value("width", 0), 600);
  EXPECT_EQ(j["publisher"]["logo"].value("height", 0), 60);
}

TEST(StructuredData, InLanguageIsItemsElseSites) {
  EXPECT_EQ(article(test_site(), test_item()).value("inLanguage", ""), "en");
  model::Item item = test_item();
  item.language = "ru-KG";
  EXPECT_EQ(article(test_site(), item).value("inLanguage", ""), "ru-KG");
}

TEST(StructuredData, ArticleSectionIsCategoryNames) {
  EXPECT_EQ(article(test_site(), test_item())["articleSection"],
            json::array({"Press Release", "Statement"}));
  model::Item item = test_item();
  item.categories.clear();
  EXPECT_FALSE(article(test_site(), item).contains("articleSection"));
}

TEST(StructuredData, ScriptBreakingTitleIsNeutralised) {
  model::Item item = test_item();
  item.title = "</script><script>alert(1)</script>";
  item.teaser = "<!-- & -->";
  item.authors = {"</SCRIPT>"};
  const std::string text = news_article_json_ld(test_site(), item);
  EXPECT_EQ(text.find('<'), std::string::npos);
  EXPECT_EQ(text.find('>'), std::string::npos);
  EXPECT_EQ(text.find('&'), std::string::npos);
  EXPECT_NE(text.find("\\u003c/script\\u003e"), std::string::npos);
  // The escapes are JSON: the values read back unchanged.
  const json j = parse(text);
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j.value("headline", ""), "</script><script>alert(1)</script>");
  EXPECT_EQ(j.value("description", ""), "<!-- & -->");
}

TEST(StructuredData, LineSeparatorsAreEscaped) {
  model::Item item = test_item();
  item.title =
      "a\xE2\x80\xA8"
      "b\xE2\x80\xA9"
      "c";
  const std::string text = news_article_json_ld(test_site(), item);
  EXPECT_EQ(text.find("\xE2\x80\xA8"), std::string::npos);
  EXPECT_EQ(text.find("\xE2\x80\xA9"), std::string::npos);
  EXPECT_EQ(parse(text).value("headline", ""), item.title);
}

TEST(StructuredData, InvalidUtf8IsReplacedNotThrown) {
  model::Item item = test_item();
  item.title = "bad \xFF byte";
  const json j = article(test_site(), item);
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j.value("headline", ""), "bad \xEF\xBF\xBD byte");
}

TEST(JsonLd, JsonForScriptLeavesOtherTextAlone) {
  EXPECT_EQ(json_for_script(R"({"a":"b\"c","\u00e9":1})"), R"({"a":"b\"c","\u00e9":1})");
  EXPECT_EQ(json_for_script(R"(["<&>"])"), R"(["\u003c\u0026\u003e"])");
}

TEST(JsonLd, WebsiteHasSearchAction) {
  const json j = parse(website_json_ld(test_site()));
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j.value("@context", ""), "https://schema.org");
  EXPECT_EQ(j.value("@type", ""), "WebSite");
  EXPECT_EQ(j.value("name", ""), "Example & Co");
  EXPECT_EQ(j.value("url", ""), "https://example.org/");
  ASSERT_TRUE(j.contains("potentialAction"));
  const json& action = j["potentialAction"];
  EXPECT_EQ(action.value("@type", ""), "SearchAction");
  ASSERT_TRUE(action.contains("target"));
  EXPECT_EQ(action["target"].value("urlTemplate", ""),
            "https://example.org/search?q={search_term_string}");
  EXPECT_EQ(action.value("query-input", ""), "required name=search_term_string");
}

TEST(JsonLd, WebsiteIsSafeInScript) {
  model::Site site = test_site();
  site.title = "</script>";
  const std::string text = website_json_ld(site);
  EXPECT_EQ(text.find('<'), std::string::npos);
  EXPECT_EQ(parse(text).value("name", ""), "</script>");
}

}  // namespace
}  // namespace newsdesk::render
