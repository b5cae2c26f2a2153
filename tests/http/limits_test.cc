// The HTTP server's limits, timeouts and graceful stop: a real http::Server
// on a loopback port (in this process, so the limits can be small and the
// handler slow on purpose), spoken to over raw sockets; and the body limits
// of [server] in the configuration file, against a real `newsdesk serve`.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "http/api.h"
#include "http/body_file.h"
#include "http/cache.h"
#include "http/server.h"
#include "support/process.h"

namespace newsdesk {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using Clock = std::chrono::steady_clock;
namespace beast_http = http::beast_http;

// A blocking client socket with deadlines.
class Client {
 public:
  explicit Client(unsigned short port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  // Reads until the peer closes or `limit` passes; returns what came.
  std::string read_until_closed(std::chrono::milliseconds limit) {
    std::string out;
    closed_ = false;
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (::poll(&p, 1, static_cast<int>(std::max<long>(1, left.count()))) <= 0) continue;
      char buffer[4096];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
  }
  // Reads one response head and its Content-Length body.
  std::string read_response(std::chrono::milliseconds limit) {
    std::string out;
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      const auto end = out.find("\r\n\r\n");
      if (end != std::string::npos) {
        const auto cl = out.find("Content-Length: ");
        const std::size_t length =
            cl == std::string::npos || cl > end ? 0 : std::stoul(out.substr(cl + 16));
        if (out.size() >= end + 4 + length) return out;
      }
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char buffer[4096];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
  }
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
};

int status_of(const std::string& response) {
  if (!response.starts_with("HTTP/1.1 ") || response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

// A server running on its own thread until destroyed.
class Running {
 public:
  Running(http::ServerOptions options, http::Handler handler)
      : server_(with_port_zero(std::move(options)), std::move(handler)) {
    listening_ = server_.listen().has_value();
    if (listening_) thread_ = std::thread([this] { server_.run(); });
  }
  ~Running() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  Running(const Running&) = delete;
  Running& operator=(const Running&) = delete;

  bool listening() const { return listening_; }
  unsigned short port() const { return server_.port(); }
  http::Server& server() { return server_; }
  // Stops and waits for run() to return; how long that took.
  std::chrono::milliseconds stop_and_wait() {
    const auto start = Clock::now();
    server_.stop();
    if (thread_.joinable()) thread_.join();
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  }

 private:
  static http::ServerOptions with_port_zero(http::ServerOptions options) {
    options.host = "127.0.0.1";
    options.port = 0;
    return options;
  }
  http::Server server_;
  std::thread thread_;
  bool listening_ = false;
};

http::Response hello(const http::Request& req) {
  http::Response res{beast_http::status::ok, req.version()};
  res.set(beast_http::field::content_type, "text/plain");
  res.body() = "hello " + std::string(req[http::kClientAddressHeader]);
  res.keep_alive(true);
  return res;
}

http::ServerOptions small_options() {
  http::ServerOptions o;
  o.threads = 2;
  o.request_line_limit = 1024;
  o.header_limit = 4096;
  o.body_limit = 1000;
  o.header_timeout = 400ms;
  o.body_timeout = 400ms;
  o.idle_timeout = 400ms;
  return o;
}

std::string get(std::string_view target, std::string_view extra = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: x\r\n" + std::string(extra) + "\r\n";
}

TEST(HttpLimits, LongRequestLineIs414) {
  Running running(small_options(), hello);
  ASSERT_TRUE(running.listening());
  {
    // Under the header limit, over the request-line limit.
    Client c(running.port());
    ASSERT_TRUE(c.send(get("/" + std::string(2000, 'a'))));
    EXPECT_EQ(status_of(c.read_until_closed(2s)), 414);
    EXPECT_TRUE(c.closed());
  }
  {
    // Over both: still the request line's fault.
    Client c(running.port());
    ASSERT_TRUE(c.send(get("/" + std::string(10000, 'a'))));
    EXPECT_EQ(status_of(c.read_until_closed(2s)), 414);
  }
  // And the server goes on serving.
  Client ok(running.port());
  ASSERT_TRUE(ok.send(get("/")));
  EXPECT_EQ(status_of(ok.read_response(2s)), 200);
}

TEST(HttpLimits, LargeHeaderIs431) {
  Running running(small_options(), hello);
  ASSERT_TRUE(running.listening());
  std::string fields;
  for (int i = 0; i < 100; ++i)
    fields += "X-Filler-" + std::to_string(i) + ": " + std::string(50, 'v') + "\r\n";
  Client c(running.port());
  ASSERT_TRUE(c.send(get("/", fields)));
  EXPECT_EQ(status_of(c.read_until_closed(2s)), 431);
  EXPECT_TRUE(c.closed());
}

TEST(HttpLimits, BodyOverTheRouteLimitIs413BeforeItIsSent) {
  http::ServerOptions options = small_options();
  options.body_timeout = 5s;  // a wait for the body would show as a timeout, not a 413
  options.body_limit_for = [](beast_http::verb, std::string_view target) -> std::size_t {
    return target == "/upload" ? 100000 : 1000;
  };
  Running running(options, hello);
  ASSERT_TRUE(running.listening());
  {
    Client c(running.port());
    const auto start = Clock::now();
    // Only the header: the server must not wait for 50 MB.
    ASSERT_TRUE(c.send("POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n"));
    EXPECT_EQ(status_of(c.read_until_closed(3s)), 413);
    EXPECT_LT(Clock::now() - start, 1s);
  }
  {
    // The same size is fine where the route allows it.
    Client c(running.port());
    ASSERT_TRUE(c.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" +
                       std::string(5000, 'b')));
    EXPECT_EQ(status_of(c.read_response(2s)), 200);
  }
  {
    // A chunked body is counted as it comes.
    Client c(running.port());
    ASSERT_TRUE(
        c.send("POST /form HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n" +
               std::string(2000, 'c') + "\r\n0\r\n\r\n"));
    EXPECT_EQ(status_of(c.read_until_closed(2s)), 413);
  }
}

TEST(HttpLimits, MalformedRequestsAre400AndNeverStopTheServer) {
  Running running(small_options(), hello);
  ASSERT_TRUE(running.listening());
  const std::vector<std::string> bad = {
      "GARBAGE\r\n\r\n",
      "GET /\0x HTTP/1.1\r\nHost: x\r\n\r\n"s,
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "GET / HTTP/1.1\r\nBad Header Name: x\r\n\r\n",
      "GET / HTTP/1.1\r\n: empty name\r\n\r\n",
      "GET / HTTP/2.7\r\nHost: x\r\n\r\n",
      "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 tls hello\r\n\r\n",
  };
  for (const std::string& request : bad) {
    Client c(running.port());
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(c.send(request));
    const std::string response = c.read_until_closed(2s);
    EXPECT_EQ(status_of(response), 400) << "for " << request;
    EXPECT_TRUE(c.closed()) << "for " << request;
  }
  Client ok(running.port());
  ASSERT_TRUE(ok.send(get("/")));
  EXPECT_EQ(status_of(ok.read_response(2s)), 200);
}

TEST(HttpTimeouts, ASilentConnectionIsClosedAfterTheHeaderTimeout) {
  Running running(small_options(), hello);
  ASSERT_TRUE(running.listening());
  Client c(running.port());
  const auto start = Clock::now();
  c.read_until_closed(5s);
  EXPECT_TRUE(c.closed());
  EXPECT_LT(Clock::now() - start, 2s);
  EXPECT_GE(Clock::now() - start, 300ms);
}

TEST(HttpTimeouts, AHeaderTrickledSlowlyIsCutOff) {
  Running running(small_options(), hello);
  ASSERT_TRUE(running.listening());
  Client c(running.port());
  const auto start = Clock::now();
  // Slowloris: a byte every 50 ms keeps each read short, never the header.
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\n"));
  bool cut_off = false;
  for (int i = 0; i < 100 && !cut_off; ++i) {
    std::this_thread::sleep_for(50ms);
    cut_off = !c.send("X");
  }
  c.read_until_closed(2s);
  EXPECT_TRUE(c.closed());
  EXPECT_LT(Clock::now() - start, 3s) << "the header timeout is a deadline, not per read";
}

TEST(HttpTimeouts, ABodyTrickledSlowlyIsCutOff) {
  Running running(small_options(), hello);
  ASSERT_TRUE(running.listening());
  Client c(running.port());
  const auto start = Clock::now();
  ASSERT_TRUE(c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\n"));
  bool cut_off = false;
  for (int i = 0; i < 100 && !cut_off; ++i) {
    std::this_thread::sleep_for(50ms);
    cut_off = !c.send("b");
  }
  const std::string response = c.read_until_closed(2s);
  EXPECT_TRUE(c.closed());
  EXPECT_EQ(response.find("200 OK"), std::string::npos);
  EXPECT_LT(Clock::now() - start, 3s);
}

TEST(HttpTimeouts, AnIdleKeptAliveConnectionIsClosed) {
  Running running(small_options(), hello);
  ASSERT_TRUE(running.listening());
  Client c(running.port());
  ASSERT_TRUE(c.send(get("/")));
  EXPECT_EQ(status_of(c.read_response(2s)), 200);
  // Kept alive: a second request on the same connection works...
  ASSERT_TRUE(c.send(get("/")));
  EXPECT_EQ(status_of(c.read_response(2s)), 200);
  // ...until it has been idle for the idle timeout.
  const auto start = Clock::now();
  c.read_until_closed(5s);
  EXPECT_TRUE(c.closed());
  EXPECT_LT(Clock::now() - start, 2s);
}

TEST(HttpConnections, OverTheLimitGet503AndTheLimitFreesOnClose) {
  http::ServerOptions options = small_options();
  options.max_connections = 2;
  options.header_timeout = 10s;
  options.idle_timeout = 10s;
  Running running(options, hello);
  ASSERT_TRUE(running.listening());
  auto first = std::make_unique<Client>(running.port());
  Client second(running.port());
  ASSERT_TRUE(first->connected() && second.connected());
  // Both accepted and held (they send nothing).
  for (int i = 0; i < 100 && running.server().open_connections() < 2; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_EQ(running.server().open_connections(), 2u);
  {
    Client third(running.port());
    ASSERT_TRUE(third.send(get("/")));
    const std::string response = third.read_until_closed(3s);
    EXPECT_EQ(status_of(response), 503);
    EXPECT_NE(response.find("Retry-After: 1"), std::string::npos);
    EXPECT_TRUE(third.closed());
  }
  EXPECT_EQ(running.server().rejected_connections(), 1u);
  first.reset();  // closing one frees its place
  for (int i = 0; i < 200 && running.server().open_connections() > 1; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  Client fourth(running.port());
  ASSERT_TRUE(fourth.send(get("/")));
  EXPECT_EQ(status_of(fourth.read_response(2s)), 200);
}

TEST(HttpShutdown, RequestsInFlightFinishNewConnectionsAreRefused) {
  http::ServerOptions options = small_options();
  options.shutdown_timeout = 5s;
  std::atomic<bool> in_handler{false};
  Running running(options, [&](const http::Request& req) {
    if (req.target() == "/slow") {
      in_handler = true;
      std::this_thread::sleep_for(700ms);
    }
    return hello(req);
  });
  ASSERT_TRUE(running.listening());
  const unsigned short port = running.port();
  // An idle kept-alive connection is closed at once by the stop.
  Client idle(port);
  ASSERT_TRUE(idle.send(get("/")));
  ASSERT_EQ(status_of(idle.read_response(2s)), 200);

  Client slow(port);
  ASSERT_TRUE(slow.send(get("/slow")));
  while (!in_handler) std::this_thread::sleep_for(5ms);
  std::thread stopper([&] { running.stop_and_wait(); });
  std::this_thread::sleep_for(100ms);
  // The listening socket is closed: nothing new gets in.
  Client late(port);
  EXPECT_FALSE(late.connected());
  idle.read_until_closed(1s);
  EXPECT_TRUE(idle.closed());
  // The request in flight still gets its whole answer, and the connection
  // is not kept alive.
  const std::string response = slow.read_response(3s);
  EXPECT_EQ(status_of(response), 200);
  EXPECT_NE(response.find("Connection: close"), std::string::npos);
  stopper.join();
}

TEST(HttpShutdown, AStalledClientCannotHoldTheStopBeyondItsBound) {
  http::ServerOptions options = small_options();
  options.body_timeout = 30s;
  options.shutdown_timeout = 500ms;
  Running running(options, hello);
  ASSERT_TRUE(running.listening());
  Client stalled(running.port());
  ASSERT_TRUE(stalled.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\nabc"));
  for (int i = 0; i < 100 && running.server().open_connections() < 1; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  std::this_thread::sleep_for(100ms);  // for the server to start on the body
  const auto took = running.stop_and_wait();
  EXPECT_GE(took, 400ms);
  EXPECT_LT(took, 2s);
}

// A handler that never returns (a bug, a pathological input) cannot hold
// the process past the bound: run in a child process, since it exits.
TEST(HttpShutdownDeathTest, AHandlerStuckInComputationCannotHoldTheStop) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        http::ServerOptions options = small_options();
        options.threads = 1;
        options.shutdown_timeout = 300ms;
        std::atomic<bool> in_handler{false};
        Running running(options, [&](const http::Request& req) {
          in_handler = true;
          volatile std::uint64_t spin = 0;
          for (;;) spin = spin + 1;  // never returns
          return hello(req);
        });
        Client client(running.port());
        client.send(get("/"));
        while (!in_handler) std::this_thread::sleep_for(5ms);
        const auto start = std::chrono::steady_clock::now();
        std::raise(SIGTERM);
        std::this_thread::sleep_for(10s);
        // Not reached: the watchdog exits about 2.3 s after the signal.
        std::fprintf(stderr, "still alive after %lld ms\n",
                     static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::steady_clock::now() - start)
                                                .count()));
        std::exit(0);
      },
      // 70: the watchdog's status (its log line goes to spdlog's default
      // sink, stdout, which a death test does not capture).
      ::testing::ExitedWithCode(70), "");
}

// Large cached bodies go out by sendfile(2) from their BodyFile
// (server.cc, send_file): whole, on a kept-alive connection, never for
// HEAD; a client that stops reading is cut off after write_timeout, and one
// that leaves mid-body costs nothing but its connection.
std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 31 + i / 4096) % 26);
  return s;
}

