#include "feed/write/atom.h"

#include <gtest/gtest.h>

namespace newsdesk::feed {
namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

model::Site test_site() {
  model::Site site;
  site.title = "Example & Co";
  site.description = "NEWS <CENTRE>";
  site.base_url = "https://example.org/";
  site.time_zone = "Europe/Vienna";
  return site;
}

FeedInfo test_info(const model::Site& site) {
  FeedInfo info = site_feed_info(site, {});
  info.self_url = "https://example.org/atom.xml";
  info.stylesheet_url.clear();
  return info;
}

model::Item test_item() {
  model::Item item;
  item.guid = "urn:uuid:00000000-0000-4000-8000-000000000001";
  item.slug = "hello";
  item.title = "Osh & Bishkek <news>";
  item.teaser = "A teaser...";
  item.body_html = "<p>Body ]]> & here</p>";
  item.status = model::Status::kPublished;
  item.published_at = model::DateTime{1530691890, 120};
  item.updated_at = *item.published_at;
  return item;
}

std::string write(const std::vector<model::Item>& items) {
  const model::Site site = test_site();
  return write_atom(site, test_info(site), items);
}

TEST(AtomWriter, StartsWithXmlDeclarationAndAtomNamespace) {
  const std::string xml = write({});
  EXPECT_TRUE(
      xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed "
                      "xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n"));
  EXPECT_TRUE(xml.ends_with("</feed>\n"));
}

TEST(AtomWriter, EscapesFeedTitleAndSubtitle) {
  const std::string xml = write({});
  EXPECT_TRUE(contains(xml, "<title type=\"text\">Example &amp; Co</title>"));
  EXPECT_TRUE(contains(xml, "<subtitle type=\"text\">NEWS &lt;CENTRE&gt;</subtitle>"));
}

TEST(AtomWriter, EscapesEntryTitle) {
  const std::string xml = write({test_item()});
  EXPECT_TRUE(contains(xml, "<title type=\"text\">Osh &amp; Bishkek &lt;news&gt;</title>"));
}

TEST(AtomWriter, EntryIdIsTheGuidNotTheUrl) {
  const std::string xml = write({test_item()});
  EXPECT_TRUE(contains(xml, "<id>urn:uuid:00000000-0000-4000-8000-000000000001</id>"));
  EXPECT_FALSE(contains(xml, "<id>https://example.org/news/hello/</id>"));
}

TEST(AtomWriter, FeedIdIsItsSelfUrl) {
  const std::string xml = write({});
  EXPECT_TRUE(contains(xml, "  <id>https://example.org/atom.xml</id>\n"));
}

TEST(AtomWriter, EntryLinksToItsPermalink) {
  model::Site site = test_site();
  site.news_permalink = "/news-centre/news-detail/{slug}/";
  const std::string xml = write_atom(site, test_info(site), {test_item()});
  EXPECT_TRUE(contains(xml,
                       "<link rel=\"alternate\" type=\"text/html\" "
                       "href=\"https://example.org/news-centre/news-detail/hello/\"/>"));
}

TEST(AtomWriter, SelfAndAlternateLinksOfTheFeed) {
  const std::string xml = write({});
  EXPECT_TRUE(contains(xml,
                       "  <link rel=\"alternate\" type=\"text/html\" "
                       "href=\"https://example.org/\"/>\n"));
  EXPECT_TRUE(contains(xml,
                       "  <link rel=\"self\" type=\"application/atom+xml\" "
                       "href=\"https://example.org/atom.xml\"/>\n"));
}

TEST(AtomWriter, TheSiteIsTheAuthor) {
  const std::string xml = write({});
  EXPECT_TRUE(contains(xml,
                       "  <author>\n    <name>Example &amp; Co</name>\n"
                       "    <uri>https://example.org/</uri>\n  </author>\n"));
}

TEST(AtomWriter, GeneratorCarriesTheVersion) {
  const std::string xml = write({});
  EXPECT_TRUE(contains(xml, "<generator version=\"" NEWSDESK_VERSION "\">newsdesk</generator>"));
}

TEST(AtomWriter, PublishedAndUpdatedKeepTheItemsOffset) {
  model::Item item = test_item();
  item.updated_at = model::DateTime{1530778290, -300};
  const std::string xml = write({item});
  EXPECT_TRUE(contains(xml, "<published>2018-07-04T10:11:30+02:00</published>"));
  EXPECT_TRUE(contains(xml, "<updated>2018-07-05T03:11:30-05:00</updated>"));
}

TEST(AtomWriter, EntryUpdatedIsNeverBeforePublished) {
  model::Item item = test_item();
  item.updated_at = model::DateTime{1530000000, 0};  // a week before publication
  const std::string xml = write({item});
  EXPECT_TRUE(contains(xml, "<updated>2018-07-04T10:11:30+02:00</updated>"));
}

