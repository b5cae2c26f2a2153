#include "service/change_watcher.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <sstream>

#include "store/forwarding_store.h"
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

// A store whose change token fails while `failing` is set, counting asks.
class FailingTokenStore final : public store::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  Result<std::uint64_t> change_token() override {
    ++asked;
    if (failing) return make_error(ErrorCode::kUnavailable, "store down");
    return ForwardingStore::change_token();
  }
  std::atomic<bool> failing{false};
  std::atomic<int> asked{0};
};

// The log lines written while it lives.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink));
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;
  int count(std::string_view needle) const {
    const std::string text = out_.str();
    int n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
  }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST_F(ChangeWatcherTest, AFailingStoreIsAskedAtMostOnceASecondFromRequests) {
  ASSERT_TRUE(store_->insert_item(published("later", 2000)));
  FailingTokenStore failing(*store_);
  ChangeWatcher watcher(failing, clock_);
  const auto g = watcher.generation();

  // The publication time passes while the store is down: a thousand
  // requests in that second ask the store once, and serve what there is.
  now_ = 2000;
  failing.failing = true;
  failing.asked = 0;
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(watcher.generation(), g);
  EXPECT_EQ(failing.asked.load(), 1);

  // A second later, one more try.
  now_ = 2001;
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(watcher.generation(), g);
  EXPECT_EQ(failing.asked.load(), 2);

  // The store answers again: the publication that passed meanwhile shows.
  failing.failing = false;
  now_ = 2002;
  EXPECT_GT(watcher.generation(), g);
}

TEST_F(ChangeWatcherTest, AFailingStoreIsReportedOnceAMinuteAndItsReturnOnce) {
  FailingTokenStore failing(*store_);
  ChangeWatcher watcher(failing, clock_);
  CapturedLog log;
  failing.failing = true;
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(watcher.poll());  // the background poller
  EXPECT_EQ(log.count("store down"), 1);
  now_ += 59;
  EXPECT_FALSE(watcher.poll());
  EXPECT_EQ(log.count("store down"), 1);
  now_ += 1;
  EXPECT_FALSE(watcher.poll());
  EXPECT_EQ(log.count("store down"), 2);
  EXPECT_EQ(log.count("still failing since 60 s ago"), 1);

  failing.failing = false;
  EXPECT_FALSE(watcher.poll());
  EXPECT_FALSE(watcher.poll());
  EXPECT_EQ(log.count("answers again"), 1);
}

}  // namespace
}  // namespace newsdesk::service