struct FileServed {
  explicit FileServed(std::size_t size, http::ServerOptions options = small_options())
      : body(pattern(size)), entry(make_entry(body)), running(options, [this](const auto& req) {
          return http::respond_prepared(req, entry, http::CachePolicy{});
        }) {}
  static std::shared_ptr<const http::CachedResponse> make_entry(const std::string& body) {
    auto c = std::make_shared<http::CachedResponse>();
    c->content_type = "application/octet-stream";
    c->etag = "\"0123\"";
    c->identity_file = http::BodyFile::make(body);
    return c;
  }
  std::string body;
  std::shared_ptr<const http::CachedResponse> entry;
  Running running;
};

// Splits responses sent one after another: head and Content-Length body each.
std::vector<std::pair<std::string, std::string>> split_responses(std::string_view bytes) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!bytes.empty()) {
    const auto end = bytes.find("\r\n\r\n");
    if (end == std::string_view::npos) break;
    const std::string head(bytes.substr(0, end + 4));
    const auto cl = head.find("Content-Length: ");
    const std::size_t length = cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 16));
    out.emplace_back(head, std::string(bytes.substr(end + 4, length)));
    bytes.remove_prefix(std::min(bytes.size(), end + 4 + length));
  }
  return out;
}

// A new client gets the whole body.
void expect_served_whole(const FileServed& served) {
  Client next(served.running.port());
  ASSERT_TRUE(next.send(get("/", "Connection: close\r\n")));
  const auto responses = split_responses(next.read_until_closed(20s));
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_TRUE(responses[0].second == served.body);
}

