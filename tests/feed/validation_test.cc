// The three feed writers against the validators of feed_validation.h, and
// the validators against broken documents, so a validator that accepts
// everything cannot pass unnoticed.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "feed/feed_validation.h"
#include "feed/write/atom.h"
#include "feed/write/jsonfeed.h"
#include "feed/write/rss.h"
#include "model/permalink.h"

namespace newsdesk::testing {
namespace {

model::Site icmpd_site() {
  model::Site site;
  site.title = "www.icmpd.org";
  site.description = "NEWS CENTRE";
  site.base_url = "https://www.icmpd.org/";
  site.language = "en";
  site.time_zone = "Europe/Vienna";
  site.image = model::SiteImage{"https://www.icmpd.org/fileadmin/icon.gif", "www.icmpd.org",
                                "https://www.icmpd.org/", 18, 16};
  site.news_permalink = "/news-centre/news-detail/{slug}/";
  site.websub_hub = "https://hub.example.net/";
  return site;
}

// Items like the news centre's: a press release with a PDF and two
// categories, project news in another language whose last edit predates its
// scheduled publication, and a statement without teaser, body or dates of
// publication.
std::vector<model::Item> news_items() {
  model::Item release;
  release.authors = {"Press Office", "Jane Doe"};
  release.guid = "urn:uuid:6f1c1a52-8d3e-4b7a-9a51-2f4c6e0b9d11";
  release.slug = "press-release-icmpd-and-partners-launch-migration-dialogue";
  release.title = "Press Release: ICMPD & Partners Launch \"Migration Dialogue\" <2018>";
  release.teaser = "Vienna, 4 July 2018 – The International Centre for Migration Policy...";
  release.body_html =
      "<p>Vienna, 4 July 2018 – The <strong>International Centre</strong> &amp; its "
      "partners…</p><ul><li>One</li><li>Two ]]&gt; three</li></ul>"
      "<p><a href=\"https://www.icmpd.org/files/1/release.pdf\">Download Press Release "
      "here</a></p>";
  release.status = model::Status::kPublished;
  release.published_at = model::DateTime{1530691890, 120};
  release.updated_at = model::DateTime{1530702000, 120};
  release.categories = {{1, "press-release", "Press Release"},
                        {2, "europe", "Europe & Central Asia"}};
  release.attachments = {
      {1, "https://www.icmpd.org/files/1/release.pdf", "release.pdf", "application/pdf", 183211},
      {2, "https://www.icmpd.org/files/2/photo.jpg", "photo.jpg", "image/jpeg", 0}};

  model::Item news;
  news.guid = "urn:uuid:0b6c2f0e-5a7d-4c1e-8f3a-7d2b9e4c1a22";
  news.slug = "project-news-dialogue-en-afrique";
  news.title = "Project News: Dialogue en Afrique";
  news.teaser = "Le dialogue…";
  news.body_html = "<p>Le dialogue continue à Dakar.</p>";
  news.language = "fr";
  news.status = model::Status::kPublished;
  news.published_at = model::DateTime{1530864000, 0};
  news.updated_at = model::DateTime{1530000000, 60};

  model::Item statement;
  statement.guid = "urn:uuid:c2d4e6f8-1a3b-4c5d-8e7f-9a0b1c2d3e44";
  statement.slug = "statement";
  statement.title = "Statement";
  statement.status = model::Status::kPublished;
  statement.updated_at = model::DateTime{1530000000, 0};
  return {release, news, statement};
}

feed::FeedInfo info_for(const model::Site& site, std::string_view file) {
  feed::FeedInfo info = feed::site_feed_info(site, model::DateTime{1530864000, 0});
  info.self_url = model::absolute_url(site.base_url, file);
  return info;
}

feed::FeedInfo archive_info(const model::Site& site, std::string_view file) {
  feed::FeedInfo info = info_for(site, std::string("archive/2018/06/") + std::string(file));
  info.is_archive = true;
  info.current_url = model::absolute_url(site.base_url, file);
  info.prev_archive_url =
      model::absolute_url(site.base_url, std::string("archive/2018/05/") + std::string(file));
  info.next_archive_url =
      model::absolute_url(site.base_url, std::string("archive/2018/07/") + std::string(file));
  return info;
}

std::string atom_feed() {
  const model::Site site = icmpd_site();
  return feed::write_atom(site, info_for(site, "atom.xml"), news_items());
}

std::string rss_feed() {
  const model::Site site = icmpd_site();
  return feed::write_rss(site, info_for(site, "rss.xml"), news_items());
}

std::string json_feed() {
  const model::Site site = icmpd_site();
  return feed::write_json_feed(site, info_for(site, "feed.json"), news_items());
}

// Replaces the first occurrence of from, which must be there.
std::string replaced(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(AtomValidation, NewsFeedMatchesTheRfcSchema) {
  EXPECT_EQ(atom_schema_errors(atom_feed()), "");
}

TEST(AtomValidation, EmptyFeedMatchesTheRfcSchema) {
  const model::Site site = icmpd_site();
  feed::FeedInfo info = info_for(site, "atom.xml");
  info.last_change.reset();
  EXPECT_EQ(atom_schema_errors(feed::write_atom(site, info, {})), "");
}

TEST(AtomValidation, TeaserOnlyFeedMatchesTheRfcSchema) {
  const model::Site site = icmpd_site();
  feed::FeedInfo info = info_for(site, "atom.xml");
  info.full_text = false;
  EXPECT_EQ(atom_schema_errors(feed::write_atom(site, info, news_items())), "");
}

TEST(AtomValidation, ArchivePageWithStylesheetMatchesTheRfcSchema) {
  const model::Site site = icmpd_site();
  feed::FeedInfo info = archive_info(site, "atom.xml");
  info.stylesheet_url = "/feed.xsl";
  EXPECT_EQ(atom_schema_errors(feed::write_atom(site, info, news_items())), "");
}

TEST(AtomValidation, RejectsMalformedXml) {
  EXPECT_NE(atom_schema_errors(replaced(atom_feed(), "</feed>", "")), "");
}

TEST(AtomValidation, RejectsAFeedWithoutId) {
  EXPECT_NE(
      atom_schema_errors(replaced(atom_feed(), "<id>https://www.icmpd.org/atom.xml</id>", "")), "");
}

TEST(AtomValidation, RejectsAnEntryWithTwoTitles) {
  EXPECT_NE(atom_schema_errors(replaced(atom_feed(), "<title type=\"text\">Statement</title>",
                                        "<title>Statement</title><title>Again</title>")),
            "");
}

TEST(AtomValidation, RejectsAnUnknownTextType) {
  EXPECT_NE(atom_schema_errors(
                replaced(atom_feed(), "<summary type=\"text\">", "<summary type=\"markdown\">")),
            "");
}

TEST(AtomValidation, RejectsAnAuthorlessFeed) {
  const std::string xml = atom_feed();
  const auto from = xml.find("  <author>");
  const auto to = xml.find("</author>\n") + std::string("</author>\n").size();
  EXPECT_NE(atom_schema_errors(xml.substr(0, from) + xml.substr(to)), "");
}

TEST(AtomValidation, RejectsAnEntryWithoutLinkOrContent) {
  const std::string xml =
      replaced(atom_feed(),
               "<link rel=\"alternate\" type=\"text/html\" "
               "href=\"https://www.icmpd.org/news-centre/news-detail/statement/\"/>",
               "");
  EXPECT_NE(atom_schema_errors(xml), "");
}

TEST(AtomValidation, RejectsADateWithoutOffset) {
  EXPECT_NE(atom_schema_errors(replaced(atom_feed(), "<published>2018-07-04T10:11:30+02:00",
                                        "<published>2018-07-04T10:11:30")),
            "");
}

TEST(RssValidation, NewsFeedIsValid) { EXPECT_EQ(rss_errors(rss_feed()), ""); }

TEST(RssValidation, EmptyFeedIsValid) {
  const model::Site site = icmpd_site();
  feed::FeedInfo info = info_for(site, "rss.xml");
  info.last_change.reset();
  EXPECT_EQ(rss_errors(feed::write_rss(site, info, {})), "");
}

TEST(RssValidation, RejectsMalformedXml) {
  EXPECT_NE(rss_errors(replaced(rss_feed(), "</channel>", "")), "");
}

TEST(RssValidation, RejectsAChannelWithoutDescription) {
  EXPECT_NE(rss_errors(replaced(rss_feed(), "<description>NEWS CENTRE</description>", "")), "");
}

TEST(RssValidation, RejectsAChannelWithoutSelfLink) {
  EXPECT_NE(rss_errors(replaced(rss_feed(), "rel=\"self\"", "rel=\"alternate\"")), "");
}

TEST(RssValidation, RejectsAnItemWithoutTitleOrDescription) {
  EXPECT_NE(rss_errors(replaced(rss_feed(), "<title>Statement</title>", "")), "");
}

TEST(RssValidation, RejectsAUrnGuidThatClaimsToBeAPermalink) {
  EXPECT_NE(rss_errors(replaced(rss_feed(), "<guid isPermaLink=\"false\">", "<guid>")), "");
}

TEST(RssValidation, AcceptsAUrlGuidAsAPermalink) {
  EXPECT_EQ(rss_errors(replaced(rss_feed(),
                                "<guid isPermaLink=\"false\">"
                                "urn:uuid:c2d4e6f8-1a3b-4c5d-8e7f-9a0b1c2d3e44",
                                "<guid>https://www.icmpd.org/news-centre/news-detail/statement/")),
            "");
}

TEST(RssValidation, RejectsTwoEnclosures) {
  const std::string enclosure =
      "<enclosure url=\"https://www.icmpd.org/files/1/release.pdf\" length=\"183211\" "
      "type=\"application/pdf\"/>";
  EXPECT_NE(rss_errors(replaced(rss_feed(), enclosure, enclosure + enclosure)), "");
}

TEST(RssValidation, RejectsAnEnclosureWithoutLength) {
  EXPECT_NE(rss_errors(replaced(rss_feed(), " length=\"183211\"", "")), "");
}

TEST(RssValidation, RejectsATwoDigitYear) {
  EXPECT_NE(rss_errors(replaced(rss_feed(), "Jul 2018 10:11:30 +0200", "Jul 18 10:11:30 +0200")),
            "");
}

TEST(RssValidation, RejectsTheUtcZoneName) {
  EXPECT_NE(rss_errors(replaced(rss_feed(), "Jul 2018 10:11:30 +0200", "Jul 2018 08:11:30 UTC")),
            "");
}

TEST(RssValidation, AcceptsGmt) {
  EXPECT_EQ(rss_errors(replaced(rss_feed(), "Jul 2018 10:11:30 +0200", "Jul 2018 08:11:30 GMT")),
            "");
}

TEST(RssValidation, RejectsAnImpossibleDate) {
  EXPECT_NE(rss_errors(replaced(rss_feed(), "Wed, 04 Jul 2018", "Wed, 34 Jul 2018")), "");
}

TEST(JsonFeedValidation, NewsFeedIsValid) { EXPECT_EQ(json_feed_errors(json_feed()), ""); }

TEST(JsonFeedValidation, EmptyAndArchiveFeedsAreValid) {
  const model::Site site = icmpd_site();
  EXPECT_EQ(json_feed_errors(feed::write_json_feed(site, info_for(site, "feed.json"), {})), "");
  EXPECT_EQ(
      json_feed_errors(feed::write_json_feed(site, archive_info(site, "feed.json"), news_items())),
      "");
}

TEST(JsonFeedValidation, TeaserOnlyFeedIsValid) {
  const model::Site site = icmpd_site();
  feed::FeedInfo info = info_for(site, "feed.json");
  info.full_text = false;
  EXPECT_EQ(json_feed_errors(feed::write_json_feed(site, info, news_items())), "");
}

TEST(JsonFeedValidation, RejectsMalformedJson) {
  EXPECT_NE(json_feed_errors(json_feed().substr(0, 100)), "");
}

TEST(JsonFeedValidation, RejectsVersionOne) {
  EXPECT_NE(json_feed_errors(replaced(json_feed(), "version/1.1", "version/1")), "");
}

TEST(JsonFeedValidation, RejectsAFeedWithoutItems) {
  EXPECT_NE(json_feed_errors(replaced(json_feed(), "\"items\":", "\"entries\":")), "");
}

TEST(JsonFeedValidation, RejectsANumericId) {
  EXPECT_NE(json_feed_errors(
                replaced(json_feed(), "\"urn:uuid:c2d4e6f8-1a3b-4c5d-8e7f-9a0b1c2d3e44\"", "42")),
            "");
}

TEST(JsonFeedValidation, RejectsAnItemWithoutContent) {
  EXPECT_NE(json_feed_errors(replaced(json_feed(), "\"content_text\":", "\"text\":")), "");
}

TEST(JsonFeedValidation, RejectsADateWithoutOffset) {
  EXPECT_NE(
      json_feed_errors(replaced(json_feed(), "2018-07-04T10:11:30+02:00", "2018-07-04T10:11:30")),
      "");
}

TEST(JsonFeedValidation, RejectsAnAttachmentWithoutMimeType) {
  EXPECT_NE(json_feed_errors(replaced(json_feed(), "\"mime_type\":", "\"type\":")), "");
}

}  // namespace
}  // namespace newsdesk::testing
