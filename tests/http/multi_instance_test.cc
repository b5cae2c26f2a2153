// Two `newsdesk serve` processes on one PostgreSQL database, as behind a
// load balancer: what one instance publishes, the other serves within a
// second (LISTEN/NOTIFY drops its cached pages), and killing one instance
// in the middle of a burst of writes loses no acknowledged item.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/process.h"
#include "support/store_backends.h"

namespace newsdesk {
namespace {

using nlohmann::json;
using testing::http_get;
using testing::http_request;
using testing::run_command;

class MultiInstance : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::fresh_store_url(testing::Backend::kPostgres);
    auto init = run_command({testing::newsdesk_binary(), "init", "--db", db_});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    auto added = run_command(
        {testing::newsdesk_binary(), "user", "add", "edna", "--role", "editor", "--db", db_});
    ASSERT_EQ(added.exit_code, 0) << added.err;
    auto created =
        run_command({testing::newsdesk_binary(), "token", "create", "edna", "--db", db_});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    token_ = testing::last_word(created.out);
    a_ = std::make_unique<testing::ServerProcess>(std::vector<std::string>{"--db", db_});
    b_ = std::make_unique<testing::ServerProcess>(std::vector<std::string>{"--db", db_});
    ASSERT_TRUE(a_->started() && b_->started());
  }

  testing::HttpReply publish(unsigned short port, const std::string& title) {
    const json body = {
        {"title", title}, {"body_markdown", "Body of " + title}, {"status", "published"}};
    return http_request(
        port, "POST", "/api/v1/news",
        {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token_}}, body.dump());
  }

  std::string db_;
  std::string token_;
  std::unique_ptr<testing::ServerProcess> a_;
  std::unique_ptr<testing::ServerProcess> b_;
};

// Polls until `check` holds or `limit` passes; returns how long it took.
template <typename Check>
std::chrono::milliseconds wait_for(Check check, std::chrono::milliseconds limit) {
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    if (check() || took > limit) return took;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

TEST_F(MultiInstance, WhatOneInstancePublishesTheOtherServesWithinASecond) {
  // B has the feed and the (missing) page in its cache before the write.
  const auto before = http_get(b_->port(), "/rss.xml");
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(before.body.find("Published on A"), std::string::npos);
  ASSERT_EQ(http_get(b_->port(), "/rss.xml").status, 200);  // now a cache hit

  const auto created = publish(a_->port(), "Published on A");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string slug = json::parse(created.body)["slug"];

  const auto feed_took = wait_for(
      [&] {
        return http_get(b_->port(), "/rss.xml").body.find("Published on A") != std::string::npos;
      },
      std::chrono::milliseconds(5000));
  EXPECT_LE(feed_took.count(), 1000)
      << "B's /rss.xml showed the item after " << feed_took.count() << " ms";
  const auto page = http_get(b_->port(), "/news/" + slug + "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Body of Published on A"), std::string::npos);

  // And the other way round, for an edit through B.
  const auto edited = http_request(
      b_->port(), "PATCH",
      "/api/v1/news/" + std::to_string(json::parse(created.body)["id"].get<long long>()),
      {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token_}},
      json{{"title", "Edited on B"}}.dump());
  ASSERT_EQ(edited.status, 200) << edited.body;
  const auto edit_took = wait_for(
      [&] {
        return http_get(a_->port(), "/rss.xml").body.find("Edited on B") != std::string::npos;
      },
      std::chrono::milliseconds(5000));
  EXPECT_LE(edit_took.count(), 1000)
      << "A's /rss.xml showed the edit after " << edit_took.count() << " ms";
}

TEST_F(MultiInstance, KillingOneInstanceMidBurstLosesNoAcknowledgedItem) {
  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::atomic<int> attempts{0};
  const unsigned short a_port = a_->port();
  std::thread writer([&] {
    for (int i = 0; !stop && i < 2000; ++i) {
      ++attempts;
      const auto reply = publish(a_port, "Burst item " + std::to_string(i));
      if (reply.status != 201) continue;  // in flight when A died: not promised
      const json body = json::parse(reply.body, nullptr, false);
      std::lock_guard lock(mu);
      acknowledged.push_back(body["slug"]);
    }
  });
  // Let the burst run, then kill -9 A in the middle of it.
  wait_for(
      [&] {
        std::lock_guard lock(mu);
        return acknowledged.size() >= 30;
      },
      std::chrono::milliseconds(20000));
  a_.reset();  // SIGKILL
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  stop = true;
  writer.join();

  std::vector<std::string> slugs;
  {
    std::lock_guard lock(mu);
    slugs = acknowledged;
  }
  ASSERT_GE(slugs.size(), 30u) << "the burst did not get going (" << attempts << " attempts)";
  // B keeps serving, and every item A acknowledged is there.
  EXPECT_EQ(http_get(b_->port(), "/").status, 200);
  for (const std::string& slug : slugs) {
    EXPECT_EQ(http_get(b_->port(), "/news/" + slug + "/").status, 200) << slug;
  }
  // B takes writes too.
  EXPECT_EQ(publish(b_->port(), "After the crash").status, 201);
}

}  // namespace
}  // namespace newsdesk