TEST(HttpFileBodies, ALargeCachedBodyGoesOutWholeByFile) {
  FileServed served(3 * 1024 * 1024 + 5);
  ASSERT_TRUE(served.running.listening());
  ASSERT_NE(served.entry->identity_file, nullptr) << "the path under test needs a BodyFile";
  Client c(served.running.port());
  ASSERT_TRUE(c.send(get("/a") + get("/b") + get("/c", "Connection: close\r\n")));
  const auto responses = split_responses(c.read_until_closed(10s));
  ASSERT_EQ(responses.size(), 3u);
  for (const auto& [head, body] : responses) {
    EXPECT_EQ(status_of(head), 200) << head;
    EXPECT_NE(head.find("Content-Length: " + std::to_string(served.body.size())),
              std::string::npos);
    EXPECT_TRUE(body == served.body) << "body of " << body.size() << " bytes differs";
  }
  EXPECT_TRUE(c.closed());

  Client head(served.running.port());
  ASSERT_TRUE(head.send("HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  const std::string answer = head.read_until_closed(5s);
  EXPECT_EQ(status_of(answer), 200);
  EXPECT_TRUE(answer.ends_with("\r\n\r\n")) << "HEAD got body bytes";

  Client conditional(served.running.port());
  ASSERT_TRUE(conditional.send(get("/", "If-None-Match: \"0123\"\r\nConnection: close\r\n")));
  const std::string not_modified = conditional.read_until_closed(5s);
  EXPECT_EQ(status_of(not_modified), 304);
  EXPECT_TRUE(not_modified.ends_with("\r\n\r\n"));
}

TEST(HttpFileBodies, AClientThatStopsReadingIsCutOffAfterTheWriteTimeout) {
  http::ServerOptions options = small_options();
  options.write_timeout = 300ms;
  // More than loopback's socket buffers hold, so the server must wait.
  FileServed served(48 * 1024 * 1024, options);
  ASSERT_TRUE(served.running.listening());
  Client stalled(served.running.port());
  ASSERT_TRUE(stalled.send(get("/")));
  std::this_thread::sleep_for(100ms);
  const auto start = Clock::now();
  while (served.running.server().open_connections() > 0 && Clock::now() - start < 5s) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(served.running.server().open_connections(), 0u);
  const std::string got = stalled.read_until_closed(10s);
  EXPECT_LT(got.size(), served.body.size()) << "the stalled client was not cut off";

  expect_served_whole(served);  // the server goes on serving
}

TEST(HttpFileBodies, AClientLeavingMidBodyCostsOnlyItsConnection) {
  FileServed served(16 * 1024 * 1024);
  ASSERT_TRUE(served.running.listening());
  for (int i = 0; i < 5; ++i) {
    Client leaving(served.running.port());
    ASSERT_TRUE(leaving.send(get("/")));
    std::this_thread::sleep_for(20ms);
  }  // each closed with most of the body unread: EPIPE or a reset for sendfile
  const auto start = Clock::now();
  while (served.running.server().open_connections() > 0 && Clock::now() - start < 5s) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(served.running.server().open_connections(), 0u);
  expect_served_whole(served);
}

TEST(HttpClientAddress, OnlyTrustedProxiesMayNameTheClient) {
  http::ServerOptions options = small_options();
  Running untrusted(options, hello);
  options.trusted_proxies = {"127.0.0.1"};
  Running trusted(options, hello);
  ASSERT_TRUE(untrusted.listening() && trusted.listening());
  auto body = [](unsigned short port, std::string_view extra) {
    Client c(port);
    c.send(get("/", extra));
    const std::string response = c.read_response(2s);
    return response.substr(response.find("\r\n\r\n") + 4);
  };
  const std::string spoof =
      "X-Forwarded-For: 10.9.9.9, 203.0.113.7\r\nX-Newsdesk-Client-Address: 6.6.6.6\r\n";
  EXPECT_EQ(body(untrusted.port(), spoof), "hello 127.0.0.1");
  EXPECT_EQ(body(trusted.port(), spoof), "hello 203.0.113.7");
  EXPECT_EQ(body(trusted.port(), "X-Forwarded-For: not-an-address\r\n"), "hello 127.0.0.1");
  EXPECT_EQ(body(trusted.port(), ""), "hello 127.0.0.1");
}

TEST(HttpObserver, EveryAnswerIsReportedRefusalsIncluded) {
  std::mutex mu;
  std::vector<http::RequestRecord> seen;
  http::ServerOptions options = small_options();
  options.on_request = [&](const http::RequestRecord& r) {
    std::lock_guard lock(mu);
    seen.push_back(r);
  };
  Running running(options, hello);
  ASSERT_TRUE(running.listening());
  {
    Client c(running.port());
    c.send(get("/page?q=1", "User-Agent: test-agent\r\n"));
    c.read_response(2s);
  }
  {
    Client c(running.port());
    c.send("GARBAGE\r\n\r\n");
    c.read_until_closed(2s);
  }
  for (int i = 0; i < 100; ++i) {
    {
      std::lock_guard lock(mu);
      if (seen.size() >= 2) break;
    }
    std::this_thread::sleep_for(10ms);
  }
  std::lock_guard lock(mu);
  ASSERT_EQ(seen.size(), 2u);
  // Reported once written, so in either order.
  if (seen[0].status != 200) std::swap(seen[0], seen[1]);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].target, "/page?q=1");
  EXPECT_EQ(seen[0].status, 200);
  EXPECT_EQ(seen[0].body_bytes, std::string("hello 127.0.0.1").size());
  EXPECT_EQ(seen[0].client_address, "127.0.0.1");
  EXPECT_EQ(seen[0].user_agent, "test-agent");
  EXPECT_GT(seen[0].duration.count(), 0.0);
  EXPECT_EQ(seen[1].method, "-");
  EXPECT_EQ(seen[1].status, 400);
  EXPECT_EQ(seen[1].client_address, "127.0.0.1");
}

