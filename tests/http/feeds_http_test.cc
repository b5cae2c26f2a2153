// Feeds over HTTP from a real `newsdesk serve`: formats, validators, 304,
// HEAD, compression, and invalidation when another process publishes.

#include <brotli/decode.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>

#include "feed/feed_validation.h"
#include "http/server.h"
#include "support/process.h"
#include "text/date.h"

namespace newsdesk {
namespace {

using testing::http_get;
using testing::http_request;
using testing::run_command;

std::string config_path() { return testing::source_dir() + "/examples/icmpd/newsdesk.toml"; }

class FeedsHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = "sqlite:" + dir_.path() + "/news.db";
    const auto imported =
        run_command({testing::newsdesk_binary(), "import", "--config", config_path(), "--db", db_,
                     testing::source_dir() + "/examples/icmpd/news-centre.rss.xml"});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    server_ = std::make_unique<testing::ServerProcess>(
        std::vector<std::string>{"--config", config_path(), "--db", db_});
    ASSERT_TRUE(server_->started());
  }

  testing::TempDir dir_;
  std::string db_;
  std::unique_ptr<testing::ServerProcess> server_;
};

TEST_F(FeedsHttp, EveryFormatIsValidWithItsMediaType) {
  const auto rss = http_get(server_->port(), "/rss.xml");
  ASSERT_EQ(rss.status, 200);
  EXPECT_EQ(rss.headers.at("content-type"), "application/rss+xml; charset=utf-8");
  EXPECT_EQ(testing::rss_errors(rss.body), "");
  const auto atom = http_get(server_->port(), "/atom.xml");
  ASSERT_EQ(atom.status, 200);
  EXPECT_EQ(atom.headers.at("content-type"), "application/atom+xml; charset=utf-8");
  EXPECT_EQ(testing::atom_schema_errors(atom.body), "");
  const auto json = http_get(server_->port(), "/feed.json");
  ASSERT_EQ(json.status, 200);
  EXPECT_EQ(json.headers.at("content-type"), "application/feed+json; charset=utf-8");
  EXPECT_EQ(testing::json_feed_errors(json.body), "");
}

TEST_F(FeedsHttp, CategoryFeedsHoldTheirItemsOnly) {
  const auto atom = http_get(server_->port(), "/category/expert-voice/atom.xml");
  ASSERT_EQ(atom.status, 200);
  EXPECT_EQ(testing::atom_schema_errors(atom.body), "");
  EXPECT_NE(atom.body.find("Expert Voice: Capacity building"), std::string::npos);
  EXPECT_EQ(atom.body.find("Project News:"), std::string::npos);
  EXPECT_EQ(http_get(server_->port(), "/category/no-such/rss.xml").status, 404);
}

TEST_F(FeedsHttp, ConditionalGetAnswers304) {
  const auto first = http_get(server_->port(), "/rss.xml");
  ASSERT_EQ(first.status, 200);
  const std::string etag = first.headers.at("etag");
  const std::string modified = first.headers.at("last-modified");
  EXPECT_EQ(modified, "Wed, 04 Jul 2018 08:11:30 GMT");
  EXPECT_NE(first.headers.at("cache-control").find("max-age="), std::string::npos);
  EXPECT_EQ(first.headers.at("x-content-type-options"), "nosniff");
  EXPECT_EQ(first.headers.at("server"), "newsdesk");
  const auto by_etag = http_request(server_->port(), "GET", "/rss.xml", {{"If-None-Match", etag}});
  EXPECT_EQ(by_etag.status, 304);
  EXPECT_EQ(by_etag.body, "");
  EXPECT_EQ(by_etag.headers.count("content-length"), 0u);
  const auto by_date =
      http_request(server_->port(), "GET", "/rss.xml", {{"If-Modified-Since", modified}});
  EXPECT_EQ(by_date.status, 304);
  const auto stale =
      http_request(server_->port(), "GET", "/rss.xml",
                   {{"If-None-Match", "\"other\""}, {"If-Modified-Since", modified}});
  EXPECT_EQ(stale.status, 200);
}

TEST_F(FeedsHttp, HeadMatchesGet) {
  const auto get = http_get(server_->port(), "/atom.xml");
  const auto head = http_request(server_->port(), "HEAD", "/atom.xml");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.headers.at("etag"), get.headers.at("etag"));
  EXPECT_EQ(head.headers.at("content-length"), std::to_string(get.body.size()));
}

