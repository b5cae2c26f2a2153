// `newsdesk serve` as a user runs it: a real process on a loopback port.

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "support/process.h"

namespace newsdesk {
namespace {

using testing::http_get;
using testing::http_request;
using testing::run_command;

class Serve : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    db_ = "sqlite:" + dir_->path() + "/news.db";
    config_ = testing::source_dir() + "/examples/icmpd/newsdesk.toml";
    const auto imported =
        run_command({testing::newsdesk_binary(), "import", "--config", config_, "--db", db_,
                     testing::source_dir() + "/examples/icmpd/news-centre.rss.xml"});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    server_ = new testing::ServerProcess({"--config", config_, "--db", db_});
    ASSERT_TRUE(server_->started());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  static testing::TempDir* dir_;
  static testing::ServerProcess* server_;
  static std::string db_;
  static std::string config_;
};

testing::TempDir* Serve::dir_ = nullptr;
testing::ServerProcess* Serve::server_ = nullptr;
std::string Serve::db_;
std::string Serve::config_;

constexpr const char* kDetail =
    "/news-centre/news-detail/"
    "project-news-9th-phase-of-the-bomca-programme-extended-for-18-months/";

TEST_F(Serve, RssFeedHasTheSampleItems) {
  const auto reply = http_get(server_->port(), "/rss.xml");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.headers.at("content-type"), "application/rss+xml; charset=utf-8");
  EXPECT_NE(reply.body.find("<title>Project News: 9th phase of the BOMCA programme extended for 18 "
                            "months</title>"),
            std::string::npos);
  EXPECT_NE(reply.body.find(std::string("<link>https://www.icmpd.org") + kDetail + "</link>"),
            std::string::npos);
}

TEST_F(Serve, DetailPageShowsTheItem) {
  const auto reply = http_get(server_->port(), kDetail);
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.headers.at("content-type"), "text/html; charset=utf-8");
  EXPECT_TRUE(reply.body.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(reply.body.find("<h1>Project News: 9th phase of the BOMCA programme"),
            std::string::npos);
  EXPECT_NE(reply.body.find("<li>Resumed work of the Regional Platform"), std::string::npos);
  EXPECT_NE(reply.body.find("Osh &amp; Bishkek"), std::string::npos);
  EXPECT_NE(reply.body.find("<time datetime=\"2018-07-03T10:49:00+02:00\">3 July 2018</time>"),
            std::string::npos);
}

TEST_F(Serve, HomeListsNewestFirst) {
  const auto reply = http_get(server_->port(), "/");
  ASSERT_EQ(reply.status, 200);
  const auto first = reply.body.find("First Migrant Resource Centre opened in Afghanistan");
  const auto second = reply.body.find("9th phase of the BOMCA programme");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(first, second);
}

TEST_F(Serve, MissingPageIs404WithAPage) {
  const auto reply = http_get(server_->port(), "/news-centre/news-detail/no-such-item/");
  EXPECT_EQ(reply.status, 404);
  EXPECT_NE(reply.body.find("Page not found"), std::string::npos);
  EXPECT_EQ(http_get(server_->port(), "/nothing/here").status, 404);
}

TEST_F(Serve, HealthzAnswersOk) {
  const auto reply = http_get(server_->port(), "/healthz");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "ok\n");
}

TEST_F(Serve, HeadSendsHeadersWithoutBody) {
  const auto get = http_get(server_->port(), "/rss.xml");
  const auto head = http_request(server_->port(), "HEAD", "/rss.xml");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.headers.at("content-length"), std::to_string(get.body.size()));
}

TEST_F(Serve, OtherMethodsAre405) {
  const auto reply = http_request(server_->port(), "POST", "/rss.xml");
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.headers.at("allow"), "GET, HEAD");
}

TEST_F(Serve, KeepsTheConnectionAliveAcrossRequests) {
  namespace asio = boost::asio;
  namespace beast = boost::beast;
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
  beast::flat_buffer buffer;
  for (const char* target : {"/healthz", "/rss.xml", "/healthz"}) {
    beast::http::request<beast::http::empty_body> req{beast::http::verb::get, target, 11};
    req.set(beast::http::field::host, "127.0.0.1");
    beast::http::write(stream, req);
    beast::http::response<beast::http::string_body> res;
    beast::http::read(stream, buffer, res);
    EXPECT_EQ(res.result_int(), 200u) << target;
    EXPECT_TRUE(res.keep_alive()) << target;
  }
}

TEST_F(Serve, MalformedRequestIs400) {
  namespace asio = boost::asio;
  namespace beast = boost::beast;
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
  asio::write(stream, asio::buffer(std::string_view("GARBAGE \x01\x02 nonsense\r\n\r\n")));
  beast::flat_buffer buffer;
  beast::http::response<beast::http::string_body> res;
  beast::error_code ec;
  beast::http::read(stream, buffer, res, ec);
  EXPECT_EQ(res.result_int(), 400u) << ec.message();
  // The server lives on.
  EXPECT_EQ(http_get(server_->port(), "/healthz").status, 200);
}

TEST(ServeShutdown, SigtermEndsTheServerCleanly) {
  testing::TempDir dir;
  testing::ServerProcess server({"--db", "sqlite:" + dir.path() + "/n.db"});
  ASSERT_TRUE(server.started());
  EXPECT_EQ(http_get(server.port(), "/healthz").status, 200);
  EXPECT_EQ(server.terminate(), 0);
}

TEST(ServeShutdown, BusyPortIsAOneLineError) {
  testing::TempDir dir;
  testing::ServerProcess first({"--db", "sqlite:" + dir.path() + "/n.db"});
  ASSERT_TRUE(first.started());
  const auto second =
      run_command({testing::newsdesk_binary(), "serve", "--db", "sqlite:" + dir.path() + "/n.db",
                   "--listen", "127.0.0.1:" + std::to_string(first.port())});
  EXPECT_NE(second.exit_code, 0);
  EXPECT_NE(second.err.find("newsdesk: http: bind"), std::string::npos) << second.err;
}

}  // namespace
}  // namespace newsdesk

namespace newsdesk {
namespace {

TEST(ServeRedirects, ImportedPathsAnswer301ToThePermalink) {
  testing::TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/n.db";
  // The default permalink pattern (/news/{slug}/) differs from the sample's
  // TYPO3 paths, as after a migration to newsdesk's own URLs.
  const auto imported =
      testing::run_command({testing::newsdesk_binary(), "import", "--db", db,
                            testing::source_dir() + "/examples/icmpd/news-centre.rss.xml"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  testing::ServerProcess server({"--db", db});
  ASSERT_TRUE(server.started());
  const std::string slug = "project-news-9th-phase-of-the-bomca-programme-extended-for-18-months";
  for (const std::string& old :
       {"/news-centre/news-detail/" + slug + "/", "//news-centre/news-detail/" + slug + "/"}) {
    const auto reply = testing::http_get(server.port(), old);
    EXPECT_EQ(reply.status, 301) << old;
    EXPECT_EQ(reply.headers.at("location"), "/news/" + slug + "/") << old;
  }
  EXPECT_EQ(testing::http_get(server.port(), "/news/" + slug + "/").status, 200);
  EXPECT_EQ(testing::http_get(server.port(), "/news-centre/news-detail/unknown/").status, 404);
}

}  // namespace
}  // namespace newsdesk