// [server] max_body_bytes and max_upload_bytes, against a real
// `newsdesk serve` reading them from its configuration file.
class ConfiguredBodyLimits : public ::testing::Test {
 protected:
  static constexpr std::size_t kBody = 4096;
  static constexpr std::size_t kUpload = 10000;
  // What the upload routes take: the file plus its multipart framing.
  static constexpr std::size_t kUploadBody = kUpload + http::kMultipartFraming;

  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    db_ = "sqlite:" + dir_->path() + "/news.db";
    const std::string config = dir_->path() + "/newsdesk.toml";
    std::ofstream(config) << "[server]\nmax_body_bytes = " << kBody
                          << "\nmax_upload_bytes = " << kUpload << "\n";
    ASSERT_EQ(testing::add_user(db_, "edna", "editor", "a long enough password").exit_code, 0);
    const auto created =
        testing::run_command({testing::newsdesk_binary(), "token", "create", "edna", "--db", db_});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    // The token is the output's last word.
    const auto end = created.out.find_last_not_of(" \n");
    const auto start = created.out.find_last_of(' ', end);
    token_ = created.out.substr(start + 1, end - start);
    server_ = new testing::ServerProcess({"--config", config, "--db", db_});
    ASSERT_TRUE(server_->started());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  // Sends only the request head announcing `length` bytes of body; the
  // answer must come without the body.
  static std::string head_only(const std::string& target, std::size_t length,
                               std::chrono::milliseconds wait = 3s) {
    Client c(server_->port());
    c.send("POST " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token_ +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(length) +
           "\r\n\r\n");
    return c.read_until_closed(wait);
  }