TEST(AtomWriter, UnpublishedItemHasNoPublished) {
  model::Item item = test_item();
  item.published_at.reset();
  const std::string xml = write({item});
  EXPECT_FALSE(contains(xml, "<published>"));
  EXPECT_TRUE(contains(xml, "<updated>2018-07-04T10:11:30+02:00</updated>"));
}

TEST(AtomWriter, FeedUpdatedIsTheLastChangeInTheSiteZone) {
  const model::Site site = test_site();
  FeedInfo info = test_info(site);
  // 2018-01-15T12:00:00Z is winter in Vienna: +01:00.
  info.last_change = model::DateTime{1516017600, 0};
  const std::string xml = write_atom(site, info, {});
  EXPECT_TRUE(contains(xml, "  <updated>2018-01-15T13:00:00+01:00</updated>\n"));
}

TEST(AtomWriter, EmptyFeedIsUpdatedAtTheEpoch) {
  const std::string xml = write({});
  EXPECT_TRUE(contains(xml, "  <updated>1970-01-01T00:00:00+00:00</updated>\n"));
  EXPECT_FALSE(contains(xml, "<entry"));
}

TEST(AtomWriter, SummaryIsThePlainTextTeaser) {
  model::Item item = test_item();
  item.teaser = "Less < more & so on";
  const std::string xml = write({item});
  EXPECT_TRUE(contains(xml, "<summary type=\"text\">Less &lt; more &amp; so on</summary>"));
}

TEST(AtomWriter, NoSummaryWithoutTeaser) {
  model::Item item = test_item();
  item.teaser.clear();
  EXPECT_FALSE(contains(write({item}), "<summary"));
}

TEST(AtomWriter, BodyIsEscapedHtmlContent) {
  const std::string xml = write({test_item()});
  EXPECT_TRUE(contains(xml,
                       "<content type=\"html\">&lt;p&gt;Body ]]&gt; &amp; "
                       "here&lt;/p&gt;</content>"));
}

TEST(AtomWriter, TeaserOnlyFeedDropsContent) {
  const model::Site site = test_site();
  FeedInfo info = test_info(site);
  info.full_text = false;
  const std::string xml = write_atom(site, info, {test_item()});
  EXPECT_FALSE(contains(xml, "<content"));
  EXPECT_FALSE(contains(xml, "Body"));
  EXPECT_TRUE(contains(xml, "<summary type=\"text\">A teaser...</summary>"));
}

TEST(AtomWriter, NoContentForAnEmptyBody) {
  model::Item item = test_item();
  item.body_html.clear();
  EXPECT_FALSE(contains(write({item}), "<content"));
}

TEST(AtomWriter, CategoryHasSlugTermNameLabelAndSchemeUrl) {
  model::Item item = test_item();
  item.categories.push_back({1, "press-release", "Press & Release"});
  const std::string xml = write({item});
  EXPECT_TRUE(contains(xml,
                       "<category term=\"press-release\" label=\"Press &amp; Release\" "
                       "scheme=\"https://example.org/category/press-release/\"/>"));
}

TEST(AtomWriter, EveryAttachmentIsAnEnclosure) {
  model::Item item = test_item();
  item.attachments.push_back({0, "https://example.org/a.pdf", "a.pdf", "application/pdf", 1234});
  item.attachments.push_back({0, "https://example.org/b.mp3", "b.mp3", "audio/mpeg", 99});
  const std::string xml = write({item});
  EXPECT_TRUE(contains(xml,
                       "<link rel=\"enclosure\" type=\"application/pdf\" length=\"1234\" "
                       "title=\"a.pdf\" href=\"https://example.org/a.pdf\"/>"));
  EXPECT_TRUE(contains(xml,
                       "<link rel=\"enclosure\" type=\"audio/mpeg\" length=\"99\" "
                       "title=\"b.mp3\" href=\"https://example.org/b.mp3\"/>"));
}

TEST(AtomWriter, EnclosureLeavesOutUnknownLengthAndType) {
  model::Item item = test_item();
  item.attachments.push_back({0, "https://example.org/a?x=1&y=2", "", "", 0});
  item.attachments.push_back({0, "https://example.org/b.pdf", "", "pdf", 0});
  const std::string xml = write({item});
  EXPECT_TRUE(
      contains(xml, "<link rel=\"enclosure\" href=\"https://example.org/a?x=1&amp;y=2\"/>"));
  EXPECT_TRUE(contains(xml, "<link rel=\"enclosure\" href=\"https://example.org/b.pdf\"/>"));
}

TEST(AtomWriter, EntryLanguageOnlyWhenItDiffersFromTheSite) {
  model::Item french = test_item();
  french.language = "fr";
  model::Item english = test_item();
  english.language = "en";
  const std::string xml = write({french, english});
  EXPECT_TRUE(contains(xml, "<entry xml:lang=\"fr\">"));
  EXPECT_TRUE(contains(xml, "<entry>"));
}

