#include "service/websub.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "http/server.h"

namespace newsdesk::service {
namespace {

// A real hub stand-in: an HTTP server on loopback that records publish pings
// and fails the first `failures` of them.
class LocalHub {
 public:
  explicit LocalHub(int failures) : failures_(failures) {
    http::ServerOptions options;
    options.port = 0;
    server_ = std::make_unique<http::Server>(options, [this](const http::Request& req) {
      std::lock_guard lock(mu_);
      http::Response res{http::beast_http::status::no_content, 11};
      if (failures_ > 0) {
        --failures_;
        res.result(http::beast_http::status::service_unavailable);
      } else {
        bodies_.push_back(req.body());
      }
      return res;
    });
    EXPECT_TRUE(server_->listen());
    thread_ = std::thread([this] { server_->run(); });
  }
  ~LocalHub() {
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
  int failures_;
  std::vector<std::string> bodies_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

WebSubOptions options(const std::string& hub, int attempts) {
  WebSubOptions o;
  o.hub_url = hub;
  o.attempts = attempts;
  o.first_backoff = std::chrono::milliseconds(5);
  return o;
}

bool wait_for(const std::function<bool()>& done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST(WebSubPublisher, PingsEveryTopicAsAForm) {
  LocalHub hub(0);
  WebSubPublisher publisher(options(hub.url(), 4), [] {
    return std::vector<std::string>{"https://example.org/rss.xml", "https://example.org/atom.xml"};
  });
  publisher.notify();
  ASSERT_TRUE(wait_for([&] { return publisher.delivered() == 2; }));
  const auto bodies = hub.bodies();
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[0], "hub.mode=publish&hub.url=https%3A%2F%2Fexample.org%2Frss.xml");
}

TEST(WebSubPublisher, RetriesAFailingHub) {
  LocalHub hub(2);
  WebSubPublisher publisher(options(hub.url(), 4),
                            [] { return std::vector<std::string>{"https://example.org/rss.xml"}; });
  publisher.notify();
  ASSERT_TRUE(wait_for([&] { return publisher.delivered() == 1; }));
  EXPECT_EQ(hub.bodies().size(), 1u);
}

TEST(WebSubPublisher, UnreachableHubNeitherBlocksNorThrows) {
  // Port 1 on loopback: connection refused at once.
  WebSubPublisher publisher(options("http://127.0.0.1:1/", 2),
                            [] { return std::vector<std::string>{"https://example.org/rss.xml"}; });
  const auto start = std::chrono::steady_clock::now();
  publisher.notify();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(publisher.delivered(), 0);
}

}  // namespace
}  // namespace newsdesk::service
