#include <gtest/gtest.h>

#include "feed/import/parser.h"

namespace newsdesk::feed {
namespace {

// Atom 1.0 as a news centre publishes it: xml:base on the feed, the entry
// and the content; xhtml content; an enclosure; a feed-level author.
constexpr std::string_view kAtom10 = R"xml(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en" xml:base="https://example.org/">
  <title type="text">ICMPD  News</title>
  <subtitle type="html">NEWS &lt;b&gt;CENTRE&lt;/b&gt;</subtitle>
  <link rel="self" type="application/atom+xml" href="/atom.xml"/>
  <link rel="alternate" type="text/html" href="/news-centre/"/>
  <id>tag:example.org,2018:news</id>
  <updated>2018-07-05T09:00:00+02:00</updated>
  <generator uri="https://example.org/newsdesk" version="0.1">newsdesk</generator>
  <icon>/favicon.ico</icon>
  <logo>/logo.png</logo>
  <author><name>Press Office</name></author>
  <entry xml:base="news-centre/news-detail/">
    <id>tag:example.org,2018:news-123</id>
    <title type="html">Press Release: A &amp;amp; B</title>
    <link href="press-release-a/"/>
    <link rel="enclosure" type="application/pdf" length="52341" href="/files/a.pdf"/>
    <published>2018-07-04T10:11:30+02:00</published>
    <updated>2018-07-05T09:00:00+02:00</updated>
    <author><name>Jane Doe</name></author>
    <category term="press-release" label="Press Release"/>
    <category term="migration"/>
    <summary>A &lt; B, plainly.</summary>
    <content type="xhtml" xml:base="https://cdn.example.org/media/">
      <div xmlns="http://www.w3.org/1999/xhtml">
        <p>Body with <a href="more.html">a link</a><br/>and <img src="pic.png" alt="Pic"/>.</p>
      </div>
    </content>
  </entry>
  <entry>
    <id>tag:example.org,2018:news-124</id>
    <title>Second &amp;amp; last</title>
    <link rel="alternate" href="https://other.example.net/x"/>
    <updated>2018-07-06T00:00:00Z</updated>
    <content type="html">&lt;p onclick="x()"&gt;Hi&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</content>
  </entry>
</feed>)xml";

// Atom 0.3 as Movable Type and Blogger wrote it.
constexpr std::string_view kAtom03 = R"xml(<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#"
      xmlns:dc="http://purl.org/dc/elements/1.1/" xml:lang="de">
  <title mode="escaped" type="text/html">Dive &amp;amp; Mark</title>
  <tagline>News from the centre</tagline>
  <link rel="alternate" type="text/html" href="http://example.org/"/>
  <modified>2004-05-01T12:00:00Z</modified>
  <generator url="http://www.movabletype.org/" version="3.0">Movable Type</generator>
  <entry>
    <title>First entry</title>
    <link rel="alternate" type="text/html" href="http://example.org/2004/05/first"/>
    <id>tag:example.org,2004:1</id>
    <issued>2004-05-01T08:00:00-04:00</issued>
    <modified>2004-05-01T12:00:00Z</modified>
    <author><name>Mark</name></author>
    <dc:subject>Travel</dc:subject>
    <summary type="text/plain">Short &amp; sweet</summary>
    <content type="application/xhtml+xml" mode="xml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hello <em>world</em></p></div></content>
  </entry>
  <entry>
    <title>Second entry</title>
    <id>tag:example.org,2004:2</id>
    <issued>2004-05-02T08:00:00-04:00</issued>
    <content type="text/html" mode="escaped">&lt;p&gt;Escaped &lt;b&gt;HTML&lt;/b&gt;&lt;/p&gt;</content>
  </entry>
</feed>)xml";

TEST(AtomParser, ReadsFeedMetadata) {
  auto feed = parse_feed(kAtom10);
  ASSERT_TRUE(feed) << feed.error().message;
  EXPECT_EQ(feed->format, "atom");
  EXPECT_EQ(feed->title, "ICMPD News");
  EXPECT_EQ(feed->description, "NEWS CENTRE");
  EXPECT_EQ(feed->link, "https://example.org/news-centre/");  // rel=alternate, not self
  EXPECT_EQ(feed->language, "en");
  EXPECT_EQ(feed->generator, "newsdesk");
  ASSERT_TRUE(feed->updated);
  EXPECT_EQ(feed->updated->offset_minutes, 120);
}

TEST(AtomParser, TakesTheLogoAsImage) {
  auto feed = parse_feed(kAtom10);
  ASSERT_TRUE(feed);
  ASSERT_TRUE(feed->image);
  EXPECT_EQ(feed->image->url, "https://example.org/logo.png");
}