  static testing::HttpReply post_json(const std::string& body) {
    return testing::http_request(
        server_->port(), "POST", "/api/v1/news",
        {{"Authorization", "Bearer " + token_}, {"Content-Type", "application/json"}}, body);
  }

  // A news item's JSON padded to exactly `size` bytes.
  static std::string json_of_size(std::size_t size) {
    const std::string head = R"({"title": "Sized", "status": "draft", "body_markdown": ")";
    const std::string tail = "\"}";
    return head + std::string(size - head.size() - tail.size(), 'x') + tail;
  }

  // A multipart body of one "file" part holding a PDF of `file_size` bytes,
  // padded with a second part so the whole body is `body_size` bytes.
  static std::string multipart(std::size_t file_size, std::size_t body_size,
                               const std::string& boundary) {
    const std::string pdf = "%PDF-1.4\n" + std::string(file_size - 9, 'p');
    std::string body = "--" + boundary +
                       "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.pdf\""
                       "\r\nContent-Type: application/pdf\r\n\r\n" +
                       pdf + "\r\n--" + boundary +
                       "\r\nContent-Disposition: form-data; name=\"padding\"\r\n\r\n";
    const std::string end = "\r\n--" + boundary + "--\r\n";
    if (body.size() + end.size() < body_size) {
      body += std::string(body_size - body.size() - end.size(), 'z');
    }
    return body + end;
  }

  static testing::HttpReply upload(std::int64_t id, const std::string& body,
                                   const std::string& boundary) {
    return testing::http_request(server_->port(), "POST",
                                 "/api/v1/news/" + std::to_string(id) + "/attachments",
                                 {{"Authorization", "Bearer " + token_},
                                  {"Content-Type", "multipart/form-data; boundary=" + boundary}},
                                 body);
  }

  static testing::TempDir* dir_;
  static testing::ServerProcess* server_;
  static std::string db_;
  static std::string token_;
};

