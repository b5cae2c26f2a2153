#include "render/structured_data.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/permalink.h"
#include "text/date.h"
#include "text/teaser.h"

namespace newsdesk::render {
namespace {

using nlohmann::json;
using namespace std::string_literals;

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

// The writers as they were, building an nlohmann::ordered_json tree: what
// the direct writers must give byte for byte.
namespace reference {

using Json = nlohmann::ordered_json;

std::string site_date(const model::Site& site, const model::DateTime& t) {
  auto zoned = text::in_time_zone(site.time_zone, t.epoch_seconds);
  return text::format_rfc3339(zoned ? *zoned : t);
}

std::string headline(std::string_view title) {
  std::size_t n = 0;
  for (char c : title) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  if (n <= kMaxHeadlineLength) return std::string(title);
  return text::crop_teaser(title, kMaxHeadlineLength - 3);
}

Json organization(const model::Site& site, bool with_logo) {
  Json org = Json::object();
  org["@type"] = "Organization";
  org["name"] = site.title;
  org["url"] = site.base_url;
  if (with_logo && site.image && !site.image->url.empty()) {
    Json logo = Json::object();
    logo["@type"] = "ImageObject";
    logo["url"] = site.image->url;
    if (site.image->width > 0) logo["width"] = site.image->width;
    if (site.image->height > 0) logo["height"] = site.image->height;
    org["logo"] = std::move(logo);
  }
  return org;
}

std::string dump_for_script(const Json& j) {
  return json_for_script(j.dump(-1, ' ', false, Json::error_handler_t::replace));
}

std::string news_article_json_ld(const model::Site& site, const model::Item& item) {
  const std::string url = model::item_url(site, item);
  Json j = Json::object();
  j["@context"] = "https://schema.org";
  j["@type"] = "NewsArticle";
  j["headline"] = headline(item.title);
  if (!item.teaser.empty()) j["description"] = item.teaser;
  if (item.published_at) j["datePublished"] = site_date(site, *item.published_at);
  const model::DateTime& modified =
      item.published_at && model::earlier(item.updated_at, *item.published_at) ? *item.published_at
                                                                               : item.updated_at;
  j["dateModified"] = site_date(site, modified);
  j["mainEntityOfPage"] = Json{{"@type", "WebPage"}, {"@id", url}};
  j["url"] = url;
  if (item.lead_image && !item.lead_image->url.empty())
    j["image"] = Json::array({item.lead_image->url});
  Json authors = Json::array();
  for (const std::string& name : item.authors) {
    authors.push_back(Json{{"@type", "Person"}, {"name", name}});
  }
  if (authors.empty()) authors.push_back(organization(site, /*with_logo=*/false));
  j["author"] = std::move(authors);
  j["publisher"] = organization(site, /*with_logo=*/true);
  const std::string& language = item.language.empty() ? site.language : item.language;
  if (!language.empty()) j["inLanguage"] = language;
  if (!item.categories.empty()) {
    Json sections = Json::array();
    for (const model::Category& category : item.categories) sections.push_back(category.name);
    j["articleSection"] = std::move(sections);
  }
  return dump_for_script(j);
}

std::string website_json_ld(const model::Site& site) {
  Json j = Json::object();
  j["@context"] = "https://schema.org";
  j["@type"] = "WebSite";
  j["name"] = site.title;
  j["url"] = site.base_url;
  if (!site.description.empty()) j["description"] = site.description;
  if (!site.language.empty()) j["inLanguage"] = site.language;
  Json target = Json::object();
  target["@type"] = "EntryPoint";
  std::string search = model::view_path(site, model::search_path(""));
  search += "{search_term_string}";
  target["urlTemplate"] = model::absolute_url(site.base_url, search);
  Json action = Json::object();
  action["@type"] = "SearchAction";
  action["target"] = std::move(target);
  action["query-input"] = "required name=search_term_string";
  j["potentialAction"] = std::move(action);
  return dump_for_script(j);
}

}  // namespace reference

// Strings that have broken JSON writers: invalid and cut-short UTF-8,
// controls, what closes a script element, line separators, quotes and
// backslashes, long text.
std::vector<std::string> hostile_strings() {
  std::vector<std::string> out = {
      "",
      "plain",
      "Osh & Bishkek",
      "quote \" backslash \\ slash /",
      "controls \x01\x02\x1f\x7f \b\f\n\r\t end",
      "nul \0 inside"s,
      "</script><script>alert(1)</script><!-- -->",
      "caf\xC3\xA9 \xE2\x80\xA8 \xE2\x80\xA9 \xF0\x9F\x93\xB0 \xD9\x85\xD8\xB1",
      "bad \xFF \xC3 \xED\xA0\x80 \xF4\x90\x80\x80 \xC0\xAF end",
      "cut short \xE2\x80",
      "\xE2\xE2\x80\xA8<\xC3",
  };
  std::string long_title;
  for (int i = 0; i < 30; ++i) long_title += "word\xC3\xA9 & <b> ";
  out.push_back(long_title);
  out.push_back(std::string(105, 'a') + " \xE2\x80\xA8 tail & more words after the cut");
  out.push_back(std::string(120, 'x') + "\xFF");
  return out;
}

TEST(StructuredData, WritesWhatTheJsonTreeWroteForHostileItems) {
  const std::vector<std::string> hostile = hostile_strings();
  int checked = 0;
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    const std::string& text = hostile[i];
    const std::string& other = hostile[(i * 7 + 3) % hostile.size()];
    for (int variant = 0; variant < 8; ++variant) {
      model::Site site = test_site();
      if (variant & 1) site.title = text;
      if (variant & 2) {
        site.image = model::SiteImage{"https://example.org/logo.png?a=1&b=<2>", "Logo",
                                      site.base_url, variant & 4 ? 600 : 0, variant & 4 ? 0 : 60};
      }
      if (variant == 7) site.image->url.clear();
      if (variant == 5) site.language.clear();
      if (variant == 6) site.time_zone = "America/St_Johns";
      if (variant == 3) site.news_permalink = "/news-centre/news-detail/{slug}/";
      site.description = other;

      model::Item item = test_item();
      item.title = text;
      item.teaser = variant & 4 ? other : text;
      if (variant & 1) item.authors.clear();
      if (variant & 2) item.authors = {text, other, "Jane"};
      if (variant == 4) item.published_at.reset();
      if (variant == 5) item.updated_at = model::DateTime{1530691890 - 86400, 0};
      if (variant & 2) item.lead_image = model::LeadImage{"https://example.org/x.jpg?<&>", other};
      if (variant == 6) item.lead_image = model::LeadImage{"", "no url"};
      if (variant & 4) item.categories.clear();
      if (variant == 2) item.categories = {{1, "a", text}, {2, "b", other}, {3, "c", ""}};
      if (variant == 3) item.language = text;
      if (variant == 7) item.slug = "ein-\xC3\xA4-slug";
      EXPECT_EQ(news_article_json_ld(site, item), reference::news_article_json_ld(site, item))
          << "string " << i << ", variant " << variant;
      EXPECT_EQ(website_json_ld(site), reference::website_json_ld(site))
          << "string " << i << ", variant " << variant;
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(hostile.size()) * 8);
}

}  // namespace
}  // namespace newsdesk::render
