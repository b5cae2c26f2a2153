// Date parsing and formatting for feeds and HTTP, keeping the source's UTC
// offset, and time-zone offsets from ICU.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "model/datetime.h"

namespace newsdesk::text {

// RFC 822 / RFC 2822 date-time as found in RSS: "Wed, 04 Jul 2018 10:11:30 +0200".
// Accepts a missing weekday, missing seconds, 2-digit years (< 50 -> 20xx),
// numeric zones and the named zones UT, GMT, Z, UTC, EST/EDT, CST/CDT,
// MST/MDT, PST/PDT (no zone means UTC). nullopt when unparseable, never a guess.
std::optional<model::DateTime> parse_rfc822(std::string_view s);

// RFC 3339 / W3CDTF: "2018-07-04T10:11:30+02:00", "...Z", fractional seconds
// dropped; also date-only "2018-07-04" (midnight UTC), W3CDTF times without
// seconds, and a time without offset (read as UTC, like RFC 822 without a
// zone). nullopt when unparseable or out of range.
std::optional<model::DateTime> parse_rfc3339(std::string_view s);

// The formatters are independent of the process's TZ and locale, and clamp
// instants to the years 0000-9999 that the formats can write.
// "Wed, 04 Jul 2018 10:11:30 +0200" in the DateTime's own offset, English names.
std::string format_rfc822(const model::DateTime& t);
// "2018-07-04T10:11:30+02:00" ("Z" never used; "+00:00" for UTC).
std::string format_rfc3339(const model::DateTime& t);
// IMF-fixdate for HTTP headers: "Wed, 04 Jul 2018 08:11:30 GMT".
std::string format_http_date(std::int64_t epoch_seconds);
// Parses an IMF-fixdate (and the obsolete RFC 850 / asctime forms); nullopt otherwise.
// RFC 850's two-digit years below 50 are 20xx, like parse_rfc822, rather than
// RFC 9110's pivot on the current year, so the result never depends on the clock.
std::optional<std::int64_t> parse_http_date(std::string_view s);

// The UTC offset in minutes of an IANA time zone ("Europe/Vienna") at an
// instant, from ICU. Errors: kInvalid for an unknown zone (message
// "text/date: unknown time zone ..."). Thread-safe: a zone object per call.
Result<int> utc_offset_minutes(std::string_view time_zone, std::int64_t epoch_seconds);

// The instant shown in the given zone: {epoch_seconds, offset of the zone then}.
Result<model::DateTime> in_time_zone(std::string_view time_zone, std::int64_t epoch_seconds);

// A calendar date.
struct CivilDate {
  int year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31

  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

// The calendar date of an instant in its own offset (years clamped to 0-9999).
CivilDate civil_date(const model::DateTime& t);

// The first instant (epoch seconds) of a calendar day in a time zone: the
// start of a month or year archive. `day` may be one past the month's last
// day or `month` 13: they roll over to the next month or year, so the end
// of a range is the start of the next. Errors: kInvalid for an unknown zone
// or a date outside the years 1-9999.
Result<std::int64_t> start_of_day(std::string_view time_zone, int year, int month, int day);

}  // namespace newsdesk::text
