#include "feed/import/parser.h"

#include <gtest/gtest.h>

namespace newsdesk::feed {
namespace {

constexpr std::string_view kMinimal = R"xml(<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Site &amp; Co</title><link>https://example.org/</link><description>D</description>
<language>en</language>
<lastBuildDate>Wed, 04 Jul 2018 10:11:30 +0200</lastBuildDate>
<item>
  <title>A &amp;amp; B</title>
  <link>/news/a/</link>
  <description>&lt;p&gt;Teaser&lt;/p&gt;</description>
  <content:encoded><![CDATA[<p onclick="x()">Body</p><script>alert(1)</script>]]></content:encoded>
  <guid isPermaLink="false">id-1</guid>
  <pubDate>Wed, 04 Jul 2018 10:11:30 +0200</pubDate>
  <dc:creator>Jane Doe</dc:creator>
  <category>Press</category>
  <enclosure url="https://example.org/a.pdf" length="1234" type="application/pdf"/>
</item>
</channel>
</rss>)xml";

TEST(RssParser, ReadsChannel) {
  auto feed = parse_feed(kMinimal);
  ASSERT_TRUE(feed) << feed.error().message;
  EXPECT_EQ(feed->format, "rss");
  EXPECT_EQ(feed->title, "Site & Co");
  EXPECT_EQ(feed->link, "https://example.org/");
  EXPECT_EQ(feed->language, "en");
  ASSERT_TRUE(feed->updated);
  EXPECT_EQ(feed->updated->offset_minutes, 120);
}

TEST(RssParser, ReadsItemFields) {
  auto feed = parse_feed(kMinimal);
  ASSERT_TRUE(feed);
  ASSERT_EQ(feed->items.size(), 1u);
  const ParsedItem& item = feed->items[0];
  EXPECT_EQ(item.title, "A & B");  // double-escaped entity decoded to plain text
  EXPECT_EQ(item.link, "https://example.org/news/a/");  // resolved against the channel link
  EXPECT_EQ(item.guid, "id-1");
  EXPECT_EQ(item.summary, "<p>Teaser</p>");
  EXPECT_EQ(item.authors, std::vector<std::string>{"Jane Doe"});
  EXPECT_EQ(item.categories, std::vector<std::string>{"Press"});
  ASSERT_EQ(item.enclosures.size(), 1u);
  EXPECT_EQ(item.enclosures[0].length, 1234);
  ASSERT_TRUE(item.published);
  EXPECT_EQ(item.published->epoch_seconds, 1530691890);
}

TEST(RssParser, SanitizesContent) {
  auto feed = parse_feed(kMinimal);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->items[0].content_html, "<p>Body</p>");
}

TEST(RssParser, RejectsWhatIsNoFeed) {
  auto html = parse_feed("<html><body>x</body></html>");
  ASSERT_FALSE(html);
  EXPECT_EQ(html.error().code, ErrorCode::kInvalid);
  EXPECT_FALSE(parse_feed(""));
  EXPECT_FALSE(parse_feed("plain text"));
}

TEST(RssParser, RecoversIllFormedXml) {
  auto feed = parse_feed(
      "<rss version=\"2.0\"><channel><title>T</title><item><title>One</title></item>"
      "<item><title>Two &nbsp; <b>bold</title></item>");
  ASSERT_TRUE(feed) << feed.error().message;
  ASSERT_GE(feed->items.size(), 1u);
  EXPECT_EQ(feed->items[0].title, "One");
}

TEST(RssParser, NeverExpandsEntitiesFromADtd) {
  // A "billion laughs" bomb: the entity must not be substituted.
  auto feed = parse_feed(R"(<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<rss version="2.0"><channel><title>T&c;&xxe;</title></channel></rss>)");
  ASSERT_TRUE(feed) << feed.error().message;
  EXPECT_EQ(feed->title, "T");
}

TEST(RssParser, EnforcesSizeAndItemLimits) {
  ParseLimits limits;
  limits.max_bytes = 10;
  EXPECT_FALSE(parse_feed(kMinimal, "", limits));
  limits = ParseLimits{};
  limits.max_items = 0;
  EXPECT_FALSE(parse_feed(kMinimal, "", limits));
}