TEST(AtomWriter, StylesheetProcessingInstructionOnlyWhenSet) {
  const model::Site site = test_site();
  FeedInfo info = test_info(site);
  EXPECT_FALSE(contains(write_atom(site, info, {}), "xml-stylesheet"));
  info.stylesheet_url = "/feed.xsl";
  EXPECT_TRUE(write_atom(site, info, {})
                  .starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                               "<?xml-stylesheet type=\"text/xsl\" href=\"/feed.xsl\"?>\n<feed "));
}

TEST(AtomWriter, HubLinkOnlyWhenSet) {
  const model::Site site = test_site();
  FeedInfo info = test_info(site);
  EXPECT_FALSE(contains(write_atom(site, info, {}), "rel=\"hub\""));
  info.hub_url = "https://hub.example.net/";
  EXPECT_TRUE(contains(write_atom(site, info, {}),
                       "<link rel=\"hub\" href=\"https://hub.example.net/\"/>"));
}

TEST(AtomWriter, LiveFeedLinksToTheNewestArchiveWithoutBeingOne) {
  const model::Site site = test_site();
  FeedInfo info = test_info(site);
  info.prev_archive_url = "https://example.org/archive/2018/06/atom.xml";
  const std::string xml = write_atom(site, info, {});
  EXPECT_TRUE(contains(xml,
                       "<link rel=\"prev-archive\" type=\"application/atom+xml\" "
                       "href=\"https://example.org/archive/2018/06/atom.xml\"/>"));
  EXPECT_FALSE(contains(xml, "fh:archive"));
  EXPECT_FALSE(contains(xml, "xmlns:fh"));
}

TEST(AtomWriter, ArchivePageIsMarkedAndLinked) {
  const model::Site site = test_site();
  FeedInfo info = test_info(site);
  info.self_url = "https://example.org/archive/2018/06/atom.xml";
  info.is_archive = true;
  info.current_url = "https://example.org/atom.xml";
  info.prev_archive_url = "https://example.org/archive/2018/05/atom.xml";
  info.next_archive_url = "https://example.org/archive/2018/07/atom.xml";
  const std::string xml = write_atom(site, info, {});
  EXPECT_TRUE(contains(xml,
                       "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
                       "xmlns:fh=\"http://purl.org/syndication/history/1.0\""));
  EXPECT_TRUE(contains(xml, "  <fh:archive/>\n"));
  EXPECT_TRUE(contains(xml,
                       "<link rel=\"current\" type=\"application/atom+xml\" "
                       "href=\"https://example.org/atom.xml\"/>"));
  EXPECT_TRUE(contains(xml,
                       "<link rel=\"prev-archive\" type=\"application/atom+xml\" "
                       "href=\"https://example.org/archive/2018/05/atom.xml\"/>"));
  EXPECT_TRUE(contains(xml,
                       "<link rel=\"next-archive\" type=\"application/atom+xml\" "
                       "href=\"https://example.org/archive/2018/07/atom.xml\"/>"));
  EXPECT_TRUE(contains(xml,
                       "<link rel=\"self\" type=\"application/atom+xml\" "
                       "href=\"https://example.org/archive/2018/06/atom.xml\"/>"));
}

TEST(AtomWriter, ArchivePageSharesTheLiveFeedsId) {
  const model::Site site = test_site();
  FeedInfo info = test_info(site);
  info.self_url = "https://example.org/archive/2018/06/atom.xml";
  info.is_archive = true;
  info.current_url = "https://example.org/atom.xml";
  const std::string xml = write_atom(site, info, {});
  EXPECT_TRUE(contains(xml, "  <id>https://example.org/atom.xml</id>\n"));
}

TEST(AtomWriter, SquareSiteImageIsTheIcon) {
  model::Site site = test_site();
  site.image =
      model::SiteImage{"https://example.org/icon.gif", "Example", "https://example.org/", 18, 16};
  const std::string xml = write_atom(site, test_info(site), {});
  EXPECT_TRUE(contains(xml, "  <icon>https://example.org/icon.gif</icon>\n"));
  EXPECT_FALSE(contains(xml, "<logo>"));
}

TEST(AtomWriter, WideSiteImageIsTheLogo) {
  model::Site site = test_site();
  site.image =
      model::SiteImage{"https://example.org/logo.png", "Example", "https://example.org/", 88, 31};
  const std::string xml = write_atom(site, test_info(site), {});
  EXPECT_TRUE(contains(xml, "  <logo>https://example.org/logo.png</logo>\n"));
  EXPECT_FALSE(contains(xml, "<icon>"));
}

TEST(AtomWriter, EntryAuthorsNameTheirPeople) {
  model::Item item = test_item();
  item.authors = {"Jane Doe"};
  const std::string xml = write({item});
  EXPECT_NE(xml.find("<author>\n      <name>Jane Doe</name>\n    </author>"), std::string::npos)
      << xml;
}

}  // namespace
}  // namespace newsdesk::feed