TEST(AtomParser, ReadsEntryFields) {
  auto feed = parse_feed(kAtom10);
  ASSERT_TRUE(feed);
  ASSERT_EQ(feed->items.size(), 2u);
  const ParsedItem& item = feed->items[0];
  EXPECT_EQ(item.guid, "tag:example.org,2018:news-123");
  EXPECT_EQ(item.title, "Press Release: A & B");  // type="html": markup and entities decoded
  EXPECT_EQ(item.authors, std::vector<std::string>{"Jane Doe"});
  ASSERT_TRUE(item.published);
  EXPECT_EQ(item.published->epoch_seconds, 1530691890);
  EXPECT_EQ(item.published->offset_minutes, 120);
  ASSERT_TRUE(item.updated);
  EXPECT_EQ(item.updated->epoch_seconds, 1530774000);
}

TEST(AtomParser, TextTitleIsTakenLiterally) {
  auto feed = parse_feed(kAtom10);
  ASSERT_TRUE(feed);
  ASSERT_EQ(feed->items.size(), 2u);
  // type="text" (the default) holds no markup: "&amp;" here is text, as RFC 4287 §3.1.1.1 says.
  EXPECT_EQ(feed->items[1].title, "Second &amp; last");
}

TEST(AtomParser, PrefersCategoryLabelOverTerm) {
  auto feed = parse_feed(kAtom10);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->items[0].categories, (std::vector<std::string>{"Press Release", "migration"}));
}

TEST(AtomParser, ResolvesLinksAgainstXmlBase) {
  auto feed = parse_feed(kAtom10);
  ASSERT_TRUE(feed);
  const ParsedItem& item = feed->items[0];
  EXPECT_EQ(item.link, "https://example.org/news-centre/news-detail/press-release-a/");
  ASSERT_EQ(item.enclosures.size(), 1u);
  EXPECT_EQ(item.enclosures[0].url, "https://example.org/files/a.pdf");
  EXPECT_EQ(item.enclosures[0].type, "application/pdf");
  EXPECT_EQ(item.enclosures[0].length, 52341);
}

TEST(AtomParser, SerialisesXhtmlContentResolvedAgainstItsXmlBase) {
  auto feed = parse_feed(kAtom10);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->items[0].content_html,
            "<p>Body with <a href=\"https://cdn.example.org/media/more.html\" rel=\"noopener\">a "
            "link</a><br>and <img src=\"https://cdn.example.org/media/pic.png\" alt=\"Pic\">.</p>");
}

TEST(AtomParser, EscapesTextSummary) {
  auto feed = parse_feed(kAtom10);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->items[0].summary, "A &lt; B, plainly.");
}

TEST(AtomParser, SanitizesScriptAwayFromContent) {
  auto feed = parse_feed(kAtom10);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->items[1].content_html, "<p>Hi</p>");
}

TEST(AtomParser, EntryWithoutAuthorHasTheFeedAuthors) {
  auto feed = parse_feed(kAtom10);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->items[1].authors, std::vector<std::string>{"Press Office"});
}

TEST(AtomParser, EntryWithoutPublishedHasNoPublishedDate) {
  auto feed = parse_feed(kAtom10);
  ASSERT_TRUE(feed);
  EXPECT_FALSE(feed->items[1].published);
  EXPECT_TRUE(feed->items[1].updated);
}

TEST(AtomParser, ResolvesAgainstTheGivenBaseUrlWithoutXmlBase) {
  auto feed = parse_feed(R"(<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<entry><id>1</id><title>One</title><link href="/news/one/"/>
<content type="html">&lt;a href="two/"&gt;two&lt;/a&gt;</content></entry></feed>)",
                         "https://news.example.com/blog/");
  ASSERT_TRUE(feed) << feed.error().message;
  ASSERT_EQ(feed->items.size(), 1u);
  EXPECT_EQ(feed->items[0].link, "https://news.example.com/news/one/");
  EXPECT_EQ(feed->items[0].content_html,
            R"(<a href="https://news.example.com/blog/two/" rel="noopener">two</a>)");
}

TEST(AtomParser, IgnoresOutOfLineContent) {
  auto feed = parse_feed(R"(<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<entry><id>1</id><title>Video</title>
<content type="video/mp4" src="https://example.org/v.mp4"/></entry></feed>)");
  ASSERT_TRUE(feed) << feed.error().message;
  ASSERT_EQ(feed->items.size(), 1u);
  EXPECT_EQ(feed->items[0].content_html, "");
}