TEST(RssParser, DryRunJsonHasTheDesignShape) {
  auto feed = parse_feed(kMinimal);
  ASSERT_TRUE(feed);
  const std::string json = to_json(*feed);
  EXPECT_TRUE(json.starts_with(R"({"feed":{"title":"Site & Co","link":"https://example.org/",)"))
      << json;
  EXPECT_NE(json.find(R"("published":"2018-07-04T10:11:30+02:00")"), std::string::npos);
  EXPECT_NE(
      json.find(
          R"("enclosures":[{"url":"https://example.org/a.pdf","type":"application/pdf","length":1234}])"),
      std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("image":null)"), std::string::npos);
}

TEST(FeedParser, RejectsWhitespaceOnly) {
  auto feed = parse_feed("\xEF\xBB\xBF \n\t");
  ASSERT_FALSE(feed);
  EXPECT_EQ(feed.error().message, "feed: empty input");
}

TEST(FeedParser, RejectsFeedElementInAnUnknownNamespace) {
  auto feed = parse_feed(R"(<feed xmlns="http://example.org/not-atom"><title>T</title></feed>)");
  ASSERT_FALSE(feed);
  EXPECT_EQ(feed.error().code, ErrorCode::kInvalid);
}

TEST(FeedParser, ReadsFeedElementWithoutNamespaceAsAtom) {
  auto feed = parse_feed("<feed><title>T</title><entry><id>1</id><title>E</title></entry></feed>");
  ASSERT_TRUE(feed) << feed.error().message;
  EXPECT_EQ(feed->format, "atom");
  ASSERT_EQ(feed->items.size(), 1u);
  EXPECT_EQ(feed->items[0].title, "E");
}

TEST(FeedParser, ReadsRssAfterAByteOrderMark) {
  auto feed = parse_feed("\xEF\xBB\xBF" + std::string(kMinimal));
  ASSERT_TRUE(feed) << feed.error().message;
  EXPECT_EQ(feed->format, "rss");
}

// Found by the corpus (tests/feed/corpus): libxml2's recovery dropped a bare
// '&' and undeclared HTML entities together with the text around them.
TEST(RssParser, KeepsBareAmpersandsAndHtmlEntities) {
  auto feed = parse_feed(
      "<rss version=\"2.0\"><channel><title>T</title><item><title>Q&A &eacute; &amp; x</title>"
      "<link>https://example.org/?a=1&b=2</link></item></channel></rss>");
  ASSERT_TRUE(feed) << feed.error().message;
  ASSERT_EQ(feed->items.size(), 1u);
  EXPECT_EQ(feed->items[0].title, "Q&A \xC3\xA9 & x");
  EXPECT_EQ(feed->items[0].link, "https://example.org/?a=1&b=2");
}

TEST(RssParser, LeavesAmpersandsInCdataAlone) {
  auto feed = parse_feed(
      "<rss version=\"2.0\"><channel><title>T</title><item><title>a & b</title>"
      "<description><![CDATA[x &amp; y]]></description></item></channel></rss>");
  ASSERT_TRUE(feed) << feed.error().message;
  EXPECT_EQ(feed->items[0].summary, "x &amp; y");
}

TEST(RssParser, DoesNotExpandDeclaredEntitiesAfterRepair) {
  auto feed = parse_feed(
      "<!DOCTYPE rss [<!ENTITY x \"boom\">]><rss version=\"2.0\"><channel><title>T</title>"
      "<item><title>A & &x;</title></item></channel></rss>");
  ASSERT_TRUE(feed) << feed.error().message;
  EXPECT_EQ(feed->items[0].title, "A &");
}

TEST(RssParser, RefusesNestingPastLibxml2Limit) {
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "<x>";
  auto feed = parse_feed("<rss version=\"2.0\"><channel><title>T</title><item><title>D</title>" +
                         deep + "</item></channel></rss>");
  ASSERT_FALSE(feed);
  EXPECT_NE(feed.error().message.find("nested too deeply"), std::string::npos);
}

TEST(RssParser, ReadsImageBesideChannelInRdf) {
  auto feed = parse_feed(
      "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
      "xmlns=\"http://purl.org/rss/1.0/\"><channel><title>T</title>"
      "<image rdf:resource=\"https://example.org/i.png\"/></channel>"
      "<image><url>https://example.org/i.png</url><title>I</title></image></rdf:RDF>");
  ASSERT_TRUE(feed) << feed.error().message;
  ASSERT_TRUE(feed->image);
  EXPECT_EQ(feed->image->url, "https://example.org/i.png");
}

TEST(RssParser, ResolvesAgainstXmlBase) {
  auto feed = parse_feed(
      "<rss version=\"2.0\"><channel xml:base=\"https://example.org/news/\"><title>T</title>"
      "<link>https://example.org/</link><item><link>a.html</link></item></channel></rss>");
  ASSERT_TRUE(feed) << feed.error().message;
  EXPECT_EQ(feed->items[0].link, "https://example.org/news/a.html");
}

TEST(RssParser, ReadsMediaContentAsEnclosureOnce) {
  auto feed = parse_feed(
      "<rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\"><channel><title>T</title>"
      "<item><enclosure url=\"https://e.org/a.mp3\" type=\"audio/mpeg\" length=\"1\"/>"
      "<media:content url=\"https://e.org/a.mp3\"/>"
      "<media:group><media:content url=\"https://e.org/b.ogg\" type=\"audio/ogg\" fileSize=\"7\"/>"
      "</media:group></item></channel></rss>");
  ASSERT_TRUE(feed) << feed.error().message;
  ASSERT_EQ(feed->items[0].enclosures.size(), 2u);
  EXPECT_EQ(feed->items[0].enclosures[1].url, "https://e.org/b.ogg");
  EXPECT_EQ(feed->items[0].enclosures[1].length, 7);
}

TEST(RssParser, TrimsContentAroundCdata) {
  auto feed = parse_feed(
      "<rss version=\"2.0\"><channel><title>T</title><item>"
      "<description><![CDATA[\n<p>x</p>\n]]></description></item></channel></rss>");
  ASSERT_TRUE(feed) << feed.error().message;
  EXPECT_EQ(feed->items[0].summary, "<p>x</p>");
}

}  // namespace
}  // namespace newsdesk::feed