std::string gunzip(const std::string& in) {
  z_stream z{};
  inflateInit2(&z, 15 + 16);
  std::string out(in.size() * 20 + 1024, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  inflate(&z, Z_FINISH);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

std::string unbrotli(const std::string& in) {
  std::string out(in.size() * 30 + 1024, '\0');
  size_t size = out.size();
  if (BrotliDecoderDecompress(in.size(), reinterpret_cast<const uint8_t*>(in.data()), &size,
                              reinterpret_cast<uint8_t*>(out.data())) !=
      BROTLI_DECODER_RESULT_SUCCESS) {
    return "";
  }
  out.resize(size);
  return out;
}

TEST_F(FeedsHttp, GzipAndBrotliCarryTheSameBytes) {
  const auto plain = http_get(server_->port(), "/rss.xml");
  const auto gz = http_request(server_->port(), "GET", "/rss.xml", {{"Accept-Encoding", "gzip"}});
  const auto br =
      http_request(server_->port(), "GET", "/rss.xml", {{"Accept-Encoding", "gzip, br"}});
  EXPECT_EQ(plain.headers.count("content-encoding"), 0u);
  EXPECT_EQ(gz.headers.at("content-encoding"), "gzip");
  EXPECT_EQ(br.headers.at("content-encoding"), "br");
  EXPECT_EQ(gz.headers.at("vary"), "Accept-Encoding, Accept");
  EXPECT_LT(gz.body.size(), plain.body.size());
  EXPECT_LT(br.body.size(), gz.body.size());
  EXPECT_EQ(gunzip(gz.body), plain.body);
  EXPECT_EQ(unbrotli(br.body), plain.body);
}

TEST_F(FeedsHttp, ArchivePagesAreReachable) {
  // The sample's 10 items at 20 per page make no full archive page.
  EXPECT_EQ(http_get(server_->port(), "/feed-archive/1/rss.xml").status, 404);
  EXPECT_EQ(http_get(server_->port(), "/rss.xml").body.find("prev-archive"), std::string::npos);
}

TEST_F(FeedsHttp, StylesheetIsServed) {
  const auto xsl = http_get(server_->port(), "/feed.xsl");
  EXPECT_EQ(xsl.status, 200);
  EXPECT_NE(xsl.body.find("<xsl:stylesheet"), std::string::npos);
  EXPECT_NE(http_get(server_->port(), "/rss.xml").body.find("<?xml-stylesheet"), std::string::npos);
}

TEST_F(FeedsHttp, BrowsersGetXmlTheyRenderWithTheStylesheet) {
  const auto browser =
      http_request(server_->port(), "GET", "/rss.xml",
                   {{"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}});
  EXPECT_EQ(browser.headers.at("content-type"), "application/xml; charset=utf-8");
  EXPECT_EQ(browser.headers.at("vary"), "Accept-Encoding, Accept");
  const auto reader = http_request(server_->port(), "GET", "/rss.xml",
                                   {{"Accept", "application/rss+xml, application/xml;q=0.9"}});
  EXPECT_EQ(reader.headers.at("content-type"), "application/rss+xml; charset=utf-8");
  EXPECT_EQ(reader.body, browser.body);
}

TEST_F(FeedsHttp, HtmlPagesLinkEveryFeed) {
  const auto home = http_get(server_->port(), "/");
  for (const char* link : {"type=\"application/rss+xml\"", "type=\"application/atom+xml\"",
                           "type=\"application/feed+json\""}) {
    EXPECT_NE(home.body.find(link), std::string::npos) << link;
  }
  const auto category = http_get(server_->port(), "/category/press-release/");
  ASSERT_EQ(category.status, 200);
  EXPECT_NE(category.body.find("href=\"/category/press-release/atom.xml\""), std::string::npos);
}

TEST_F(FeedsHttp, PublishingElsewhereRefreshesTheCachedFeed) {
  const auto before = http_get(server_->port(), "/rss.xml");
  ASSERT_EQ(before.status, 200);
  const std::string path = dir_.path() + "/new.xml";
  std::ofstream(path) << R"(<?xml version="1.0"?><rss version="2.0"><channel>
<title>t</title><link>https://www.icmpd.org/</link><description>d</description>
<item><title>Press Release: Brand new item</title>
<link>https://www.icmpd.org/news-centre/news-detail/brand-new-item/</link>
<description>New.</description><pubDate>Mon, 01 Jan 2024 10:00:00 +0100</pubDate></item>
</channel></rss>)";
  const auto imported = run_command(
      {testing::newsdesk_binary(), "import", "--config", config_path(), "--db", db_, path});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  testing::HttpReply after;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  do {
    after = http_get(server_->port(), "/rss.xml");
    if (after.body.find("Brand new item") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while (std::chrono::steady_clock::now() < deadline);
  EXPECT_NE(after.body.find("Brand new item"), std::string::npos);
  EXPECT_NE(after.headers.at("etag"), before.headers.at("etag"));
  EXPECT_EQ(after.headers.at("last-modified"), "Mon, 01 Jan 2024 09:00:00 GMT");
  // The detail page of the new item and the category feed follow too.
  EXPECT_EQ(http_get(server_->port(), "/news-centre/news-detail/brand-new-item/").status, 200);
  EXPECT_NE(
      http_get(server_->port(), "/category/press-release/feed.json").body.find("Brand new item"),
      std::string::npos);
}

TEST_F(FeedsHttp, ScheduledItemAppearsAtItsTimeWithoutARestart) {
  const std::int64_t at = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count() +
                          2;
  const std::string path = dir_.path() + "/scheduled.xml";
  std::ofstream(path) << "<rss version=\"2.0\"><channel><title>t</title>"
                         "<link>https://www.icmpd.org/</link><description>d</description>"
                         "<item><title>Embargoed statement</title>"
                         "<link>https://www.icmpd.org/news-centre/news-detail/embargoed/</link>"
                         "<pubDate>"
                      << text::format_rfc822(model::DateTime{at, 0})
                      << "</pubDate></item></channel></rss>";
  const auto imported = run_command(
      {testing::newsdesk_binary(), "import", "--config", config_path(), "--db", db_, path});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  // Give the watcher time to see the import: still hidden before its time.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(http_get(server_->port(), "/rss.xml").body.find("Embargoed statement"),
            std::string::npos);
  EXPECT_EQ(http_get(server_->port(), "/news-centre/news-detail/embargoed/").status, 404);
  std::string body;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(6);
  while (std::chrono::steady_clock::now() < deadline) {
    body = http_get(server_->port(), "/rss.xml").body;
    if (body.find("Embargoed statement") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(body.find("Embargoed statement"), std::string::npos);
  EXPECT_EQ(http_get(server_->port(), "/news-centre/news-detail/embargoed/").status, 200);
}

// A hub on loopback that records the publish pings it receives.
class RecordingHub {
 public:
  RecordingHub() {
    http::ServerOptions options;
    options.port = 0;
    server_ = std::make_unique<http::Server>(options, [this](const http::Request& req) {
      std::lock_guard lock(mu_);
      bodies_.push_back(req.body());
      return http::Response{http::beast_http::status::no_content, 11};
    });
    EXPECT_TRUE(server_->listen());
    thread_ = std::thread([this] { server_->run(); });
  }
  ~RecordingHub() {
    server_->stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()) + "/"; }
  std::vector<std::string> bodies() {
    std::lock_guard lock(mu_);
    return bodies_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> bodies_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

TEST(FeedsWebSub, PublishingPingsTheHubAboutEveryFeed) {
  RecordingHub hub;
  testing::TempDir dir;
  const std::string config = dir.path() + "/n.toml";
  std::ofstream(config) << "[site]\nbase_url = \"https://example.org/\"\n"
                           "[feeds]\nwebsub_hub = \""
                        << hub.url() << "\"\n";
  const std::string db = "sqlite:" + dir.path() + "/n.db";
  testing::ServerProcess server({"--config", config, "--db", db});
  ASSERT_TRUE(server.started());
  EXPECT_TRUE(hub.bodies().empty());
  const auto imported =
      run_command({testing::newsdesk_binary(), "import", "--config", config, "--db", db,
                   testing::source_dir() + "/examples/icmpd/news-centre.rss.xml"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (hub.bodies().size() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto bodies = hub.bodies();
  ASSERT_GE(bodies.size(), 3u);
  EXPECT_EQ(bodies[0], "hub.mode=publish&hub.url=https%3A%2F%2Fexample.org%2Frss.xml");
  EXPECT_EQ(bodies[1], "hub.mode=publish&hub.url=https%3A%2F%2Fexample.org%2Fatom.xml");
  EXPECT_EQ(bodies[2], "hub.mode=publish&hub.url=https%3A%2F%2Fexample.org%2Ffeed.json");
}

TEST(FeedsWebSub, FeedsAdvertiseTheConfiguredHub) {
  testing::TempDir dir;
  const std::string config = dir.path() + "/n.toml";
  std::ofstream(config) << "[site]\nbase_url = \"https://example.org/\"\n"
                           "[feeds]\nwebsub_hub = \"http://127.0.0.1:1/hub\"\n";
  testing::ServerProcess server({"--config", config, "--db", "sqlite:" + dir.path() + "/n.db"});
  ASSERT_TRUE(server.started());
  const auto rss = http_get(server.port(), "/rss.xml");
  EXPECT_EQ(rss.headers.at("link"),
            "<http://127.0.0.1:1/hub>; rel=\"hub\", <https://example.org/rss.xml>; rel=\"self\"");
  EXPECT_NE(rss.body.find("rel=\"hub\""), std::string::npos);
  EXPECT_NE(http_get(server.port(), "/feed.json").body.find("\"hubs\""), std::string::npos);
}

}  // namespace
}  // namespace newsdesk
