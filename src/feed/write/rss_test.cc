#include "feed/write/rss.h"

#include <gtest/gtest.h>

namespace newsdesk::feed {
namespace {

model::Site test_site() {
  model::Site site;
  site.title = "Example & Co";
  site.description = "NEWS";
  site.base_url = "https://example.org/";
  site.time_zone = "Europe/Vienna";
  return site;
}

model::Item test_item() {
  model::Item item;
  item.guid = "urn:uuid:00000000-0000-4000-8000-000000000001";
  item.slug = "hello";
  item.title = "Osh & Bishkek <news>";
  item.teaser = "A teaser...";
  item.body_html = "<p>Body ]]> here</p>";
  item.status = model::Status::kPublished;
  item.published_at = model::DateTime{1530691890, 120};
  item.updated_at = *item.published_at;
  return item;
}

TEST(RssWriter, EscapesAmpersandInTitle) {
  const std::string xml = write_rss(test_site(), site_feed_info(test_site(), {}), {test_item()});
  EXPECT_NE(xml.find("<title>Example &amp; Co</title>"), std::string::npos);
  EXPECT_NE(xml.find("<title>Osh &amp; Bishkek &lt;news&gt;</title>"), std::string::npos);
}

TEST(RssWriter, GuidIsNotAPermalink) {
  const std::string xml = write_rss(test_site(), site_feed_info(test_site(), {}), {test_item()});
  EXPECT_NE(
      xml.find("<guid isPermaLink=\"false\">urn:uuid:00000000-0000-4000-8000-000000000001</guid>"),
      std::string::npos);
}

TEST(RssWriter, BodyInCdataThatCannotBreakOut) {
  const std::string xml = write_rss(test_site(), site_feed_info(test_site(), {}), {test_item()});
  EXPECT_NE(
      xml.find("<content:encoded><![CDATA[<p>Body ]]]]><![CDATA[> here</p>]]></content:encoded>"),
      std::string::npos);
}

TEST(RssWriter, PubDateKeepsItsOffset) {
  const std::string xml = write_rss(test_site(), site_feed_info(test_site(), {}), {test_item()});
  EXPECT_NE(xml.find("<pubDate>Wed, 04 Jul 2018 10:11:30 +0200</pubDate>"), std::string::npos);
}

TEST(RssWriter, LastBuildDateInSiteZoneAndOnlyWhenKnown) {
  const std::string none = write_rss(test_site(), site_feed_info(test_site(), {}), {});
  EXPECT_EQ(none.find("lastBuildDate"), std::string::npos);
  // 2018-01-15T12:00:00Z is winter in Vienna: +0100.
  const std::string xml =
      write_rss(test_site(), site_feed_info(test_site(), model::DateTime{1516017600, 0}), {});
  EXPECT_NE(xml.find("<lastBuildDate>Mon, 15 Jan 2018 13:00:00 +0100</lastBuildDate>"),
            std::string::npos);
}

TEST(RssWriter, SelfLinkAndItemLinkAreAbsolute) {
  model::Site site = test_site();
  site.news_permalink = "/news-centre/news-detail/{slug}/";
  const std::string xml = write_rss(site, site_feed_info(site, {}), {test_item()});
  EXPECT_NE(xml.find("<atom:link href=\"https://example.org/rss.xml\" rel=\"self\" "
                     "type=\"application/rss+xml\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("<link>https://example.org/news-centre/news-detail/hello/</link>"),
            std::string::npos);
}

TEST(RssWriter, OneEnclosureWithLengthAndType) {
  model::Item item = test_item();
  item.attachments.push_back({0, "https://example.org/a.pdf", "a.pdf", "application/pdf", 0});
  item.attachments.push_back({0, "https://example.org/b.pdf", "b.pdf", "application/pdf", 1234});
  item.attachments.push_back({0, "https://example.org/c.pdf", "c.pdf", "application/pdf", 99});
  const std::string xml = write_rss(test_site(), site_feed_info(test_site(), {}), {item});
  EXPECT_NE(xml.find("<enclosure url=\"https://example.org/b.pdf\" length=\"1234\" "
                     "type=\"application/pdf\"/>"),
            std::string::npos);
  EXPECT_EQ(xml.find("a.pdf"), std::string::npos);
  EXPECT_EQ(xml.find("c.pdf"), std::string::npos);
}

TEST(RssWriter, CategoriesCarryTheirDomain) {
  model::Item item = test_item();
  item.categories.push_back({1, "press-release", "Press Release"});
  const std::string xml = write_rss(test_site(), site_feed_info(test_site(), {}), {item});
  EXPECT_NE(xml.find("<category domain=\"https://example.org/category/press-release/\">Press "
                     "Release</category>"),
            std::string::npos);
}

TEST(RssWriter, AuthorNamesGoInDcCreator) {
  model::Item item = test_item();
  item.authors = {"Jane Doe", "Max Mustermann"};
  const std::string xml = write_rss(test_site(), site_feed_info(test_site(), {}), {item});
  EXPECT_NE(xml.find("xmlns:dc=\"http://purl.org/dc/elements/1.1/\""), std::string::npos);
  EXPECT_NE(
      xml.find("<dc:creator>Jane Doe</dc:creator>\n      <dc:creator>Max Mustermann</dc:creator>"),
      std::string::npos);
  EXPECT_EQ(xml.find("<author>"), std::string::npos);
}

TEST(RssWriter, TeaserOnlyFeedsLeaveTheBodyOut) {
  FeedInfo info = site_feed_info(test_site(), {});
  info.full_text = false;
  const std::string xml = write_rss(test_site(), info, {test_item()});
  EXPECT_EQ(xml.find("content:encoded>"), std::string::npos);
  EXPECT_NE(xml.find("<description>A teaser...</description>"), std::string::npos);
}

TEST(RssWriter, AdvertisesHubStylesheetAndArchives) {
  FeedInfo info = site_feed_info(test_site(), {});
  info.hub_url = "https://hub.example.org/";
  info.stylesheet_url = "/feed.xsl";
  info.is_archive = true;
  info.current_url = "https://example.org/rss.xml";
  info.prev_archive_url = "https://example.org/feed-archive/1/rss.xml";
  const std::string xml = write_rss(test_site(), info, {});
  EXPECT_NE(xml.find("<?xml-stylesheet type=\"text/xsl\" href=\"/feed.xsl\"?>"), std::string::npos);
  EXPECT_NE(xml.find("<atom:link href=\"https://hub.example.org/\" rel=\"hub\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("rel=\"prev-archive\""), std::string::npos);
  EXPECT_NE(xml.find("rel=\"current\""), std::string::npos);
  EXPECT_NE(xml.find("<fh:archive/>"), std::string::npos);
}

}  // namespace
}  // namespace newsdesk::feed
