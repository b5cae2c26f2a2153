// An instant plus the UTC offset it is displayed with. A press release
// published at 10:11:30 +0200 keeps its +0200 in feeds and pages.
#pragma once

#include <cstdint>

namespace newsdesk::model {

struct DateTime {
  std::int64_t epoch_seconds = 0;  // seconds since 1970-01-01T00:00:00Z
  int offset_minutes = 0;          // east of UTC: +0200 is 120

  friend bool operator==(const DateTime&, const DateTime&) = default;
};

// Orders by instant only; the offset is presentation.
inline bool earlier(const DateTime& a, const DateTime& b) {
  return a.epoch_seconds < b.epoch_seconds;
}

}  // namespace newsdesk::model