TEST(AtomParser, ReadsAtom03FeedMetadata) {
  auto feed = parse_feed(kAtom03);
  ASSERT_TRUE(feed) << feed.error().message;
  EXPECT_EQ(feed->format, "atom");
  EXPECT_EQ(feed->title, "Dive & Mark");  // mode="escaped" type="text/html"
  EXPECT_EQ(feed->description, "News from the centre");
  EXPECT_EQ(feed->link, "http://example.org/");
  EXPECT_EQ(feed->language, "de");
  EXPECT_EQ(feed->generator, "Movable Type");
  ASSERT_TRUE(feed->updated);
  EXPECT_EQ(feed->updated->epoch_seconds, 1083412800);
}

TEST(AtomParser, ReadsAtom03IssuedAndModified) {
  auto feed = parse_feed(kAtom03);
  ASSERT_TRUE(feed);
  ASSERT_EQ(feed->items.size(), 2u);
  const ParsedItem& item = feed->items[0];
  ASSERT_TRUE(item.published);
  EXPECT_EQ(item.published->epoch_seconds, 1083412800);
  EXPECT_EQ(item.published->offset_minutes, -240);
  ASSERT_TRUE(item.updated);
  EXPECT_EQ(item.updated->offset_minutes, 0);
}

TEST(AtomParser, ReadsAtom03EntryFields) {
  auto feed = parse_feed(kAtom03);
  ASSERT_TRUE(feed);
  const ParsedItem& item = feed->items[0];
  EXPECT_EQ(item.guid, "tag:example.org,2004:1");
  EXPECT_EQ(item.title, "First entry");
  EXPECT_EQ(item.link, "http://example.org/2004/05/first");
  EXPECT_EQ(item.authors, std::vector<std::string>{"Mark"});
  EXPECT_EQ(item.categories, std::vector<std::string>{"Travel"});
  EXPECT_EQ(item.summary, "Short &amp; sweet");
}

TEST(AtomParser, ReadsAtom03InlineXmlContent) {
  auto feed = parse_feed(kAtom03);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->items[0].content_html, "<p>Hello <em>world</em></p>");
}

TEST(AtomParser, ReadsAtom03EscapedContent) {
  auto feed = parse_feed(kAtom03);
  ASSERT_TRUE(feed);
  ASSERT_EQ(feed->items.size(), 2u);
  EXPECT_EQ(feed->items[1].content_html, "<p>Escaped <b>HTML</b></p>");
}

TEST(AtomParser, NeverExpandsEntitiesFromADtd) {
  auto feed = parse_feed(R"(<?xml version="1.0"?>
<!DOCTYPE feed [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T&b;&xxe;</title>
<entry><id>1</id><title>E&b;</title>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>x&xxe;</p></div></content>
</entry></feed>)");
  ASSERT_TRUE(feed) << feed.error().message;
  EXPECT_EQ(feed->title, "T");
  ASSERT_EQ(feed->items.size(), 1u);
  EXPECT_EQ(feed->items[0].title, "E");
  EXPECT_EQ(feed->items[0].content_html, "<p>x</p>");
}

TEST(AtomParser, RecoversIllFormedXml) {
  auto feed = parse_feed(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>"
      "<entry><id>1</id><title>One</title></entry>"
      "<entry><id>2</id><title>Two &nbsp; <b>bold</title></entry>");
  ASSERT_TRUE(feed) << feed.error().message;
  ASSERT_GE(feed->items.size(), 1u);
  EXPECT_EQ(feed->items[0].title, "One");
}

TEST(AtomParser, EnforcesItemLimit) {
  ParseLimits limits;
  limits.max_items = 1;
  auto feed = parse_feed(kAtom10, "", limits);
  ASSERT_FALSE(feed);
  EXPECT_EQ(feed.error().code, ErrorCode::kInvalid);
}

TEST(AtomParser, EnforcesDepthLimit) {
  ParseLimits limits;
  limits.max_depth = 3;
  auto feed = parse_feed(kAtom10, "", limits);  // entry/content/div/p/a is 5 deep
  ASSERT_FALSE(feed);
  EXPECT_EQ(feed.error().code, ErrorCode::kInvalid);
}

TEST(AtomParser, AuthorWithoutNameInheritsNothing) {
  auto feed = parse_feed(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A</title><author><name>F</name></author>"
      "<entry><id>1</id><title>E</title><author><email>x@e.org</email></author></entry>"
      "<entry><id>2</id><title>E</title></entry></feed>");
  ASSERT_TRUE(feed) << feed.error().message;
  EXPECT_TRUE(feed->items[0].authors.empty());
  EXPECT_EQ(feed->items[1].authors, std::vector<std::string>{"F"});
}

}  // namespace
}  // namespace newsdesk::feed
