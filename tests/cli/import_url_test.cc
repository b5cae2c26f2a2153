// `newsdesk import http://...` against a real origin on loopback: the feed
// is fetched, imported, and fetched again with conditional GET.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <thread>

#include "core/file.h"
#include "http/server.h"
#include "support/process.h"

namespace newsdesk {
namespace {

class Origin {
 public:
  Origin() {
    auto feed = read_file(testing::source_dir() + "/examples/icmpd/news-centre.rss.xml");
    EXPECT_TRUE(feed);
    body_ = *feed;
    http::ServerOptions options;
    options.port = 0;
    server_ = std::make_unique<http::Server>(options, [this](const http::Request& req) {
      ++requests_;
      namespace bh = http::beast_http;
      if (req[bh::field::if_none_match] == "\"v1\"") {
        ++conditional_hits_;
        return http::Response{bh::status::not_modified, 11};
      }
      http::Response res{bh::status::ok, 11};
      res.set(bh::field::content_type, "application/rss+xml");
      res.set(bh::field::etag, "\"v1\"");
      res.body() = body_;
      return res;
    });
    EXPECT_TRUE(server_->listen());
    thread_ = std::thread([this] { server_->run(); });
  }
  ~Origin() {
    server_->stop();
    thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/feed.rss";
  }
  int requests() const { return requests_; }
  int conditional_hits() const { return conditional_hits_; }

 private:
  std::string body_;
  std::atomic<int> requests_{0};
  std::atomic<int> conditional_hits_{0};
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

TEST(ImportUrl, FetchesThenAsksConditionally) {
  Origin origin;
  testing::TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/n.db";
  const auto first = testing::run_command({testing::newsdesk_binary(), "import",
                                           "--allow-private-addresses", "--db", db, origin.url()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("10 added"), std::string::npos) << first.out;
  const auto second = testing::run_command({testing::newsdesk_binary(), "import",
                                            "--allow-private-addresses", "--db", db, origin.url()});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("1 source(s) not modified"), std::string::npos) << second.out;
  EXPECT_EQ(origin.requests(), 2);
  EXPECT_EQ(origin.conditional_hits(), 1);
}

TEST(ImportUrl, DryRunFetchesWithoutADatabase) {
  Origin origin;
  testing::TempDir dir;
  const auto r = testing::run_command({testing::newsdesk_binary(), "import",
                                       "--allow-private-addresses", "--dry-run", "--json", "--db",
                                       "sqlite:" + dir.path() + "/n.db", origin.url()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"title\":\"www.icmpd.org\""), std::string::npos);
}

TEST(ImportUrl, UnreachableOriginIsAOneLineError) {
  testing::TempDir dir;
  const auto r = testing::run_command(
      {testing::newsdesk_binary(), "import", "--allow-private-addresses", "--db",
       "sqlite:" + dir.path() + "/n.db", "http://127.0.0.1:1/feed.xml"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("newsdesk: import: fetch:"), std::string::npos) << r.err;
}

// SSRF: a feed on loopback (or a private network) is refused unless the
// operator allows it, with the flag or in the configuration file.
TEST(ImportUrl, LoopbackIsRefusedByDefaultAndAllowedByFlagOrConfig) {
  Origin origin;
  testing::TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/n.db";
  const auto refused =
      testing::run_command({testing::newsdesk_binary(), "import", "--db", db, origin.url()});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_EQ(std::count(refused.err.begin(), refused.err.end(), '\n'), 1) << refused.err;
  EXPECT_NE(refused.err.find("refused to connect to 127.0.0.1, a loopback address"),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("--allow-private-addresses"), std::string::npos) << refused.err;
  EXPECT_EQ(origin.requests(), 0) << "not even one request may reach it";
  // The same through a name that resolves to loopback, and in a dry run.
  std::string by_name = origin.url();
  by_name.replace(by_name.find("127.0.0.1"), 9, "localhost");
  const auto by_name_refused =
      testing::run_command({testing::newsdesk_binary(), "import", "--dry-run", "--json", by_name});
  EXPECT_NE(by_name_refused.exit_code, 0);
  EXPECT_NE(by_name_refused.err.find("a loopback address"), std::string::npos)
      << by_name_refused.err;
  EXPECT_EQ(origin.requests(), 0);

  const auto flagged =
      testing::run_command({testing::newsdesk_binary(), "import", "--allow-private-addresses",
                            "--db", db, origin.url()});
  ASSERT_EQ(flagged.exit_code, 0) << flagged.err;
  EXPECT_NE(flagged.out.find("10 added"), std::string::npos) << flagged.out;

  const std::string config = dir.path() + "/newsdesk.toml";
  std::ofstream(config) << "[import]\nallow_private_addresses = true\n";
  const auto configured = testing::run_command(
      {testing::newsdesk_binary(), "import", "--config", config, "--db", db, origin.url()});
  ASSERT_EQ(configured.exit_code, 0) << configured.err;
  EXPECT_NE(configured.out.find("not modified"), std::string::npos) << configured.out;
  EXPECT_EQ(origin.requests(), 2);
}

}  // namespace
}  // namespace newsdesk
