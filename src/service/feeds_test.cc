#include "service/feeds.h"

#include <gtest/gtest.h>

#include "store/store.h"

namespace newsdesk::service {
namespace {

TEST(FeedPath, RoundTripsEveryShape) {
  for (const auto& request : {FeedRequest{model::FeedFormat::kRss, "", 0},
                              FeedRequest{model::FeedFormat::kAtom, "press-release", 0},
                              FeedRequest{model::FeedFormat::kJson, "", 3},
                              FeedRequest{model::FeedFormat::kRss, "x", 12}}) {
    const std::string path = feed_path(request);
    auto parsed = parse_feed_path(path);
    ASSERT_TRUE(parsed) << path;
    EXPECT_EQ(parsed->format, request.format) << path;
    EXPECT_EQ(parsed->category_slug, request.category_slug) << path;
    EXPECT_EQ(parsed->archive_page, request.archive_page) << path;
  }
  EXPECT_EQ(feed_path({model::FeedFormat::kAtom, "press-release", 0}),
            "/category/press-release/atom.xml");
  EXPECT_EQ(feed_path({model::FeedFormat::kJson, "", 3}), "/feed-archive/3/feed.json");
}

TEST(FeedPath, RejectsOtherPaths) {
  for (const char* path :
       {"/", "/rss.xm", "/category//rss.xml", "/category/x/y/rss.xml", "/feed-archive/0/rss.xml",
        "/feed-archive/01/rss.xml", "/feed-archive/-1/rss.xml", "/feed-archive/x/rss.xml",
        "/feed-archive/9999999999/rss.xml", "rss.xml"}) {
    EXPECT_FALSE(parse_feed_path(path)) << path;
  }
}

TEST(ArchivePages, CountsOnlyFullPages) {
  EXPECT_EQ(archive_page_count(0, 20), 0);
  EXPECT_EQ(archive_page_count(19, 20), 0);
  EXPECT_EQ(archive_page_count(20, 20), 1);
  EXPECT_EQ(archive_page_count(45, 20), 2);
}

class FeedServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_store("sqlite::memory:");
    ASSERT_TRUE(opened);
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->migrate());
    for (int i = 1; i <= 5; ++i) {
      model::Item item;
      item.guid = "urn:uuid:item-" + std::to_string(i);
      item.slug = "item-" + std::to_string(i);
      item.title = "Item " + std::to_string(i);
      item.status = model::Status::kPublished;
      item.published_at = model::DateTime{1000 + i, 0};
      item.updated_at = *item.published_at;
      if (i % 2 == 0) item.categories.push_back({0, "even", "Even"});
      ASSERT_TRUE(store_->insert_item(item));
    }
    site_.base_url = "https://example.org/";
    site_.feed_items = 2;
    news_ = std::make_unique<NewsService>(*store_, [] { return std::int64_t{5000}; });
    feeds_ = std::make_unique<FeedService>(site_, *news_);
  }

  std::unique_ptr<store::Store> store_;
  model::Site site_;
  std::unique_ptr<NewsService> news_;
  std::unique_ptr<FeedService> feeds_;
};

TEST_F(FeedServiceTest, LiveFeedLinksToNewestArchivePage) {
  auto doc = feeds_->render({model::FeedFormat::kRss, "", 0});
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_NE(doc->body.find("Item 5"), std::string::npos);
  EXPECT_NE(doc->body.find("Item 4"), std::string::npos);
  EXPECT_EQ(doc->body.find("Item 3"), std::string::npos);
  EXPECT_NE(
      doc->body.find("href=\"https://example.org/feed-archive/2/rss.xml\" rel=\"prev-archive\""),
      std::string::npos)
      << doc->body;
  EXPECT_EQ(doc->content_type, "application/rss+xml; charset=utf-8");
  EXPECT_EQ(doc->last_modified, std::optional<std::int64_t>(1005));
}

TEST_F(FeedServiceTest, ArchivePagesCountFromTheOldest) {
  auto first = feeds_->render({model::FeedFormat::kAtom, "", 1});
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_NE(first->body.find("Item 1"), std::string::npos);
  EXPECT_NE(first->body.find("Item 2"), std::string::npos);
  EXPECT_EQ(first->body.find("Item 3"), std::string::npos);
  EXPECT_NE(first->body.find("<fh:archive"), std::string::npos);
  EXPECT_NE(first->body.find("https://example.org/feed-archive/2/atom.xml"), std::string::npos);
  auto second = feeds_->render({model::FeedFormat::kAtom, "", 2});
  ASSERT_TRUE(second);
  EXPECT_NE(second->body.find("Item 3"), std::string::npos);
  EXPECT_NE(second->body.find("Item 4"), std::string::npos);
  EXPECT_FALSE(feeds_->render({model::FeedFormat::kAtom, "", 3}));
}

TEST_F(FeedServiceTest, CategoryFeedHoldsOnlyItsItems) {
  auto doc = feeds_->render({model::FeedFormat::kJson, "even", 0});
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_NE(doc->body.find("Item 4"), std::string::npos);
  EXPECT_NE(doc->body.find("Item 2"), std::string::npos);
  EXPECT_EQ(doc->body.find("Item 5"), std::string::npos);
  EXPECT_NE(doc->body.find("https://example.org/category/even/feed.json"), std::string::npos);
  auto missing = feeds_->render({model::FeedFormat::kJson, "odd", 0});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace newsdesk::service
