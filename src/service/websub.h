// WebSub publishing (https://www.w3.org/TR/websub/): tells the hub that
// topics (feed URLs) changed, in the background. A publish never waits for
// the hub and never fails because of it: each ping is retried a bounded
// number of times with back-off, then given up with a log line.
//
// Thread-safety: notify() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace newsdesk::service {

struct WebSubOptions {
  std::string hub_url;                           // absolute http(s) URL
  int attempts = 4;                              // per notification
  std::chrono::milliseconds first_backoff{500};  // doubled after each failure
  std::chrono::seconds timeout{10};              // per HTTP request
};

class WebSubPublisher {
 public:
  // `topics` is asked for the current topic URLs on every notification.
  WebSubPublisher(WebSubOptions options, std::function<std::vector<std::string>()> topics);
  ~WebSubPublisher();  // waits for an in-flight request to end, drops retries
  WebSubPublisher(const WebSubPublisher&) = delete;
  WebSubPublisher& operator=(const WebSubPublisher&) = delete;

  // Schedules a ping of every topic. Notifications that arrive while one is
  // pending are merged into it.
  void notify();

  // Pings sent successfully so far (for tests and /metrics).
  int delivered() const;

 private:
  void run();
  bool ping(const std::string& topic);

  WebSubOptions options_;
  std::function<std::vector<std::string>()> topics_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool pending_ = false;   // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  int delivered_ = 0;      // guarded by mu_
  std::thread thread_;
};

}  // namespace newsdesk::service