testing::TempDir* ConfiguredBodyLimits::dir_ = nullptr;
testing::ServerProcess* ConfiguredBodyLimits::server_ = nullptr;
std::string ConfiguredBodyLimits::db_;
std::string ConfiguredBodyLimits::token_;

TEST_F(ConfiguredBodyLimits, JsonOverMaxBodyBytesIs413UnreadAndUnderItPasses) {
  const auto start = Clock::now();
  EXPECT_EQ(status_of(head_only("/api/v1/news", kBody + 1)), 413);
  EXPECT_LT(Clock::now() - start, 1s) << "the body must not be waited for";
  // Whole bodies: one byte over is refused, exactly the limit is created.
  EXPECT_EQ(post_json(json_of_size(kBody + 1)).status, 413);
  const auto created = post_json(json_of_size(kBody));
  EXPECT_EQ(created.status, 201) << created.body;
  // The default (1 MiB) no longer applies: this server's limit is smaller.
  EXPECT_EQ(status_of(head_only("/api/v1/news", 100000)), 413);
}

TEST_F(ConfiguredBodyLimits, UploadOverMaxUploadBytesIs413UnreadAndUnderItPasses) {
  const auto created = post_json(R"({"title": "With a file", "status": "draft"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::int64_t id = nlohmann::json::parse(created.body)["id"].get<std::int64_t>();
  const std::string target = "/api/v1/news/" + std::to_string(id) + "/attachments";
  // The upload route takes more than max_body_bytes...
  // (it waits for the body: no answer within the second)
  EXPECT_EQ(head_only(target, kBody + 1, 1s), "");
  // ...up to max_upload_bytes plus the framing; beyond it, 413 unread, in
  // the API and in the admin interface.
  const auto start = Clock::now();
  EXPECT_EQ(status_of(head_only(target, kUploadBody + 1)), 413);
  EXPECT_EQ(
      status_of(head_only("/admin/news/" + std::to_string(id) + "/attachments", kUploadBody + 1)),
      413);
  EXPECT_LT(Clock::now() - start, 2s);
  const std::string boundary = "limitsboundary";
  EXPECT_EQ(upload(id, multipart(kUpload, kUploadBody + 1, boundary), boundary).status, 413);
  // A body of exactly the limit passes, and a file of exactly
  // max_upload_bytes is stored...
  const auto stored = upload(id, multipart(kUpload, kUploadBody, boundary), boundary);
  EXPECT_EQ(stored.status, 201) << stored.body;
  EXPECT_EQ(nlohmann::json::parse(stored.body, nullptr, false).value("length", 0), 10000);
  // ...while a file one byte larger, in a body under the limit, is refused
  // by the same limit with a clear message.
  const auto too_big = upload(id, multipart(kUpload + 1, 0, boundary), boundary);
  EXPECT_EQ(too_big.status, 400) << too_big.body;
  EXPECT_NE(too_big.body.find("larger than 10000 bytes"), std::string::npos) << too_big.body;
}

TEST(ConfiguredBodyLimitsConfig, BadValuesAreRefusedNamingTheKey) {
  testing::TempDir dir;
  const std::string config = dir.path() + "/newsdesk.toml";
  const std::vector<std::string> lines = {"max_body_bytes = 0", "max_body_bytes = 1000000000",
                                          "max_upload_bytes = -5", "max_upload_bytes = \"20MB\"",
                                          "max_upload_bytes = 4000000000"};
  for (const std::string& line : lines) {
    std::ofstream(config) << "[server]\n" << line << "\n";
    const auto r =
        testing::run_command({testing::newsdesk_binary(), "serve", "--config", config, "--db",
                              dir.path() + "/news.db", "--listen", "127.0.0.1:0"});
    EXPECT_NE(r.exit_code, 0) << line;
    const std::string key = line.substr(0, line.find(' '));
    EXPECT_NE(r.err.find(key + " must be an integer from 1024 to "), std::string::npos)
        << line << ": " << r.err;
  }
}

}  // namespace
}  // namespace newsdesk
