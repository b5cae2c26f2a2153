#include "text/date.h"

#include <unicode/basictz.h>
#include <unicode/timezone.h>
#include <unicode/tztrans.h>
#include <unicode/ucal.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <array>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <string>

namespace newsdesk::text {
namespace {

// Calendar arithmetic is our own (Howard Hinnant's days_from_civil), not
// timegm/mktime/strftime: those read the process's TZ and locale, and a
// feed's date must mean the same instant on every server.
// http://howardhinnant.github.io/date_algorithms.html
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Civil {
  std::int64_t year;
  int month;
  int day;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return Civil{yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

bool is_leap_year(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(std::int64_t year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 12> kMonthsLong = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
// Index 0 is Sunday.
constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 7> kDaysLong = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

// 1-based month for "Jul" or "July", case-insensitive; 0 when unknown.
int month_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (iequals(name, kMonths[i]) || iequals(name, kMonthsLong[i])) return static_cast<int>(i) + 1;
  }
  return 0;
}

bool is_day_name(std::string_view name, bool allow_short, bool allow_long) {
  for (std::size_t i = 0; i < kDays.size(); ++i) {
    if ((allow_short && iequals(name, kDays[i])) || (allow_long && iequals(name, kDaysLong[i]))) {
      return true;
    }
  }
  return false;
}

// A cursor over the input; a read consumes what it matched and nothing when it
// fails, so the parsers below read as the grammars they implement.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  bool at_end() const { return pos_ == s_.size(); }
  std::size_t position() const { return pos_; }
  char peek() const { return at_end() ? '\0' : s_[pos_]; }

  // Folding whitespace (RFC 5322 FWS) included.
  void skip_space() {
    while (!at_end() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\r' || s_[pos_] == '\n')) {
      ++pos_;
    }
  }

  bool consume(char c) {
    if (peek() != c || at_end()) return false;
    ++pos_;
    return true;
  }

  // Between min_digits and max_digits ASCII digits.
  std::optional<int> digits(std::size_t min_digits, std::size_t max_digits) {
    std::size_t n = 0;
    int value = 0;
    while (n < max_digits && pos_ + n < s_.size() && s_[pos_ + n] >= '0' && s_[pos_ + n] <= '9') {
      value = value * 10 + (s_[pos_ + n] - '0');
      ++n;
    }
    if (n < min_digits) return std::nullopt;
    // More digits than allowed is a different field, not a longer number.
    if (pos_ + n < s_.size() && s_[pos_ + n] >= '0' && s_[pos_ + n] <= '9') return std::nullopt;
    pos_ += n;
    return value;
  }

  std::string_view letters() {
    const std::size_t start = pos_;
    while (!at_end() &&
           ((s_[pos_] >= 'a' && s_[pos_] <= 'z') || (s_[pos_] >= 'A' && s_[pos_] <= 'Z'))) {
      ++pos_;
    }
    return s_.substr(start, pos_ - start);
  }

  // Skips an RFC 5322 comment such as "(CET)"; false when unterminated.
  bool skip_comment() {
    if (!consume('(')) return true;
    int depth = 1;
    while (!at_end() && depth > 0) {
      const char c = s_[pos_++];
      if (c == '(') ++depth;
      if (c == ')') --depth;
    }
    return depth == 0;
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

struct Fields {
  std::int64_t year = 1970;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int offset_minutes = 0;
};

// Rejects what does not exist (month 13, 31 April, hour 25) instead of letting
// the arithmetic roll it over into some other date.
std::optional<model::DateTime> to_date_time(const Fields& f) {
  if (f.month < 1 || f.month > 12) return std::nullopt;
  if (f.day < 1 || f.day > days_in_month(f.year, f.month)) return std::nullopt;
  // 60 is a leap second (RFC 3339 §5.7, RFC 5322 §3.3); POSIX time has none,
  // so it lands on the next minute.
  if (f.hour > 23 || f.minute > 59 || f.second > 60) return std::nullopt;
  const std::int64_t local =
      days_from_civil(f.year, f.month, f.day) * 86400 + f.hour * 3600 + f.minute * 60 + f.second;
  return model::DateTime{local - std::int64_t{f.offset_minutes} * 60, f.offset_minutes};
}

// RFC 5322 §4.3 obsolete years: two digits below 50 are 20xx, others 19xx;
// three digits are added to 1900.
std::int64_t widen_year(int year, std::size_t digit_count) {
  if (digit_count == 2) return year < 50 ? 2000 + year : 1900 + year;
  if (digit_count == 3) return 1900 + year;
  return year;
}

// "+0200", "-0430" and, leniently, "+02:00". Hours above 23 or minutes above
// 59 are not an offset.
std::optional<int> numeric_offset(Scanner& sc) {
  const bool negative = sc.peek() == '-';
  if (!sc.consume('+') && !sc.consume('-')) return std::nullopt;
  const std::size_t start = sc.position();
  const auto digits = sc.digits(2, 4);
  if (!digits) return std::nullopt;
  int hours = 0;
  int minutes = 0;
  if (sc.position() - start == 4) {
    hours = *digits / 100;
    minutes = *digits % 100;
  } else if (sc.position() - start == 2 && sc.consume(':')) {
    const auto after_colon = sc.digits(2, 2);
    if (!after_colon) return std::nullopt;
    hours = *digits;
    minutes = *after_colon;
  } else {
    return std::nullopt;
  }
  if (hours > 23 || minutes > 59) return std::nullopt;
  const int offset = hours * 60 + minutes;
  return negative ? -offset : offset;
}

std::optional<int> named_zone_offset(std::string_view name) {
  struct Zone {
    std::string_view name;
    int offset_minutes;
  };
  // RFC 5322 §4.3; military single letters are left out because RFC 822 got
  // their signs wrong and senders never agreed on them.
  static constexpr Zone kZones[] = {
      {"UT", 0},     {"GMT", 0},    {"Z", 0},      {"UTC", 0},    {"EST", -300}, {"EDT", -240},
      {"CST", -360}, {"CDT", -300}, {"MST", -420}, {"MDT", -360}, {"PST", -480}, {"PDT", -420},
  };
  for (const Zone& zone : kZones) {
    if (iequals(name, zone.name)) return zone.offset_minutes;
  }
  return std::nullopt;
}

// The seconds since the epoch a format can show: years 0000 to 9999.
// Clamping keeps epoch + offset from overflowing on nonsense input.
std::int64_t clamp_epoch(std::int64_t epoch_seconds) {
  constexpr std::int64_t kMin = -62167219200;  // 0000-01-01T00:00:00Z
  constexpr std::int64_t kMax = 253402300799;  // 9999-12-31T23:59:59Z
  return epoch_seconds < kMin ? kMin : epoch_seconds > kMax ? kMax : epoch_seconds;
}

struct Broken {
  Civil date;
  int weekday;  // 0 is Sunday
  int hour;
  int minute;
  int second;
};

Broken break_down(std::int64_t epoch_seconds, int offset_minutes) {
  const std::int64_t local = clamp_epoch(epoch_seconds) + std::int64_t{offset_minutes} * 60;
  const std::int64_t days = floor_div(local, 86400);
  const auto seconds_of_day = static_cast<int>(local - days * 86400);
  // 1970-01-01 was a Thursday.
  const auto weekday = static_cast<int>(((days % 7) + 7 + 4) % 7);
  return Broken{civil_from_days(days), weekday, seconds_of_day / 3600, seconds_of_day / 60 % 60,
                seconds_of_day % 60};
}

// Appends n in decimal, zero-padded to at least `width` characters, as
// printf's "%0*lld" writes it (a minus sign counts towards the width).
// format_rfc3339 runs for every date on every page and in every feed;
// snprintf was most of its cost.
void append_padded(std::string& out, std::int64_t n, int width) {
  char digits[24];
  int count = 0;
  // Negated digit by digit, so that no value overflows.
  const bool negative = n < 0;
  do {
    const auto digit = static_cast<int>(n % 10);
    digits[count++] = static_cast<char>('0' + (negative ? -digit : digit));
    n /= 10;
  } while (n != 0);
  if (negative) {
    out += '-';
    --width;
  }
  if (count < width) out.append(static_cast<std::size_t>(width - count), '0');
  while (count > 0) out += digits[--count];
}

// "+0200" or, with a colon, "+02:00".
void append_offset(std::string& out, int offset_minutes, bool colon) {
  const std::int64_t magnitude =
      offset_minutes < 0 ? -std::int64_t{offset_minutes} : offset_minutes;
  out += offset_minutes < 0 ? '-' : '+';
  append_padded(out, magnitude / 60, 2);
  if (colon) out += ':';
  append_padded(out, magnitude % 60, 2);
}

std::string format_offset(int offset_minutes, bool colon) {
  std::string out;
  append_offset(out, offset_minutes, colon);
  return out;
}

std::string_view trim(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// HTTP dates are GMT only and written by machines, so these follow the
// three grammars of RFC 9110 §5.6.7 exactly, apart from letter case.
// Reads "HH:MM:SS" into f; the shared middle of all three HTTP date forms.
bool read_clock(Scanner& sc, Fields& f) {
  const auto hour = sc.digits(2, 2);
  const auto minute = sc.consume(':') ? sc.digits(2, 2) : std::nullopt;
  const auto second = sc.consume(':') ? sc.digits(2, 2) : std::nullopt;
  if (!hour || !minute || !second) return false;
  f.hour = *hour;
  f.minute = *minute;
  f.second = *second;
  return true;
}

// " GMT" and the end of input: how IMF-fixdate and RFC 850 dates close.
bool read_gmt_end(Scanner& sc) {
  return sc.consume(' ') && iequals(sc.letters(), "GMT") && sc.at_end();
}

std::optional<std::int64_t> epoch_of(const Fields& f) {
  const auto t = to_date_time(f);
  if (!t) return std::nullopt;
  return t->epoch_seconds;
}

std::optional<std::int64_t> parse_imf_fixdate(std::string_view s) {
  // Sun, 06 Nov 1994 08:49:37 GMT
  Scanner sc(s);
  Fields f;
  if (!is_day_name(sc.letters(), true, false) || !sc.consume(',') || !sc.consume(' ')) {
    return std::nullopt;
  }
  const auto day = sc.digits(2, 2);
  if (!day || !sc.consume(' ')) return std::nullopt;
  f.month = month_from_name(sc.letters());
  const auto year = sc.consume(' ') ? sc.digits(4, 4) : std::nullopt;
  if (!year || !sc.consume(' ') || !read_clock(sc, f) || !read_gmt_end(sc)) return std::nullopt;
  f.day = *day;
  f.year = *year;
  return epoch_of(f);
}

std::optional<std::int64_t> parse_rfc850_date(std::string_view s) {
  // Sunday, 06-Nov-94 08:49:37 GMT
  Scanner sc(s);
  Fields f;
  if (!is_day_name(sc.letters(), false, true) || !sc.consume(',') || !sc.consume(' ')) {
    return std::nullopt;
  }
  const auto day = sc.digits(2, 2);
  if (!day || !sc.consume('-')) return std::nullopt;
  f.month = month_from_name(sc.letters());
  const auto year = sc.consume('-') ? sc.digits(2, 2) : std::nullopt;
  if (!year || !sc.consume(' ') || !read_clock(sc, f) || !read_gmt_end(sc)) return std::nullopt;
  f.day = *day;
  // RFC 9110 pivots on the current year; a fixed pivot (00-49 are 20xx)
  // keeps the parse deterministic, and only old servers send this form.
  f.year = widen_year(*year, 2);
  return epoch_of(f);
}

std::optional<std::int64_t> parse_asctime_date(std::string_view s) {
  // Sun Nov  6 08:49:37 1994
  Scanner sc(s);
  Fields f;
  if (!is_day_name(sc.letters(), true, false) || !sc.consume(' ')) return std::nullopt;
  f.month = month_from_name(sc.letters());
  if (!sc.consume(' ')) return std::nullopt;
  // The day is two digits or a space and one digit.
  const auto day = sc.consume(' ') ? sc.digits(1, 1) : sc.digits(2, 2);
  if (!day || !sc.consume(' ') || !read_clock(sc, f)) return std::nullopt;
  const auto year = sc.consume(' ') ? sc.digits(4, 4) : std::nullopt;
  if (!year || !sc.at_end()) return std::nullopt;
  f.day = *day;
  f.year = *year;
  return epoch_of(f);
}

}  // namespace

std::optional<model::DateTime> parse_rfc822(std::string_view s) {
  Scanner sc(trim(s));
  Fields f;
  sc.skip_space();
  // [ day-of-week "," ]: feeds write "Wed," and sometimes "Wednesday,"; a
  // weekday that disagrees with the date is common and harmless, so it is
  // not checked.
  if ((sc.peek() >= 'a' && sc.peek() <= 'z') || (sc.peek() >= 'A' && sc.peek() <= 'Z')) {
    if (!is_day_name(sc.letters(), true, true)) return std::nullopt;
    sc.skip_space();
    sc.consume(',');  // "Wed 04 Jul 2018 ..." is seen in the wild too
    sc.skip_space();
  }
  const auto day = sc.digits(1, 2);
  if (!day) return std::nullopt;
  sc.skip_space();
  f.month = month_from_name(sc.letters());
  if (f.month == 0) return std::nullopt;
  sc.skip_space();
  const std::size_t year_start = sc.position();
  const auto year = sc.digits(2, 4);
  if (!year) return std::nullopt;
  const std::size_t year_digits = sc.position() - year_start;
  sc.skip_space();
  const auto hour = sc.digits(1, 2);
  const auto minute = sc.consume(':') ? sc.digits(2, 2) : std::nullopt;
  if (!hour || !minute) return std::nullopt;
  std::optional<int> second = 0;
  if (sc.consume(':')) second = sc.digits(2, 2);
  if (!second) return std::nullopt;
  sc.skip_space();

  int offset = 0;  // No zone at all: UTC, as the header promises.
  if (sc.peek() == '+' || sc.peek() == '-') {
    const auto numeric = numeric_offset(sc);
    if (!numeric) return std::nullopt;
    offset = *numeric;
  } else if (!sc.at_end() && sc.peek() != '(') {
    // An unknown name such as "CEST" could mean anything; refuse to guess.
    const auto named = named_zone_offset(sc.letters());
    if (!named) return std::nullopt;
    offset = *named;
  }
  sc.skip_space();
  if (!sc.skip_comment()) return std::nullopt;
  sc.skip_space();
  if (!sc.at_end()) return std::nullopt;

  f.day = *day;
  f.year = widen_year(*year, year_digits);
  f.hour = *hour;
  f.minute = *minute;
  f.second = *second;
  f.offset_minutes = offset;
  return to_date_time(f);
}

std::optional<model::DateTime> parse_rfc3339(std::string_view s) {
  Scanner sc(trim(s));
  Fields f;
  const auto year = sc.digits(4, 4);
  const auto month = sc.consume('-') ? sc.digits(2, 2) : std::nullopt;
  const auto day = sc.consume('-') ? sc.digits(2, 2) : std::nullopt;
  if (!year || !month || !day) return std::nullopt;
  f.year = *year;
  f.month = *month;
  f.day = *day;
  if (sc.at_end()) return to_date_time(f);  // date only: midnight UTC

  // RFC 3339 §5.6 allows "t" and, by the note there, a space.
  if (!sc.consume('T') && !sc.consume('t') && !sc.consume(' ')) return std::nullopt;
  const auto hour = sc.digits(2, 2);
  const auto minute = sc.consume(':') ? sc.digits(2, 2) : std::nullopt;
  if (!hour || !minute) return std::nullopt;
  f.hour = *hour;
  f.minute = *minute;
  // W3CDTF allows hours and minutes without seconds.
  if (sc.consume(':')) {
    const auto second = sc.digits(2, 2);
    if (!second) return std::nullopt;
    f.second = *second;
    if (sc.consume('.')) {
      std::size_t fraction_digits = 0;
      while (sc.peek() >= '0' && sc.peek() <= '9') {
        sc.consume(sc.peek());
        ++fraction_digits;
      }
      if (fraction_digits == 0) return std::nullopt;
    }
  }
  if (sc.consume('Z') || sc.consume('z')) {
    f.offset_minutes = 0;
  } else if (sc.peek() == '+' || sc.peek() == '-') {
    const auto offset = numeric_offset(sc);
    if (!offset) return std::nullopt;
    f.offset_minutes = *offset;
  }
  // A time without an offset is read as UTC, as parse_rfc822 reads a date
  // without a zone; Atom feeds with local times are common.
  if (!sc.at_end()) return std::nullopt;
  return to_date_time(f);
}

std::string format_rfc822(const model::DateTime& t) {
  const Broken b = break_down(t.epoch_seconds, t.offset_minutes);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04lld %02d:%02d:%02d ",
                kDays[b.weekday].data(), b.date.day, kMonths[b.date.month - 1].data(),
                static_cast<long long>(b.date.year), b.hour, b.minute, b.second);
  return buffer + format_offset(t.offset_minutes, false);
}

std::string format_rfc3339(const model::DateTime& t) {
  const Broken b = break_down(t.epoch_seconds, t.offset_minutes);
  std::string out;
  out.reserve(25);  // "2018-07-04T10:11:30+02:00"
  append_padded(out, b.date.year, 4);
  out += '-';
  append_padded(out, b.date.month, 2);
  out += '-';
  append_padded(out, b.date.day, 2);
  out += 'T';
  append_padded(out, b.hour, 2);
  out += ':';
  append_padded(out, b.minute, 2);
  out += ':';
  append_padded(out, b.second, 2);
  append_offset(out, t.offset_minutes, true);
  return out;
}

std::string format_http_date(std::int64_t epoch_seconds) {
  const Broken b = break_down(epoch_seconds, 0);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04lld %02d:%02d:%02d GMT",
                kDays[b.weekday].data(), b.date.day, kMonths[b.date.month - 1].data(),
                static_cast<long long>(b.date.year), b.hour, b.minute, b.second);
  return buffer;
}

std::optional<std::int64_t> parse_http_date(std::string_view s) {
  s = trim(s);
  if (auto t = parse_imf_fixdate(s)) return t;
  if (auto t = parse_rfc850_date(s)) return t;
  return parse_asctime_date(s);
}

namespace {

// The ICU zone of an ID, made once per thread and ID: creating one costs
// far more than asking it an offset (an archive page of a 10k-item site
// asks for thousands). Null for an unknown ID. Per thread, because a
// TimeZone object is not documented as safe to share.
const icu::TimeZone* zone_of(std::string_view time_zone) {
  thread_local std::map<std::string, std::unique_ptr<icu::TimeZone>, std::less<>> zones;
  if (auto it = zones.find(time_zone); it != zones.end()) return it->second.get();
  // ICU answers an unknown ID with a copy of "Etc/Unknown" (behaving as GMT)
  // instead of failing, so the ID it resolved to is what tells.
  std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(
      icu::StringPiece(time_zone.data(), static_cast<int32_t>(time_zone.size())))));
  icu::UnicodeString id;
  if (zone && zone->getID(id) == icu::UnicodeString(UCAL_UNKNOWN_ZONE_ID)) zone.reset();
  // A few dozen real IDs at most; unknown ones are not kept, so hostile
  // input cannot grow the map.
  if (!zone) return nullptr;
  return zones.emplace(std::string(time_zone), std::move(zone)).first->second.get();
}

}  // namespace

Result<int> utc_offset_minutes(std::string_view time_zone, std::int64_t epoch_seconds) {
  const auto unknown = [time_zone] {
    return make_error(ErrorCode::kInvalid, "text/date: unknown time zone \"" +
                                               std::string(time_zone.substr(0, 64)) + "\"");
  };
  // No IANA ID comes near this; the bound keeps the length within int32_t.
  if (time_zone.size() > 256) return unknown();
  const icu::TimeZone* zone = zone_of(time_zone);
  if (zone == nullptr) return unknown();
  // The span between two transitions of the zone last asked about, with its
  // offset: listings and archives convert thousands of nearby times in a
  // row, and ICU's getOffset costs far more than this comparison.
  struct Span {
    const icu::TimeZone* zone = nullptr;
    UDate from = 0;   // inclusive
    UDate until = 0;  // exclusive
    int minutes = 0;
  };
  thread_local Span span;
  const UDate at = static_cast<UDate>(epoch_seconds) * 1000.0;
  if (span.zone == zone && at >= span.from && at < span.until) return span.minutes;
  UErrorCode status = U_ZERO_ERROR;
  int32_t raw_offset_ms = 0;
  int32_t dst_offset_ms = 0;
  zone->getOffset(at, false, raw_offset_ms, dst_offset_ms, status);
  if (U_FAILURE(status)) {
    return make_error(ErrorCode::kInternal, "text/date: offset of \"" +
                                                std::string(time_zone.substr(0, 64)) +
                                                "\": " + u_errorName(status));
  }
  // Local mean times before 1900 have offsets in seconds; minutes is what
  // DateTime keeps, so they are truncated.
  const int minutes = (raw_offset_ms + dst_offset_ms) / 60000;
  // Zones from createTimeZone are BasicTimeZones, which know their
  // transitions; without both neighbours nothing is remembered.
  if (const auto* basic = dynamic_cast<const icu::BasicTimeZone*>(zone)) {
    icu::TimeZoneTransition before;
    icu::TimeZoneTransition after;
    const bool has_before = basic->getPreviousTransition(at, true, before);
    const bool has_after = basic->getNextTransition(at, false, after);
    span.zone = zone;
    span.from = has_before ? before.getTime() : -std::numeric_limits<UDate>::infinity();
    span.until = has_after ? after.getTime() : std::numeric_limits<UDate>::infinity();
    span.minutes = minutes;
    if (!(at >= span.from && at < span.until)) span.zone = nullptr;
  }
  return minutes;
}

Result<model::DateTime> in_time_zone(std::string_view time_zone, std::int64_t epoch_seconds) {
  auto offset = utc_offset_minutes(time_zone, epoch_seconds);
  if (!offset) return offset.error();
  return model::DateTime{epoch_seconds, *offset};
}

CivilDate civil_date(const model::DateTime& t) {
  const Broken b = break_down(t.epoch_seconds, t.offset_minutes);
  return CivilDate{static_cast<int>(b.date.year), b.date.month, b.date.day};
}

Result<std::int64_t> start_of_day(std::string_view time_zone, int year, int month, int day) {
  if (month == 13) {
    ++year;
    month = 1;
  }
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, month) + 1) {
    return make_error(ErrorCode::kInvalid, "text/date: no such date " + std::to_string(year) + "-" +
                                               std::to_string(month) + "-" + std::to_string(day));
  }
  const std::int64_t midnight_utc = days_from_civil(year, month, day) * 86400;
  // Local midnight is midnight UTC minus the zone's offset then; the offset
  // looked up near midnight UTC may differ by a DST change, so look again at
  // the candidate.
  auto offset = utc_offset_minutes(time_zone, midnight_utc);
  if (!offset) return offset.error();
  std::int64_t candidate = midnight_utc - std::int64_t{*offset} * 60;
  auto again = utc_offset_minutes(time_zone, candidate);
  if (!again) return again.error();
  if (*again != *offset) candidate = midnight_utc - std::int64_t{*again} * 60;
  return candidate;
}

}  // namespace newsdesk::text
