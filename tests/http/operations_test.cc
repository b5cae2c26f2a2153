// Operating `newsdesk serve`: /metrics, /healthz, access logs, limits from
// the configuration file, and a graceful stop on SIGTERM, against the real
// binary on a real database.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "support/process.h"

namespace newsdesk {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::http_get;
using testing::http_request;
using testing::run_command;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// The samples of an exposition, "name{labels}" -> value; fails the test on
// any line that is neither a sample nor a # HELP / # TYPE comment.
std::map<std::string, double> parse_metrics(const std::string& text) {
  const std::regex sample(
      R"re(^([a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})?) (\S+)$)re");
  const std::regex comment(R"re(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$)re");
  std::map<std::string, double> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, sample)) {
      out[m[1]] = std::stod(m[5]);
    } else {
      EXPECT_TRUE(std::regex_match(line, comment)) << "not exposition format: " << line;
    }
  }
  return out;
}

double value(const std::map<std::string, double>& samples, const std::string& key) {
  const auto it = samples.find(key);
  return it == samples.end() ? -1 : it->second;
}

// A raw client socket: connect, send, read what comes.
class Socket {
 public:
  explicit Socket(unsigned short port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Socket() { ::close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  bool connected() const { return connected_; }
  bool send(std::string_view bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  // Until the peer closes or `limit` passes.
  std::string read_all(std::chrono::milliseconds limit, bool* closed = nullptr) {
    std::string out;
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      char buffer[4096];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        if (closed != nullptr) *closed = true;
        break;
      }
      out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

class Operations : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    db_ = "sqlite:" + dir_->path() + "/news.db";
    access_log_ = dir_->path() + "/access.jsonl";
    config_ = dir_->path() + "/newsdesk.toml";
    write_file(config_,
               read_file(testing::source_dir() + "/examples/icmpd/newsdesk.toml") +
                   "\n[log]\naccess = \"access.jsonl\"\nformat = \"json\"\nlevel = \"warn\"\n");
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

  static std::map<std::string, double> scrape() {
    const auto reply = http_get(server_->port(), "/metrics");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.headers.at("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    return parse_metrics(reply.body);
  }

  static testing::TempDir* dir_;
  static testing::ServerProcess* server_;
  static std::string db_;
  static std::string config_;
  static std::string access_log_;
};

testing::TempDir* Operations::dir_ = nullptr;
testing::ServerProcess* Operations::server_ = nullptr;
std::string Operations::db_;
std::string Operations::config_;
std::string Operations::access_log_;

constexpr const char* kOther404 =
    "newsdesk_http_requests_total{route=\"other\",method=\"GET\",status=\"404\"}";
constexpr const char* kHome200 =
    "newsdesk_http_requests_total{route=\"home\",method=\"GET\",status=\"200\"}";

TEST_F(Operations, MetricsCountRequestsByRouteAndStatus) {
  const auto before = scrape();
  const double home_before = std::max(0.0, value(before, kHome200));
  ASSERT_EQ(http_get(server_->port(), "/").status, 200);
  ASSERT_EQ(http_get(server_->port(), "/").status, 200);
  ASSERT_EQ(http_get(server_->port(), "/rss.xml").status, 200);
  ASSERT_EQ(http_get(server_->port(), "/no/such/page-12345").status, 404);
  // A request is counted once its response is written, a moment after the
  // client may have read it.
  auto after = scrape();
  for (int i = 0;
       i < 50 && (value(after, kOther404) < 1 || value(after, kHome200) < home_before + 2); ++i) {
    std::this_thread::sleep_for(20ms);
    after = scrape();
  }
  EXPECT_EQ(value(after, kHome200), home_before + 2);
  EXPECT_GE(
      value(after, "newsdesk_http_requests_total{route=\"feed\",method=\"GET\",status=\"200\"}"),
      1);
  EXPECT_GE(value(after, kOther404), 1);
  // The raw path never becomes a label.
  for (const auto& [key, v] : after) EXPECT_EQ(key.find("page-12345"), std::string::npos) << key;
  // Latency histogram: +Inf bucket equals the count.
  EXPECT_EQ(
      value(after, "newsdesk_http_request_duration_seconds_bucket{route=\"home\",le=\"+Inf\"}"),
      value(after, "newsdesk_http_request_duration_seconds_count{route=\"home\"}"));
  EXPECT_GE(value(after, "newsdesk_http_request_duration_seconds_count{route=\"home\"}"), 2);
}

TEST_F(Operations, MetricsShowCacheStoreAndItems) {
  ASSERT_EQ(http_get(server_->port(), "/atom.xml").status, 200);
  const auto first = scrape();
  ASSERT_EQ(http_get(server_->port(), "/atom.xml").status, 200);  // from the cache
  const auto second = scrape();
  EXPECT_EQ(value(second, "newsdesk_cache_lookups_total{result=\"hit\"}"),
            value(first, "newsdesk_cache_lookups_total{result=\"hit\"}") + 1);
  EXPECT_GE(value(second, "newsdesk_cache_lookups_total{result=\"miss\"}"), 1);
  EXPECT_GT(value(second, "newsdesk_store_statement_duration_seconds_count{kind=\"read\"}"), 0);
  EXPECT_EQ(value(second, "newsdesk_items{status=\"published\"}"), 10);
  EXPECT_EQ(value(second, "newsdesk_items_imported"), 10);
  EXPECT_GE(value(second, "newsdesk_http_connections_open"), 1);
}

TEST_F(Operations, AccessLogHasAJsonLinePerRequest) {
  ASSERT_EQ(http_request(server_->port(), "GET", "/no/such/thing?x=1",
                         {{"User-Agent", "operations-test"}})
                .status,
            404);
  // Written after the response: give it a moment.
  std::vector<nlohmann::json> lines;
  for (int attempt = 0; attempt < 50; ++attempt) {
    lines.clear();
    std::istringstream text(read_file(access_log_));
    std::string line;
    bool found = false;
    while (std::getline(text, line)) {
      auto parsed = nlohmann::json::parse(line, nullptr, false);
      ASSERT_FALSE(parsed.is_discarded()) << "not JSON: " << line;
      found = found || parsed.value("path", "") == "/no/such/thing?x=1";
      lines.push_back(std::move(parsed));
    }
    if (found) break;
    std::this_thread::sleep_for(20ms);
  }
  const nlohmann::json* mine = nullptr;
  for (const auto& l : lines) {
    if (l.value("path", "") == "/no/such/thing?x=1") mine = &l;
  }
  ASSERT_NE(mine, nullptr);
  EXPECT_EQ((*mine)["status"], 404);
  EXPECT_EQ((*mine)["method"], "GET");
  EXPECT_EQ((*mine)["client"], "127.0.0.1");
  EXPECT_EQ((*mine)["user_agent"], "operations-test");
  EXPECT_GT((*mine)["bytes"].get<int>(), 0);
  EXPECT_GE((*mine)["duration_seconds"].get<double>(), 0.0);
}

TEST_F(Operations, HealthzChecksTheStore) {
  const auto ok = http_get(server_->port(), "/healthz");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "ok\n");
  EXPECT_EQ(ok.headers.at("cache-control"), "no-store");
}

// A server whose database breaks under it answers /healthz with 503.
TEST(OperationsHealth, BrokenStoreIs503) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/news.db";
  ASSERT_EQ(run_command({testing::newsdesk_binary(), "init", "--db", path}).exit_code, 0);
  testing::ServerProcess server({"--db", path});
  ASSERT_TRUE(server.started());
  ASSERT_EQ(http_get(server.port(), "/healthz").status, 200);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "PRAGMA foreign_keys=OFF; DROP TABLE items;", nullptr, nullptr, nullptr),
      SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
  const auto broken = http_get(server.port(), "/healthz");
  EXPECT_EQ(broken.status, 503);
  EXPECT_EQ(broken.body.find("items"), std::string::npos) << "no internals to the public";
}

TEST(OperationsConfig, ServerLimitsComeFromTheConfigFile) {
  testing::TempDir dir;
  const std::string config = dir.path() + "/newsdesk.toml";
  write_file(config,
             "[server]\nmax_request_line = 300\nheader_timeout = 1\nidle_timeout = 1\n"
             "max_connections = 3\n");
  testing::ServerProcess server({"--config", config, "--db", dir.path() + "/news.db"});
  ASSERT_TRUE(server.started());
  EXPECT_EQ(http_get(server.port(), "/" + std::string(400, 'a')).status, 414);
  EXPECT_EQ(http_get(server.port(), "/" + std::string(200, 'a')).status, 404);
  // A connection that sends nothing is closed after the header timeout.
  Socket silent(server.port());
  ASSERT_TRUE(silent.connected());
  const auto start = Clock::now();
  bool closed = false;
  silent.read_all(5s, &closed);
  EXPECT_TRUE(closed);
  EXPECT_LT(Clock::now() - start, 3s);
  // Bad values are refused with the key's name.
  write_file(config, "[server]\nheader_timeout = 0\n");
  const auto refused = run_command({testing::newsdesk_binary(), "serve", "--config", config, "--db",
                                    dir.path() + "/news.db", "--listen", "127.0.0.1:0"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("header_timeout"), std::string::npos) << refused.err;
  write_file(config, "[log]\nlevel = \"loud\"\n");
  const auto bad_level = run_command({testing::newsdesk_binary(), "serve", "--config", config,
                                      "--db", dir.path() + "/news.db", "--listen", "127.0.0.1:0"});
  EXPECT_NE(bad_level.exit_code, 0);
  EXPECT_NE(bad_level.err.find("log.level"), std::string::npos) << bad_level.err;
}

TEST(OperationsConfig, TextAccessLogAndTrustedProxy) {
  testing::TempDir dir;
  const std::string config = dir.path() + "/newsdesk.toml";
  const std::string log = dir.path() + "/access.log";
  write_file(config,
             "[server]\ntrusted_proxies = [\"127.0.0.1\"]\n[log]\naccess = \"" + log + "\"\n");
  testing::ServerProcess server(
      {"--config", config, "--db", dir.path() + "/news.db", "--log-level", "error"});
  ASSERT_TRUE(server.started());
  ASSERT_EQ(http_request(server.port(), "GET", "/robots.txt",
                         {{"X-Forwarded-For", "198.51.100.23"}, {"Referer", "https://a.example/"}})
                .status,
            200);
  std::string text;
  for (int attempt = 0; attempt < 50 && text.empty(); ++attempt) {
    std::this_thread::sleep_for(20ms);
    text = read_file(log);
  }
  const std::regex line(
      R"re(^198\.51\.100\.23 - - \[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET /robots\.txt HTTP/1\.1" 200 \d+ "https://a\.example/" "-" \d+\.\d{6}\n$)re");
  EXPECT_TRUE(std::regex_match(text, line)) << text;
}

// [server] metrics_allow: /metrics answers only the listed client
// addresses; for anyone else it is the site's ordinary 404.
TEST(OperationsMetricsAccess, OnlyAllowedClientsSeeMetrics) {
  testing::TempDir dir;
  const std::string db = dir.path() + "/news.db";
  const std::string config = dir.path() + "/newsdesk.toml";
  write_file(config, "[server]\nmetrics_allow = [\"10.0.0.0/8\", \"2001:db8::/32\"]\n");
  testing::ServerProcess server({"--config", config, "--db", db});
  ASSERT_TRUE(server.started());
  const auto other = http_get(server.port(), "/no-such-page");
  const auto refused = http_get(server.port(), "/metrics");
  EXPECT_EQ(refused.status, 404);
  EXPECT_EQ(refused.body, other.body) << "the same 404 as any unknown path";
  EXPECT_EQ(refused.headers.at("content-type"), other.headers.at("content-type"));
  EXPECT_EQ(refused.body.find("newsdesk_http"), std::string::npos);
  // The peer (127.0.0.1) is no trusted proxy: X-Forwarded-For does not count.
  EXPECT_EQ(
      http_request(server.port(), "GET", "/metrics", {{"X-Forwarded-For", "10.1.2.3"}}).status,
      404);
  EXPECT_EQ(
      http_request(server.port(), "GET", "/metrics", {{"X-Newsdesk-Client-Address", "10.1.2.3"}})
          .status,
      404);
  EXPECT_EQ(http_get(server.port(), "/healthz").status, 200) << "health stays public";
}

TEST(OperationsMetricsAccess, BehindATrustedProxyTheForwardedClientCounts) {
  testing::TempDir dir;
  const std::string db = dir.path() + "/news.db";
  const std::string config = dir.path() + "/newsdesk.toml";
  write_file(config,
             "[server]\ntrusted_proxies = [\"127.0.0.1\"]\nmetrics_allow = [\"10.0.0.0/8\"]\n");
  testing::ServerProcess server({"--config", config, "--db", db});
  ASSERT_TRUE(server.started());
  const auto allowed =
      http_request(server.port(), "GET", "/metrics", {{"X-Forwarded-For", "10.1.2.3"}});
  EXPECT_EQ(allowed.status, 200);
  EXPECT_NE(allowed.body.find("newsdesk_http_requests_total"), std::string::npos);
  // The proxy names a reader outside the list: refused, also when the
  // reader slipped an allowed address in front (only the last one counts).
  EXPECT_EQ(
      http_request(server.port(), "GET", "/metrics", {{"X-Forwarded-For", "198.51.100.7"}}).status,
      404);
  EXPECT_EQ(http_request(server.port(), "GET", "/metrics",
                         {{"X-Forwarded-For", "10.1.2.3, 198.51.100.7"}})
                .status,
            404);
  // Without the header the client is the proxy itself, not in the list.
  EXPECT_EQ(http_get(server.port(), "/metrics").status, 404);
}

TEST(OperationsMetricsAccess, EmptyListIsNobodyAndBadEntriesAreRefused) {
  testing::TempDir dir;
  const std::string db = dir.path() + "/news.db";
  const std::string config = dir.path() + "/newsdesk.toml";
  write_file(config, "[server]\nmetrics_allow = []\n");
  {
    testing::ServerProcess server({"--config", config, "--db", db});
    ASSERT_TRUE(server.started());
    EXPECT_EQ(http_get(server.port(), "/metrics").status, 404);
  }
  write_file(config, "[server]\nmetrics_allow = [\"0.0.0.0/0\", \"::/0\"]\n");
  {
    testing::ServerProcess server({"--config", config, "--db", db});
    ASSERT_TRUE(server.started());
    EXPECT_EQ(http_get(server.port(), "/metrics").status, 200);
  }
  for (const std::string& bad : std::vector<std::string>{"*", "10.0.0.0/33", "localhost"}) {
    write_file(config, "[server]\nmetrics_allow = [\"" + bad + "\"]\n");
    const auto r = run_command({testing::newsdesk_binary(), "serve", "--config", config, "--db", db,
                                "--listen", "127.0.0.1:0"});
    EXPECT_NE(r.exit_code, 0) << bad;
    EXPECT_NE(r.err.find("metrics_allow: '" + bad + "'"), std::string::npos) << r.err;
  }
}

// SIGTERM while a request is still arriving: no new connection gets in, the
// request is answered (and its write committed), the process exits 0.
TEST(OperationsShutdown, SigtermFinishesTheRequestInFlight) {
  testing::TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/news.db";
  ASSERT_EQ(
      run_command({testing::newsdesk_binary(), "user", "add", "ed", "--role", "editor", "--db", db})
          .exit_code,
      0);
  const auto created =
      run_command({testing::newsdesk_binary(), "token", "create", "ed", "--db", db});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string token = testing::last_word(created.out);
  auto server = std::make_unique<testing::ServerProcess>(std::vector<std::string>{"--db", db});
  ASSERT_TRUE(server->started());
  const unsigned short port = server->port();

  const std::string body =
      R"({"title": "Sent during shutdown", "body_markdown": "Still arrives.", "status": "published", "slug": "sent-during-shutdown"})";
  Socket upload(port);
  ASSERT_TRUE(upload.connected());
  ASSERT_TRUE(upload.send("POST /api/v1/news HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                          token + "\r\nContent-Type: application/json\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 20)));
  std::this_thread::sleep_for(200ms);  // the server is now reading the body

  int exit_code = -2;
  const auto start = Clock::now();
  std::thread stopper([&] { exit_code = server->terminate(); });
  std::this_thread::sleep_for(300ms);
  Socket late(port);
  EXPECT_FALSE(late.connected()) << "the listening socket is closed at once";
  ASSERT_TRUE(upload.send(body.substr(20)));
  bool closed = false;
  const std::string response = upload.read_all(5s, &closed);
  stopper.join();
  EXPECT_TRUE(response.starts_with("HTTP/1.1 201 ")) << response;
  EXPECT_NE(response.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(closed);
  EXPECT_EQ(exit_code, 0);
  EXPECT_LT(Clock::now() - start, 10s);
  // The database was closed cleanly (no WAL left) and holds the item.
  EXPECT_FALSE(std::ifstream(dir.path() + "/news.db-wal").good());
  server.reset();
  testing::ServerProcess again({"--db", db});
  ASSERT_TRUE(again.started());
  EXPECT_EQ(http_get(again.port(), "/news/sent-during-shutdown/").status, 200);
}

}  // namespace
}  // namespace newsdesk
