#include "service/websub.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <memory>

namespace newsdesk::service {

namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

size_t discard(char*, size_t size, size_t n, void*) { return size * n; }

std::string form_escape(CURL* curl, const std::string& s) {
  char* escaped = curl_easy_escape(curl, s.c_str(), static_cast<int>(s.size()));
  std::string out = escaped == nullptr ? "" : escaped;
  curl_free(escaped);
  return out;
}

}  // namespace

WebSubPublisher::WebSubPublisher(WebSubOptions options,
                                 std::function<std::vector<std::string>()> topics)
    : options_(std::move(options)), topics_(std::move(topics)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  thread_ = std::thread([this] { run(); });
}

WebSubPublisher::~WebSubPublisher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void WebSubPublisher::notify() {
  {
    std::lock_guard lock(mu_);
    pending_ = true;
  }
  cv_.notify_all();
}

int WebSubPublisher::delivered() const {
  std::lock_guard lock(mu_);
  return delivered_;
}

void WebSubPublisher::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return pending_ || stopping_; });
    if (stopping_) return;
    pending_ = false;
    lock.unlock();
    const std::vector<std::string> topics = topics_();
    for (const std::string& topic : topics) {
      auto backoff = options_.first_backoff;
      for (int attempt = 1; attempt <= options_.attempts; ++attempt) {
        if (ping(topic)) {
          std::lock_guard count_lock(mu_);
          ++delivered_;
          break;
        }
        if (attempt == options_.attempts) {
          spdlog::warn("websub: giving up on {} after {} attempts", topic, attempt);
          break;
        }
        std::unique_lock wait_lock(mu_);
        if (cv_.wait_for(wait_lock, backoff, [this] { return stopping_; })) return;
        backoff *= 2;
      }
    }
    lock.lock();
  }
}

bool WebSubPublisher::ping(const std::string& topic) {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return false;
  const std::string body = "hub.mode=publish&hub.url=" + form_escape(curl.get(), topic);
  curl_easy_setopt(curl.get(), CURLOPT_URL, options_.hub_url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "newsdesk/" NEWSDESK_VERSION);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, discard);
  const CURLcode rc = curl_easy_perform(curl.get());
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (rc != CURLE_OK) {
    spdlog::warn("websub: ping {} for {}: {}", options_.hub_url, topic, curl_easy_strerror(rc));
    return false;
  }
  if (status < 200 || status >= 300) {
    spdlog::warn("websub: hub answered {} for {}", status, topic);
    return false;
  }
  return true;
}

}  // namespace newsdesk::service
