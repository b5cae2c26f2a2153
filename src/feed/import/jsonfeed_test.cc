#include <gtest/gtest.h>

#include "feed/import/parser.h"

namespace newsdesk::feed {
namespace {

constexpr std::string_view kJsonFeed11 = R"json({
  "version": "https://jsonfeed.org/version/1.1",
  "title": "ICMPD  News",
  "home_page_url": "https://example.org/news-centre/",
  "feed_url": "https://example.org/feed.json",
  "description": "NEWS CENTRE",
  "icon": "/icon-512.png",
  "favicon": "/favicon-64.png",
  "language": "en",
  "authors": [{"name": "Press Office"}],
  "items": [
    {
      "id": "news-123",
      "url": "news-detail/press-release-a/",
      "title": "Press Release: A & B",
      "summary": "A < B, plainly.",
      "content_html": "<p onclick=\"x()\">Body <a href=\"/files/a.pdf\">PDF</a></p><script>alert(1)</script>",
      "date_published": "2018-07-04T10:11:30+02:00",
      "date_modified": "2018-07-05T09:00:00+02:00",
      "authors": [{"name": "Jane Doe"}, {"url": "https://example.org/no-name"}],
      "tags": ["Press Release", 7, "Migration"],
      "attachments": [
        {"url": "https://example.org/files/a.pdf", "mime_type": "application/pdf",
         "size_in_bytes": 52341},
        {"mime_type": "application/pdf"}
      ]
    },
    {
      "id": 124,
      "content_text": "First paragraph & more.\n\nSecond <paragraph>."
    }
  ]
})json";

constexpr std::string_view kJsonFeed10 = R"json({
  "version": "https://jsonfeed.org/version/1",
  "title": "Old style",
  "home_page_url": "https://example.org/",
  "author": {"name": "Feed Author"},
  "items": [
    {"id": "1", "title": "With author", "content_text": "x",
     "author": {"name": "Item Author"}},
    {"id": "2", "title": "Without author", "content_text": "y"}
  ]
})json";

TEST(JsonFeedParser, ReadsFeedMetadata) {
  auto feed = parse_feed(kJsonFeed11);
  ASSERT_TRUE(feed) << feed.error().message;
  EXPECT_EQ(feed->format, "json");
  EXPECT_EQ(feed->title, "ICMPD News");
  EXPECT_EQ(feed->link, "https://example.org/news-centre/");
  EXPECT_EQ(feed->description, "NEWS CENTRE");
  EXPECT_EQ(feed->language, "en");
  EXPECT_FALSE(feed->updated);
}

TEST(JsonFeedParser, TakesTheIconAsImage) {
  auto feed = parse_feed(kJsonFeed11);
  ASSERT_TRUE(feed);
  ASSERT_TRUE(feed->image);
  EXPECT_EQ(feed->image->url, "https://example.org/icon-512.png");
}

TEST(JsonFeedParser, ReadsItemFields) {
  auto feed = parse_feed(kJsonFeed11);
  ASSERT_TRUE(feed);
  ASSERT_EQ(feed->items.size(), 2u);
  const ParsedItem& item = feed->items[0];
  EXPECT_EQ(item.guid, "news-123");
  EXPECT_EQ(item.title, "Press Release: A & B");
  EXPECT_EQ(item.link, "https://example.org/news-centre/news-detail/press-release-a/");
  ASSERT_TRUE(item.published);
  EXPECT_EQ(item.published->epoch_seconds, 1530691890);
  EXPECT_EQ(item.published->offset_minutes, 120);
  ASSERT_TRUE(item.updated);
  EXPECT_EQ(item.updated->epoch_seconds, 1530774000);
  EXPECT_EQ(item.authors, std::vector<std::string>{"Jane Doe"});
}

TEST(JsonFeedParser, ReadsStringTagsAsCategories) {
  auto feed = parse_feed(kJsonFeed11);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->items[0].categories, (std::vector<std::string>{"Press Release", "Migration"}));
}

TEST(JsonFeedParser, ReadsAttachmentsWithAUrlAsEnclosures) {
  auto feed = parse_feed(kJsonFeed11);
  ASSERT_TRUE(feed);
  const ParsedItem& item = feed->items[0];
  ASSERT_EQ(item.enclosures.size(), 1u);
  EXPECT_EQ(item.enclosures[0].url, "https://example.org/files/a.pdf");
  EXPECT_EQ(item.enclosures[0].type, "application/pdf");
  EXPECT_EQ(item.enclosures[0].length, 52341);
}

TEST(JsonFeedParser, SanitizesContentHtmlAndResolvesItsLinks) {
  auto feed = parse_feed(kJsonFeed11);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->items[0].content_html,
            R"(<p>Body <a href="https://example.org/files/a.pdf" rel="noopener">PDF</a></p>)");
}

