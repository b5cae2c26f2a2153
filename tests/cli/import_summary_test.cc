// `newsdesk import` output: the summary with skipped items and their reasons,
// per-source lines for URLs that were not modified, the unchanged dry-run
// JSON, the progress line (only on a terminal), and --fetch-attachments
// against a real origin on loopback.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/file.h"
#include "feed/import/parser.h"
#include "http/server.h"
#include "support/process.h"

namespace newsdesk {
namespace {

using testing::run_command;

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string rss(const std::string& items) {
  return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>"
         "<link>https://example.org/</link><description>D</description>" +
         items + "</channel></rss>";
}

std::string item(const std::string& guid, const std::string& title, const std::string& extra = "") {
  return "<item><title>" + title + "</title><guid isPermaLink=\"false\">" + guid +
         "</guid><description>About " + title + "</description>" + extra + "</item>";
}

// Three items, one listed twice, and one with nothing to show.
std::string feed_with_skips() {
  return rss(item("a", "First") + item("b", "Second") + item("a", "First again") +
             "<item><guid>empty</guid></item>" + item("c", "Third"));
}

TEST(ImportSummary, CountsSkippedItemsWithTheirReasons) {
  testing::TempDir dir;
  write(dir.path() + "/feed.xml", feed_with_skips());
  const auto r = run_command({testing::newsdesk_binary(), "import", "--db",
                              "sqlite:" + dir.path() + "/n.db", dir.path() + "/feed.xml"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "imported 1 source(s): 3 added, 0 updated, 0 unchanged, 2 skipped\n"))
      << r.out;
  EXPECT_TRUE(contains(r.out,
                       "newsdesk: 2 skipped: 1 duplicate of an earlier item in the same import, "
                       "1 without title or text\n"))
      << r.out;
  // Not a terminal: no progress line.
  EXPECT_EQ(r.err, "");
}

TEST(ImportSummary, JsonSummaryListsReasons) {
  testing::TempDir dir;
  write(dir.path() + "/feed.xml", feed_with_skips());
  const auto r = run_command({testing::newsdesk_binary(), "import", "--json", "--db",
                              "sqlite:" + dir.path() + "/n.db", dir.path() + "/feed.xml"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["added"], 3);
  EXPECT_EQ(json["skipped"]["without title or text"], 1);
  EXPECT_EQ(json["skipped"]["duplicate of an earlier item in the same import"], 1);
  EXPECT_EQ(json["not_modified"], 0);
}

TEST(ImportSummary, NothingSkippedSaysNothingAboutIt) {
  testing::TempDir dir;
  const std::string sample = testing::source_dir() + "/examples/icmpd/news-centre.rss.xml";
  const auto r = run_command(
      {testing::newsdesk_binary(), "import", "--db", "sqlite:" + dir.path() + "/n.db", sample});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "newsdesk: imported 1 source(s): 10 added, 0 updated, 0 unchanged\n");
}

TEST(ImportSummary, DryRunJsonIsTheParsersJson) {
  const std::string sample = testing::source_dir() + "/examples/icmpd/news-centre.rss.xml";
  auto bytes = read_file(sample);
  ASSERT_TRUE(bytes);
  auto parsed = feed::parse_feed(*bytes);
  ASSERT_TRUE(parsed);
  testing::TempDir dir;
  const auto r = run_command({testing::newsdesk_binary(), "import", "--dry-run", "--json", "--db",
                              "sqlite:" + dir.path() + "/n.db", sample, sample});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string one = feed::to_json(*parsed) + "\n";
  EXPECT_EQ(r.out, one + one);
}

TEST(ImportSummary, ProgressLineOnATerminalIsErasedAtTheEnd) {
  testing::TempDir dir;
  const std::string sample = testing::source_dir() + "/examples/icmpd/news-centre.rss.xml";
  // script(1) gives the command a terminal; its output is what the terminal got.
  const std::string command = testing::newsdesk_binary() + " import --db sqlite:" + dir.path() +
                              "/n.db " + sample + " >" + dir.path() + "/out.txt";
  if (::access("/usr/bin/script", X_OK) != 0) GTEST_SKIP() << "needs script(1)";
  const auto r = run_command({"/usr/bin/script", "-qec", command, "/dev/null"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_TRUE(contains(r.out, "newsdesk: importing news-centre.rss.xml")) << r.out;
  EXPECT_TRUE(contains(r.out, "\r\x1b[K")) << r.out;
  auto out = read_file(dir.path() + "/out.txt");
  ASSERT_TRUE(out);
  EXPECT_TRUE(contains(*out, "10 added")) << *out;
  EXPECT_FALSE(contains(*out, "\x1b")) << *out;  // the bar never reaches stdout
}

// An origin for feeds and files: /feed.rss (ETag "v1", 304 when asked with
// it) lists enclosures at the same origin.
class Origin {
 public:
  Origin() {
    http::ServerOptions options;
    options.port = 0;
    big_ = "%PDF-1.4\n" + std::string((50u << 20) + 1, 'x');
    server_ = std::make_unique<http::Server>(options, [this](const http::Request& req) {
      namespace bh = http::beast_http;
      const std::string target(req.target());
      auto reply = [](bh::status status, const std::string& type, std::string body) {
        http::Response res{status, 11};
        res.set(bh::field::content_type, type);
        res.body() = std::move(body);
        return res;
      };
      if (target == "/feed.rss") {
        if (req[bh::field::if_none_match] == "\"v1\"") {
          return http::Response{bh::status::not_modified, 11};
        }
        auto res = reply(bh::status::ok, "application/rss+xml", feed());
        res.set(bh::field::etag, "\"v1\"");
        return res;
      }
      if (target == "/report.pdf")
        return reply(bh::status::ok, "application/pdf", "%PDF-1.7\n%%EOF");
      if (target == "/fake.pdf") {
        return reply(bh::status::ok, "application/pdf", "<!DOCTYPE html><p>login</p>");
      }
      if (target == "/big.pdf") return reply(bh::status::ok, "application/pdf", big_);
      return reply(bh::status::not_found, "text/plain", "no");
    });
    EXPECT_TRUE(server_->listen());
    thread_ = std::thread([this] { server_->run(); });
  }
  ~Origin() {
    server_->stop();
    thread_.join();
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
  }

 private:
  std::string feed() const {
    auto enclosure = [this](const std::string& path) {
      return "<enclosure url=\"" + url(path) + "\" type=\"application/pdf\" length=\"10\"/>";
    };
    return rss(item("one", "With a report", enclosure("/report.pdf")) +
               item("two", "With a fake", enclosure("/fake.pdf")) +
               item("three", "With a missing file", enclosure("/missing.pdf")) +
               item("four", "With a huge file", enclosure("/big.pdf")));
  }
  std::string big_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

TEST(ImportSummary, NotModifiedUrlGetsItsOwnLine) {
  Origin origin;
  testing::TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/n.db";
  ASSERT_EQ(run_command({testing::newsdesk_binary(), "import", "--allow-private-addresses", "--db",
                         db, origin.url("/feed.rss")})
                .exit_code,
            0);
  const auto second =
      run_command({testing::newsdesk_binary(), "import", "--allow-private-addresses", "--db", db,
                   origin.url("/feed.rss")});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(contains(second.out, "1 source(s) not modified")) << second.out;
  EXPECT_TRUE(contains(second.out, "newsdesk: " + origin.url("/feed.rss") +
                                       ": not modified (HTTP 304), nothing to import\n"))
      << second.out;
}

TEST(ImportFetchAttachments, StoresDocumentsAndReportsFailures) {
  Origin origin;
  testing::TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/n.db";
  const auto r = run_command({testing::newsdesk_binary(), "import", "--allow-private-addresses",
                              "--fetch-attachments", "--db", db, origin.url("/feed.rss")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "4 added")) << r.out;
  EXPECT_TRUE(contains(r.out, "newsdesk: attachments: 1 fetched, 0 already stored, 3 failed\n"))
      << r.out;
  EXPECT_TRUE(contains(
      r.out, "attachment " + origin.url("/fake.pdf") + ": content is HTML, not application/pdf\n"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "attachment " + origin.url("/missing.pdf") + ": HTTP 404\n"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "attachment " + origin.url("/big.pdf") + ": larger than 50 MB\n"))
      << r.out;

  // Again: the stored one is not fetched again; the failures are retried.
  const auto again =
      run_command({testing::newsdesk_binary(), "import", "--allow-private-addresses",
                   "--fetch-attachments", "--json", "--db", db, origin.url("/feed.rss")});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const auto json = nlohmann::json::parse(again.out);
  EXPECT_EQ(json["not_modified"], 1);
  EXPECT_EQ(json["attachments"]["fetched"], 0);
  EXPECT_EQ(json["attachments"]["already_stored"], 1);
  EXPECT_EQ(json["attachments"]["failed"].size(), 3u);
}

TEST(ImportFetchAttachments, WithoutTheFlagNothingIsDownloaded) {
  Origin origin;
  testing::TempDir dir;
  const auto r = run_command({testing::newsdesk_binary(), "import", "--allow-private-addresses",
                              "--db", "sqlite:" + dir.path() + "/n.db", origin.url("/feed.rss")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(contains(r.out, "attachments")) << r.out;
}

}  // namespace
}  // namespace newsdesk
