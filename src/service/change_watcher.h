// The content generation: a number that grows whenever what readers may see
// could have changed — a commit by this process or another one (another
// `newsdesk import`, another instance), or a publication time passing.
// Caches key their entries on it.
//
// Thread-safety: generation() and notify_local_change() may be called from
// any thread; start()/stop() from the owning thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "service/news.h"
#include "store/store.h"

namespace newsdesk::service {

class ChangeWatcher {
 public:
  // `store` must outlive the watcher. on_change runs on the polling thread
  // (or the caller of poll()) after each bump; it must not block for long.
  ChangeWatcher(store::Store& store, Clock clock, std::function<void()> on_change = {});
  ~ChangeWatcher();
  ChangeWatcher(const ChangeWatcher&) = delete;
  ChangeWatcher& operator=(const ChangeWatcher&) = delete;

  // The current generation. Cheap (two atomic loads and the clock); when a
  // publication time has passed since the last poll, polls first so no
  // request is served from before it (while the store fails to answer, at
  // most once a second).
  std::uint64_t generation();

  // Asks the store now; bumps the generation when its change token moved or
  // a publication time passed. Returns true when it bumped.
  bool poll();

  // For writes made by this process: bumps at once.
  void notify_local_change();

  // Polls every `interval` on a background thread until stop().
  void start(std::chrono::milliseconds interval);
  void stop();

 private:
  // Under poll_mu_: a poll that failed, and one that worked, for the log.
  void store_failed(std::int64_t now, const std::string& why);
  void store_answered();
  static constexpr std::int64_t kWarnEverySeconds = 60;

  store::Store& store_;
  Clock clock_;
  std::function<void()> on_change_;
  std::atomic<std::uint64_t> generation_{1};
  // Epoch seconds of the next publication; INT64_MAX when none is known.
  std::atomic<std::int64_t> next_publication_{INT64_MAX};
  std::mutex poll_mu_;  // serialises poll(); guards last_token_
  std::optional<std::uint64_t> last_token_;
  std::int64_t failing_since_ = -1;  // guarded by poll_mu_; -1: not failing
  std::int64_t warned_at_ = 0;       // guarded by poll_mu_
  std::mutex run_mu_;
  std::condition_variable run_cv_;
  bool running_ = false;  // guarded by run_mu_
  std::thread thread_;
};

}  // namespace newsdesk::service
