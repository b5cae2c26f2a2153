// Each format newsdesk writes, read back by newsdesk's own importer, gives
// the same items: titles, links, ids, dates, bodies and categories.

#include <gtest/gtest.h>

#include "app/config.h"
#include "core/file.h"
#include "feed/import/parser.h"
#include "model/permalink.h"
#include "service/feeds.h"
#include "service/import.h"
#include "service/news.h"
#include "store/store.h"
#include "support/process.h"
#include "text/date.h"
#include "text/sanitize.h"

namespace newsdesk {
namespace {

class RoundTrip : public ::testing::TestWithParam<model::FeedFormat> {
 protected:
  void SetUp() override {
    const std::string root = testing::source_dir() + "/examples/icmpd/";
    auto config = app::load_config(root + "newsdesk.toml");
    ASSERT_TRUE(config);
    site_ = config->site;
    auto store = store::open_store("sqlite::memory:");
    ASSERT_TRUE(store);
    store_ = std::move(*store);
    ASSERT_TRUE(store_->migrate());
    auto source = read_file(root + "news-centre.rss.xml");
    ASSERT_TRUE(source);
    auto parsed = feed::parse_feed(*source);
    ASSERT_TRUE(parsed);
    service::ImportOptions options;
    options.category_prefixes = config->category_prefixes;
    ASSERT_TRUE(service::import_feeds(*store_, {*parsed}, options));
    news_ =
        std::make_unique<service::NewsService>(*store_, [] { return std::int64_t{1800000000}; });
  }

  model::Site site_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<service::NewsService> news_;
};

TEST_P(RoundTrip, ImporterReadsBackTheSameItems) {
  service::FeedService feeds(site_, *news_);
  auto doc = feeds.render({GetParam(), "", 0});
  ASSERT_TRUE(doc) << doc.error().message;
  auto read = feed::parse_feed(doc->body);
  ASSERT_TRUE(read) << read.error().message;
  auto items = news_->latest(site_.feed_items);
  ASSERT_TRUE(items);
  ASSERT_EQ(read->items.size(), items->size());
  EXPECT_EQ(read->title, site_.title);
  for (std::size_t i = 0; i < items->size(); ++i) {
    const model::Item& want = (*items)[i];
    const feed::ParsedItem& got = read->items[i];
    SCOPED_TRACE(want.title);
    EXPECT_EQ(got.guid, want.guid);
    EXPECT_EQ(got.title, want.title);
    EXPECT_EQ(got.link, model::item_url(site_, want.slug));
    ASSERT_TRUE(got.published);
    EXPECT_EQ(text::format_rfc3339(*got.published), text::format_rfc3339(*want.published_at));
    EXPECT_EQ(text::html_to_text(got.content_html), text::html_to_text(want.body_html));
    std::vector<std::string> names;
    for (const auto& c : want.categories) names.push_back(c.name);
    EXPECT_EQ(got.categories, names);
  }
}

INSTANTIATE_TEST_SUITE_P(EveryFormat, RoundTrip,
                         ::testing::Values(model::FeedFormat::kRss, model::FeedFormat::kAtom,
                                           model::FeedFormat::kJson),
                         [](const auto& param_info) {
                           return std::string(model::output_format(param_info.param).name);
                         });

}  // namespace
}  // namespace newsdesk
