#include "service/change_watcher.h"

#include <spdlog/spdlog.h>

namespace newsdesk::service {

ChangeWatcher::ChangeWatcher(store::Store& store, Clock clock, std::function<void()> on_change)
    : store_(store), clock_(std::move(clock)), on_change_(std::move(on_change)) {
  poll();
}

ChangeWatcher::~ChangeWatcher() { stop(); }

std::uint64_t ChangeWatcher::generation() {
  if (clock_() >= next_publication_.load(std::memory_order_acquire)) poll();
  return generation_.load(std::memory_order_acquire);
}

bool ChangeWatcher::poll() {
  bool changed = false;
  {
    std::lock_guard lock(poll_mu_);
    auto token = store_.change_token();
    const std::int64_t now = clock_();
    if (!token) {
      // A busy or broken store: keep serving what we have. Once a
      // publication time has passed, every request would ask again (and a
      // PostgreSQL store would connect again): the next try from a request
      // waits a second instead. The time stays passed, so the first poll
      // that succeeds from then on still bumps.
      if (now >= next_publication_.load(std::memory_order_acquire)) {
        next_publication_.store(now + 1, std::memory_order_release);
      }
      store_failed(now, token.error().message);
      return false;
    }
    const bool time_passed = now >= next_publication_.load(std::memory_order_acquire);
    changed = (last_token_ && *last_token_ != *token) || time_passed;
    if (!last_token_ || changed) {
      auto next = store_.next_publication(now);
      if (!next) {
        store_failed(now, next.error().message);
        next_publication_.store(now + 1, std::memory_order_release);  // ask again soon
      } else {
        next_publication_.store(next->value_or(INT64_MAX), std::memory_order_release);
        store_answered();
      }
    } else {
      store_answered();
    }
    last_token_ = *token;
    if (changed) generation_.fetch_add(1, std::memory_order_acq_rel);
  }
  if (changed && on_change_) on_change_();
  return changed;
}

void ChangeWatcher::store_failed(std::int64_t now, const std::string& why) {
  // Said when the failures start, then once a minute while they last: the
  // background poll alone would say it four times a second.
  if (failing_since_ < 0) {
    failing_since_ = now;
    warned_at_ = now;
    spdlog::warn("watcher: {}", why);
  } else if (now - warned_at_ >= kWarnEverySeconds) {
    warned_at_ = now;
    spdlog::warn("watcher: still failing since {} s ago: {}", now - failing_since_, why);
  }
}

void ChangeWatcher::store_answered() {
  if (failing_since_ < 0) return;
  spdlog::info("watcher: the store answers again");
  failing_since_ = -1;
}

void ChangeWatcher::notify_local_change() {
  // The next poll re-reads the token and the next publication time.
  generation_.fetch_add(1, std::memory_order_acq_rel);
  poll();
}

void ChangeWatcher::start(std::chrono::milliseconds interval) {
  {
    std::lock_guard lock(run_mu_);
    if (running_) return;
    running_ = true;
  }
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(run_mu_);
    while (running_) {
      if (run_cv_.wait_for(lock, interval, [this] { return !running_; })) break;
      lock.unlock();
      poll();
      lock.lock();
    }
  });
}

void ChangeWatcher::stop() {
  {
    std::lock_guard lock(run_mu_);
    running_ = false;
  }
  run_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace newsdesk::service
