// DESIGN.md's fidelity test: import the sample news centre, write the feed
// with the example configuration, and find the source again in it.

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "core/file.h"
#include "feed/import/parser.h"
#include "feed/write/rss.h"
#include "service/import.h"
#include "service/news.h"
#include "store/store.h"
#include "support/process.h"
#include "text/sanitize.h"

namespace newsdesk {
namespace {

struct DocDeleter {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using Doc = std::unique_ptr<xmlDoc, DocDeleter>;

struct FeedItem {
  std::string title, link, description, body, pub_date;
};
struct Channel {
  std::string title, link, description, language;
  std::string image_url, image_title, image_link, image_width, image_height;
  std::vector<FeedItem> items;
};

std::string text_of(const xmlNode* n) {
  xmlChar* s = xmlNodeGetContent(n);
  std::string out = s == nullptr ? "" : reinterpret_cast<const char*>(s);
  xmlFree(s);
  return out;
}

std::string_view name_of(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

std::string path_of(std::string link) {
  link = link.substr(link.find("://") + 3);
  std::string path = link.substr(link.find('/'));
  // The source doubles the slash after the host; newsdesk must not.
  while (path.starts_with("//")) path.erase(0, 1);
  return path;
}

Channel read_channel(const std::string& xml) {
  Doc doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "feed.xml", nullptr,
                        XML_PARSE_NONET));
  Channel out;
  if (!doc) return out;
  const xmlNode* channel = xmlDocGetRootElement(doc.get())->children;
  while (channel != nullptr && name_of(channel) != "channel") channel = channel->next;
  if (channel == nullptr) return out;
  for (const xmlNode* c = channel->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    const std::string_view name = name_of(c);
    const bool atom = c->ns != nullptr;
    if (name == "title") out.title = text_of(c);
    if (name == "link" && !atom) out.link = text_of(c);
    if (name == "description") out.description = text_of(c);
    if (name == "language") out.language = text_of(c);
    if (name == "image") {
      for (const xmlNode* i = c->children; i != nullptr; i = i->next) {
        if (i->type != XML_ELEMENT_NODE) continue;
        if (name_of(i) == "url") out.image_url = text_of(i);
        if (name_of(i) == "title") out.image_title = text_of(i);
        if (name_of(i) == "link") out.image_link = text_of(i);
        if (name_of(i) == "width") out.image_width = text_of(i);
        if (name_of(i) == "height") out.image_height = text_of(i);
      }
    }
    if (name == "item") {
      FeedItem item;
      for (const xmlNode* i = c->children; i != nullptr; i = i->next) {
        if (i->type != XML_ELEMENT_NODE) continue;
        if (name_of(i) == "title") item.title = text_of(i);
        if (name_of(i) == "link") item.link = path_of(text_of(i));
        if (name_of(i) == "description") item.description = text_of(i);
        if (name_of(i) == "encoded") item.body = text::html_to_text(text_of(i));
        if (name_of(i) == "pubDate") item.pub_date = text_of(i);
      }
      out.items.push_back(item);
    }
  }
  return out;
}

class Fidelity : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string root = testing::source_dir() + "/examples/icmpd/";
    auto source = read_file(root + "news-centre.rss.xml");
    ASSERT_TRUE(source) << source.error().message;
    source_xml_ = *source;
    auto config = app::load_config(root + "newsdesk.toml");
    ASSERT_TRUE(config) << config.error().message;
    config_ = *config;

    auto store = store::open_store("sqlite::memory:");
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    ASSERT_TRUE(store_->migrate());
    auto parsed = feed::parse_feed(source_xml_);
    ASSERT_TRUE(parsed) << parsed.error().message;
    service::ImportOptions options;
    options.category_prefixes = config_.category_prefixes;
    options.now_epoch_seconds = 1800000000;
    auto report = service::import_feeds(*store_, {*parsed}, options);
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->added, 10);