TEST(JsonFeedParser, EscapesThePlainTextSummary) {
  auto feed = parse_feed(kJsonFeed11);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->items[0].summary, "A &lt; B, plainly.");
}

TEST(JsonFeedParser, ConvertsANumericIdToAString) {
  auto feed = parse_feed(kJsonFeed11);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->items[1].guid, "124");
}

TEST(JsonFeedParser, EscapesContentTextIntoParagraphs) {
  auto feed = parse_feed(kJsonFeed11);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->items[1].content_html,
            "<p>First paragraph &amp; more.</p><p>Second &lt;paragraph&gt;.</p>");
}

TEST(JsonFeedParser, ItemWithoutTitleGetsAnEmptyTitle) {
  auto feed = parse_feed(kJsonFeed11);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->items[1].title, "");
}

TEST(JsonFeedParser, ItemWithoutAuthorsHasTheFeedAuthors) {
  auto feed = parse_feed(kJsonFeed11);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->items[1].authors, std::vector<std::string>{"Press Office"});
}

TEST(JsonFeedParser, ReadsVersion1AuthorObjects) {
  auto feed = parse_feed(kJsonFeed10);
  ASSERT_TRUE(feed) << feed.error().message;
  ASSERT_EQ(feed->items.size(), 2u);
  EXPECT_EQ(feed->items[0].authors, std::vector<std::string>{"Item Author"});
  EXPECT_EQ(feed->items[1].authors, std::vector<std::string>{"Feed Author"});
}

TEST(JsonFeedParser, ReadsAfterAByteOrderMarkAndWhitespace) {
  auto feed = parse_feed("\xEF\xBB\xBF \n" + std::string(kJsonFeed10));
  ASSERT_TRUE(feed) << feed.error().message;
  EXPECT_EQ(feed->format, "json");
  EXPECT_EQ(feed->title, "Old style");
}

TEST(JsonFeedParser, RejectsMalformedJson) {
  auto feed = parse_feed(R"({"version": "https://jsonfeed.org/version/1.1", "items": [)");
  ASSERT_FALSE(feed);
  EXPECT_EQ(feed.error().code, ErrorCode::kInvalid);
  EXPECT_TRUE(feed.error().message.starts_with("feed: ")) << feed.error().message;
}

TEST(JsonFeedParser, RejectsAnArray) {
  auto feed = parse_feed("[]");
  ASSERT_FALSE(feed);
  EXPECT_EQ(feed.error().code, ErrorCode::kInvalid);
  EXPECT_TRUE(feed.error().message.starts_with("feed: ")) << feed.error().message;
}

TEST(JsonFeedParser, RejectsAnObjectThatIsNoFeed) {
  auto feed = parse_feed(R"({"a": 1})");
  ASSERT_FALSE(feed);
  EXPECT_EQ(feed.error().code, ErrorCode::kInvalid);
}

TEST(JsonFeedParser, RejectsAnUnknownVersion) {
  auto feed = parse_feed(R"({"version": "https://example.org/v2", "items": []})");
  ASSERT_FALSE(feed);
  EXPECT_EQ(feed.error().code, ErrorCode::kInvalid);
}

TEST(JsonFeedParser, RejectsItemsThatAreNoArray) {
  auto feed = parse_feed(R"({"version": "https://jsonfeed.org/version/1.1", "items": {}})");
  ASSERT_FALSE(feed);
  EXPECT_EQ(feed.error().code, ErrorCode::kInvalid);
}

TEST(JsonFeedParser, EnforcesItemLimit) {
  ParseLimits limits;
  limits.max_items = 1;
  auto feed = parse_feed(kJsonFeed11, "", limits);
  ASSERT_FALSE(feed);
  EXPECT_EQ(feed.error().code, ErrorCode::kInvalid);
}

TEST(JsonFeedParser, EnforcesDepthLimit) {
  ParseLimits limits;
  limits.max_depth = 3;  // items[0].attachments[0] is 4 deep
  auto feed = parse_feed(kJsonFeed11, "", limits);
  ASSERT_FALSE(feed);
  EXPECT_EQ(feed.error().code, ErrorCode::kInvalid);
}

TEST(JsonFeedParser, BracketsInsideStringsDoNotCountAsNesting) {
  ParseLimits limits;
  limits.max_depth = 2;
  auto feed = parse_feed(
      R"({"version": "https://jsonfeed.org/version/1.1", "title": "[[[{{{\"[[[",
          "items": [{"id": "1"}]})",
      "", limits);
  ASSERT_TRUE(feed) << feed.error().message;
  EXPECT_EQ(feed->title, "[[[{{{\"[[[");
}

TEST(JsonFeedParser, EnforcesSizeLimit) {
  ParseLimits limits;
  limits.max_bytes = 10;
  EXPECT_FALSE(parse_feed(kJsonFeed10, "", limits));
}

}  // namespace
}  // namespace newsdesk::feed
