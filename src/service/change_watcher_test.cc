#include "service/change_watcher.h"

#include <gtest/gtest.h>

#include <atomic>

#include "store/store.h"

namespace newsdesk::service {
namespace {

model::Item published(const std::string& slug, std::int64_t at) {
  model::Item item;
  item.guid = "urn:uuid:" + slug;
  item.slug = slug;
  item.title = slug;
  item.status = model::Status::kPublished;
  item.published_at = model::DateTime{at, 0};
  item.updated_at = *item.published_at;
  return item;
}

class ChangeWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_store("sqlite::memory:");
    ASSERT_TRUE(opened);
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->migrate());
  }
  std::unique_ptr<store::Store> store_;
  std::atomic<std::int64_t> now_{1000};
  Clock clock_ = [this] { return now_.load(); };
};

TEST_F(ChangeWatcherTest, QuietStoreKeepsTheGeneration) {
  ChangeWatcher watcher(*store_, clock_);
  const auto g = watcher.generation();
  EXPECT_FALSE(watcher.poll());
  EXPECT_EQ(watcher.generation(), g);
}

TEST_F(ChangeWatcherTest, WriteBumpsTheGenerationAndCallsBack) {
  int calls = 0;
  ChangeWatcher watcher(*store_, clock_, [&calls] { ++calls; });
  const auto g = watcher.generation();
  ASSERT_TRUE(store_->insert_item(published("a", 10)));
  EXPECT_TRUE(watcher.poll());
  EXPECT_GT(watcher.generation(), g);
  EXPECT_EQ(calls, 1);
}

TEST_F(ChangeWatcherTest, PublicationTimePassingBumpsWithoutAPoll) {
  ASSERT_TRUE(store_->insert_item(published("later", 2000)));
  ChangeWatcher watcher(*store_, clock_);
  const auto g = watcher.generation();
  now_ = 1999;
  EXPECT_EQ(watcher.generation(), g);
  now_ = 2000;
  EXPECT_GT(watcher.generation(), g);
}

TEST_F(ChangeWatcherTest, BackgroundPollingSeesWrites) {
  ChangeWatcher watcher(*store_, clock_);
  watcher.start(std::chrono::milliseconds(10));
  const auto g = watcher.generation();
  ASSERT_TRUE(store_->insert_item(published("a", 10)));
  for (int i = 0; i < 300 && watcher.generation() == g; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GT(watcher.generation(), g);
  watcher.stop();
}

}  // namespace
}  // namespace newsdesk::service