    service::NewsService news(*store_, [] { return std::int64_t{1800000000}; });
    auto items = news.latest(config_.site.feed_items);
    ASSERT_TRUE(items);
    auto last = news.last_change();
    ASSERT_TRUE(last);
    written_xml_ = feed::write_rss(config_.site, feed::site_feed_info(config_.site, *last), *items);
  }

  std::string source_xml_;
  std::string written_xml_;
  app::Config config_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(Fidelity, ChannelMetadataMatchesSource) {
  const Channel source = read_channel(source_xml_);
  const Channel written = read_channel(written_xml_);
  EXPECT_EQ(written.title, source.title);
  EXPECT_EQ(written.link, source.link);
  EXPECT_EQ(written.description, source.description);
  EXPECT_EQ(written.language, source.language);
  EXPECT_EQ(written.image_url, source.image_url);
  EXPECT_EQ(written.image_title, source.image_title);
  EXPECT_EQ(written.image_link, source.image_link);
  EXPECT_EQ(written.image_width, "18");
  EXPECT_EQ(written.image_height, "16");
}

TEST_F(Fidelity, SameTenItemsInOrderWithTheirContent) {
  const Channel source = read_channel(source_xml_);
  const Channel written = read_channel(written_xml_);
  ASSERT_EQ(source.items.size(), 10u);
  ASSERT_EQ(written.items.size(), source.items.size());
  for (std::size_t i = 0; i < source.items.size(); ++i) {
    SCOPED_TRACE("item " + std::to_string(i) + ": " + source.items[i].title);
    EXPECT_EQ(written.items[i].title, source.items[i].title);
    EXPECT_EQ(written.items[i].link, source.items[i].link);
    EXPECT_EQ(written.items[i].description, source.items[i].description);
    EXPECT_EQ(written.items[i].body, source.items[i].body);
    EXPECT_EQ(written.items[i].pub_date, source.items[i].pub_date);
    EXPECT_NE(written.items[i].pub_date.find("+0200"), std::string::npos);
  }
}

TEST_F(Fidelity, LastBuildDateIsNewestChangeNotNow) {
  EXPECT_NE(written_xml_.find("<lastBuildDate>Wed, 04 Jul 2018 10:11:30 +0200</lastBuildDate>"),
            std::string::npos);
}

TEST_F(Fidelity, FixesWhatTheSourceGetsWrong) {
  EXPECT_EQ(written_xml_.find("icmpd.org//"), std::string::npos);
  EXPECT_NE(written_xml_.find("<atom:link href=\"https://www.icmpd.org/rss.xml\" rel=\"self\""),
            std::string::npos);
  EXPECT_NE(written_xml_.find("<docs>https://www.rssboard.org/rss-specification</docs>"),
            std::string::npos);
  // Ten stable, non-URL guids.
  std::size_t count = 0;
  for (auto at = written_xml_.find("<guid isPermaLink=\"false\">urn:uuid:");
       at != std::string::npos;
       at = written_xml_.find("<guid isPermaLink=\"false\">urn:uuid:", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 10u);
}

TEST_F(Fidelity, TitlePrefixesBecomeCategories) {
  auto categories = store_->categories();
  ASSERT_TRUE(categories);
  std::vector<std::string> names;
  for (const auto& c : *categories) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Expert Voice", "ICMPD Around the Globe",
                                             "Press Release", "Project News"}));
  EXPECT_NE(written_xml_.find("<category domain=\"https://www.icmpd.org/category/press-release/\">"
                              "Press Release</category>"),
            std::string::npos);
}

TEST_F(Fidelity, ReimportChangesNothing) {
  auto parsed = feed::parse_feed(source_xml_);
  ASSERT_TRUE(parsed);
  service::ImportOptions options;
  options.category_prefixes = config_.category_prefixes;
  auto report = service::import_feeds(*store_, {*parsed}, options);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->added, 0);
  EXPECT_EQ(report->updated, 0);
  EXPECT_EQ(report->unchanged, 10);
}

}  // namespace
}  // namespace newsdesk
