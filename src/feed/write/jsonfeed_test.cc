#include "feed/write/jsonfeed.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace newsdesk::feed {
namespace {

using nlohmann::json;

model::Site test_site() {
  model::Site site;
  site.title = "Example & Co";
  site.description = "NEWS";
  site.base_url = "https://example.org/";
  site.time_zone = "Europe/Vienna";
  return site;
}

FeedInfo test_info(const model::Site& site) {
  FeedInfo info = site_feed_info(site, {});
  info.self_url = "https://example.org/feed.json";
  return info;
}

model::Item test_item() {
  model::Item item;
  item.guid = "urn:uuid:00000000-0000-4000-8000-000000000001";
  item.slug = "hello";
  item.title = "Osh & Bishkek \"news\"";
  item.teaser = "A teaser...";
  item.body_html = "<p>Body</p>";
  item.status = model::Status::kPublished;
  item.published_at = model::DateTime{1530691890, 120};
  item.updated_at = *item.published_at;
  return item;
}

json write(const model::Site& site, const FeedInfo& info, const std::vector<model::Item>& items) {
  return json::parse(write_json_feed(site, info, items));
}

json write(const std::vector<model::Item>& items) {
  const model::Site site = test_site();
  return write(site, test_info(site), items);
}

json first_item(const std::vector<model::Item>& items) { return write(items)["items"][0]; }

TEST(JsonFeedWriter, TopLevelDescribesTheFeed) {
  const json feed = write({});
  EXPECT_EQ(feed["version"], "https://jsonfeed.org/version/1.1");
  EXPECT_EQ(feed["title"], "Example & Co");
  EXPECT_EQ(feed["home_page_url"], "https://example.org/");
  EXPECT_EQ(feed["feed_url"], "https://example.org/feed.json");
  EXPECT_EQ(feed["description"], "NEWS");
  EXPECT_EQ(feed["language"], "en");
  EXPECT_EQ(feed["authors"],
            json::parse(R"([{"name": "Example & Co", "url": "https://example.org/"}])"));
}

TEST(JsonFeedWriter, VersionComesFirst) {
  const model::Site site = test_site();
  EXPECT_TRUE(write_json_feed(site, test_info(site), {})
                  .starts_with(R"({"version":"https://jsonfeed.org/version/1.1",)"));
}

TEST(JsonFeedWriter, IsCompactWithATrailingNewline) {
  const model::Site site = test_site();
  const std::string out = write_json_feed(site, test_info(site), {test_item()});
  ASSERT_TRUE(out.ends_with("}\n"));
  EXPECT_EQ(out.find('\n'), out.size() - 1);
}

TEST(JsonFeedWriter, EmptyFeedHasAnEmptyItemsArray) {
  const json feed = write({});
  ASSERT_TRUE(feed["items"].is_array());
  EXPECT_TRUE(feed["items"].empty());
}

TEST(JsonFeedWriter, EscapesStrings) {
  const model::Site site = test_site();
  const std::string out = write_json_feed(site, test_info(site), {test_item()});
  EXPECT_NE(out.find(R"("title":"Osh & Bishkek \"news\"")"), std::string::npos);
  EXPECT_EQ(first_item({test_item()})["title"], "Osh & Bishkek \"news\"");
}

TEST(JsonFeedWriter, ItemIdIsTheGuidAndUrlThePermalink) {
  const json item = first_item({test_item()});
  EXPECT_EQ(item["id"], "urn:uuid:00000000-0000-4000-8000-000000000001");
  EXPECT_EQ(item["url"], "https://example.org/news/hello/");
}

TEST(JsonFeedWriter, FullTextFeedCarriesContentHtmlAndSummary) {
  const json item = first_item({test_item()});
  EXPECT_EQ(item["content_html"], "<p>Body</p>");
  EXPECT_FALSE(item.contains("content_text"));
  EXPECT_EQ(item["summary"], "A teaser...");
}

TEST(JsonFeedWriter, TeaserOnlyFeedCarriesTheTeaserAsContentText) {
  const model::Site site = test_site();
  FeedInfo info = test_info(site);
  info.full_text = false;
  const json item = write(site, info, {test_item()})["items"][0];
  EXPECT_FALSE(item.contains("content_html"));
  EXPECT_EQ(item["content_text"], "A teaser...");
}

TEST(JsonFeedWriter, EmptyBodyFallsBackToContentText) {
  model::Item item = test_item();
  item.body_html.clear();
  item.teaser.clear();
  const json j = first_item({item});
  EXPECT_EQ(j["content_text"], "");
  EXPECT_FALSE(j.contains("content_html"));
  EXPECT_FALSE(j.contains("summary"));
}

TEST(JsonFeedWriter, DatesKeepTheItemsOffset) {
  model::Item item = test_item();
  item.updated_at = model::DateTime{1530778290, -300};
  const json j = first_item({item});
  EXPECT_EQ(j["date_published"], "2018-07-04T10:11:30+02:00");
  EXPECT_EQ(j["date_modified"], "2018-07-05T03:11:30-05:00");
}

TEST(JsonFeedWriter, DateModifiedIsNeverBeforePublished) {
  model::Item item = test_item();
  item.updated_at = model::DateTime{1530000000, 0};
  EXPECT_EQ(first_item({item})["date_modified"], "2018-07-04T10:11:30+02:00");
}

TEST(JsonFeedWriter, UnpublishedItemHasNoDatePublished) {
  model::Item item = test_item();
  item.published_at.reset();
  EXPECT_FALSE(first_item({item}).contains("date_published"));
}

TEST(JsonFeedWriter, TagsAreCategoryNames) {
  model::Item item = test_item();
  item.categories.push_back({1, "press-release", "Press Release"});
  item.categories.push_back({2, "expert-voice", "Expert Voice"});
  EXPECT_EQ(first_item({item})["tags"], json::parse(R"(["Press Release", "Expert Voice"])"));
}

TEST(JsonFeedWriter, NoTagsWithoutCategories) {
  EXPECT_FALSE(first_item({test_item()}).contains("tags"));
}

TEST(JsonFeedWriter, AttachmentsCarryTypeTitleAndKnownSize) {
  model::Item item = test_item();
  item.attachments.push_back({0, "https://example.org/a.pdf", "a.pdf", "application/pdf", 1234});
  item.attachments.push_back({0, "https://example.org/b.pdf", "b.pdf", "application/pdf", 0});
  EXPECT_EQ(first_item({item})["attachments"], json::parse(R"([
    {"url": "https://example.org/a.pdf", "mime_type": "application/pdf", "title": "a.pdf",
     "size_in_bytes": 1234},
    {"url": "https://example.org/b.pdf", "mime_type": "application/pdf", "title": "b.pdf"}])"));
}

TEST(JsonFeedWriter, AttachmentWithoutMediaTypeIsLeftOut) {
  model::Item item = test_item();
  item.attachments.push_back({0, "https://example.org/a.bin", "a.bin", "", 10});
  EXPECT_FALSE(first_item({item}).contains("attachments"));
}

TEST(JsonFeedWriter, ItemLanguageOnlyWhenItDiffersFromTheSite) {
  model::Item french = test_item();
  french.language = "fr";
  model::Item english = test_item();
  english.language = "en";
  const json items = write({french, english})["items"];
  EXPECT_EQ(items[0]["language"], "fr");
  EXPECT_FALSE(items[1].contains("language"));
}

TEST(JsonFeedWriter, HubsOnlyWhenSet) {
  const model::Site site = test_site();
  FeedInfo info = test_info(site);
  EXPECT_FALSE(write(site, info, {}).contains("hubs"));
  info.hub_url = "https://hub.example.net/";
  EXPECT_EQ(write(site, info, {})["hubs"],
            json::parse(R"([{"type": "WebSub", "url": "https://hub.example.net/"}])"));
}

TEST(JsonFeedWriter, OlderItemsAreTheNextUrl) {
  const model::Site site = test_site();
  FeedInfo info = test_info(site);
  EXPECT_FALSE(write(site, info, {}).contains("next_url"));
  info.prev_archive_url = "https://example.org/archive/2018/06/feed.json";
  EXPECT_EQ(write(site, info, {})["next_url"], "https://example.org/archive/2018/06/feed.json");
}

TEST(JsonFeedWriter, ArchivePageIsNotExpired) {
  const model::Site site = test_site();
  FeedInfo info = test_info(site);
  info.is_archive = true;
  info.current_url = "https://example.org/feed.json";
  EXPECT_FALSE(write(site, info, {}).contains("expired"));
}

TEST(JsonFeedWriter, FaviconFromTheSiteImage) {
  model::Site site = test_site();
  EXPECT_FALSE(write(site, test_info(site), {}).contains("favicon"));
  site.image =
      model::SiteImage{"https://example.org/icon.gif", "Example", "https://example.org/", 18, 16};
  const json feed = write(site, test_info(site), {});
  EXPECT_EQ(feed["favicon"], "https://example.org/icon.gif");
  EXPECT_FALSE(feed.contains("icon"));
}

TEST(JsonFeedWriter, InvalidUtf8IsReplacedNotThrown) {
  model::Item item = test_item();
  item.title = "caf\xE9 \xFF";
  const model::Site site = test_site();
  std::string out;
  ASSERT_NO_THROW(out = write_json_feed(site, test_info(site), {item}));
  EXPECT_EQ(json::parse(out)["items"][0]["title"], "caf\xEF\xBF\xBD \xEF\xBF\xBD");
}

TEST(JsonFeedWriter, ItemAuthorsAreListed) {
  model::Item item = test_item();
  item.authors = {"Jane Doe", "Max Mustermann"};
  const json got = first_item({item});
  ASSERT_TRUE(got.contains("authors"));
  EXPECT_EQ(got["authors"], json::parse(R"([{"name":"Jane Doe"},{"name":"Max Mustermann"}])"));
  EXPECT_FALSE(first_item({test_item()}).contains("authors"));
}

// The writer builds no JSON tree; what it writes must still be exactly what
// nlohmann writes (compact, UTF-8 as it is, the same escapes) for the same
// document, with every member in its place, whatever the strings hold.
TEST(JsonFeedWriter, WritesWhatNlohmannWritesForTheSameDocument) {
  using namespace std::string_literals;
  const std::vector<std::string> hostile = {
      "",
      "plain",
      "quote \" backslash \\ slash /",
      "controls \x01\x02\x1f\x7f \b\f\n\r\t end",
      "nul \0 inside"s,
      "caf\xC3\xA9 \xE2\x80\xA8 \xF0\x9F\x93\xB0 \xD9\x85\xD8\xB1",
      "bad \xFF \xC3 \xED\xA0\x80 \xF4\x90\x80\x80 \xC0\xAF end",
      "<p>Body with <a href=\"https://example.org/?a=1&b=2\">a link</a></p>\n<p>\u00A0</p>",
  };
  model::Site site = test_site();
  site.language = "en";
  site.image = model::SiteImage{"https://example.org/icon.png", "Icon", site.base_url, 16, 16};
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    const std::string& text = hostile[i];
    model::Item item = test_item();
    item.title = text;
    item.teaser = text;
    item.body_html = text.empty() ? "<p>x</p>" : text;
    item.authors = {text, "Jane"};
    item.language = "fr";
    item.categories = {model::Category{1, "news", text}, model::Category{2, "b", "B"}};
    item.attachments = {model::Attachment{}, model::Attachment{}};
    item.attachments[0].url = "https://example.org/a.pdf";
    item.attachments[0].media_type = "application/pdf";
    item.attachments[0].name = text;
    item.attachments[0].length = 123456789012;
    item.attachments[1].url = "https://example.org/untyped";
    FeedInfo info = test_info(site);
    info.description = text;
    info.prev_archive_url = "https://example.org/feed.json?page=2";
    info.hub_url = "https://hub.example/";
    for (bool full : {true, false}) {
      info.full_text = full;
      const std::string out = write_json_feed(site, info, {item, test_item()});
      ASSERT_TRUE(out.ends_with("}\n"));
      const auto doc = nlohmann::ordered_json::parse(out);
      EXPECT_EQ(doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n",
                out)
          << "string " << i;
    }
  }
}

}  // namespace
}  // namespace newsdesk::feed
