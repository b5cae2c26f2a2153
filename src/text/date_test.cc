#include "text/date.h"

#include <gtest/gtest.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace newsdesk::text {
namespace {

// The sample's lastBuildDate: 2018-07-04T08:11:30Z shown at +0200.
constexpr std::int64_t kSampleEpoch = 1530691890;
constexpr std::int64_t kWinterEpoch = 1516017600;  // 2018-01-15T12:00:00Z

TEST(ParseRfc822, ParsesSamplePubDate) {
  const auto t = parse_rfc822("Wed, 04 Jul 2018 10:11:30 +0200");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->epoch_seconds, kSampleEpoch);
  EXPECT_EQ(t->offset_minutes, 120);
}

TEST(ParseRfc822, ParsesNegativeOffsetWithMinutes) {
  const auto t = parse_rfc822("Wed, 04 Jul 2018 10:11:30 -0430");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->epoch_seconds, kSampleEpoch + 2 * 3600 + 4 * 3600 + 30 * 60);
  EXPECT_EQ(t->offset_minutes, -270);
}

TEST(ParseRfc822, ReadsGmtAsOffsetZero) {
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 2018 08:11:30 GMT"), (model::DateTime{kSampleEpoch, 0}));
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 2018 08:11:30 UT"), (model::DateTime{kSampleEpoch, 0}));
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 2018 08:11:30 Z"), (model::DateTime{kSampleEpoch, 0}));
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 2018 08:11:30 utc"), (model::DateTime{kSampleEpoch, 0}));
}

TEST(ParseRfc822, ReadsNorthAmericanZoneNames) {
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 2018 03:11:30 EST"), (model::DateTime{kSampleEpoch, -300}));
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 2018 04:11:30 EDT"), (model::DateTime{kSampleEpoch, -240}));
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 2018 01:11:30 PDT"), (model::DateTime{kSampleEpoch, -420}));
}

TEST(ParseRfc822, ReadsMissingZoneAsUtc) {
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 2018 08:11:30"), (model::DateTime{kSampleEpoch, 0}));
}

TEST(ParseRfc822, AcceptsMissingWeekday) {
  EXPECT_EQ(parse_rfc822("04 Jul 2018 10:11:30 +0200"), (model::DateTime{kSampleEpoch, 120}));
}

TEST(ParseRfc822, AcceptsWeekdayWithoutComma) {
  EXPECT_EQ(parse_rfc822("Wed 04 Jul 2018 10:11:30 +0200"), (model::DateTime{kSampleEpoch, 120}));
}

TEST(ParseRfc822, AcceptsLongWeekdayAndMonthNames) {
  EXPECT_EQ(parse_rfc822("Wednesday, 4 July 2018 10:11:30 +0200"),
            (model::DateTime{kSampleEpoch, 120}));
}

TEST(ParseRfc822, AcceptsMissingSeconds) {
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 2018 10:11 +0200"),
            (model::DateTime{kSampleEpoch - 30, 120}));
}

TEST(ParseRfc822, WidensTwoDigitYears) {
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 18 10:11:30 +0200"), (model::DateTime{kSampleEpoch, 120}));
  const auto t = parse_rfc822("Fri, 01 Jan 99 00:00:00 GMT");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->epoch_seconds, 915148800);  // 1999-01-01
}

TEST(ParseRfc822, ToleratesExtraWhitespaceAndComment) {
  EXPECT_EQ(parse_rfc822("  Wed,  04 Jul 2018\t10:11:30 +0200 (CEST) \n"),
            (model::DateTime{kSampleEpoch, 120}));
}

TEST(ParseRfc822, AcceptsColonInOffset) {
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 2018 10:11:30 +02:00"), (model::DateTime{kSampleEpoch, 120}));
}

TEST(ParseRfc822, ParsesDatesBeforeTheEpoch) {
  EXPECT_EQ(parse_rfc822("Thu, 01 Jan 1970 00:00:00 +0100"), (model::DateTime{-3600, 60}));
}

TEST(ParseRfc822, RejectsOutOfRangeFields) {
  EXPECT_EQ(parse_rfc822("Wed, 04 Foo 2018 10:11:30 +0200"), std::nullopt);
  EXPECT_EQ(parse_rfc822("Wed, 32 Jul 2018 10:11:30 +0200"), std::nullopt);
  EXPECT_EQ(parse_rfc822("Wed, 00 Jul 2018 10:11:30 +0200"), std::nullopt);
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 2018 25:11:30 +0200"), std::nullopt);
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 2018 10:60:30 +0200"), std::nullopt);
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 2018 10:11:61 +0200"), std::nullopt);
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 2018 10:11:30 +2500"), std::nullopt);
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 2018 10:11:30 +0260"), std::nullopt);
}

TEST(ParseRfc822, RejectsMonthThirteenWrittenAsNumber) {
  EXPECT_EQ(parse_rfc822("Wed, 04 13 2018 10:11:30 +0200"), std::nullopt);
}

TEST(ParseRfc822, RejectsDaysPastTheEndOfTheMonth) {
  EXPECT_EQ(parse_rfc822("31 Apr 2018 00:00:00 GMT"), std::nullopt);
  EXPECT_EQ(parse_rfc822("29 Feb 2019 00:00:00 GMT"), std::nullopt);
  EXPECT_TRUE(parse_rfc822("29 Feb 2020 00:00:00 GMT").has_value());
}

TEST(ParseRfc822, RejectsUnknownZoneNames) {
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 2018 10:11:30 CEST"), std::nullopt);
}

TEST(ParseRfc822, RejectsGarbage) {
  EXPECT_EQ(parse_rfc822(""), std::nullopt);
  EXPECT_EQ(parse_rfc822("yesterday"), std::nullopt);
  EXPECT_EQ(parse_rfc822("2018-07-04T10:11:30+02:00"), std::nullopt);
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 2018 10:11:30 +0200 trailing"), std::nullopt);
  EXPECT_EQ(parse_rfc822("Xyz, 04 Jul 2018 10:11:30 +0200"), std::nullopt);
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 201810:11:30 +0200"), std::nullopt);
  EXPECT_EQ(parse_rfc822("Wed, 04 Jul 2018 10:11:30 +0200 (unclosed"), std::nullopt);
}

TEST(FormatRfc822, WritesSamplePubDate) {
  EXPECT_EQ(format_rfc822({kSampleEpoch, 120}), "Wed, 04 Jul 2018 10:11:30 +0200");
}

TEST(FormatRfc822, RoundTripsSamplePubDate) {
  const char* kDate = "Wed, 04 Jul 2018 10:11:30 +0200";
  const auto t = parse_rfc822(kDate);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(format_rfc822(*t), kDate);
}

TEST(FormatRfc822, WritesPlusZeroForUtc) {
  EXPECT_EQ(format_rfc822({kSampleEpoch, 0}), "Wed, 04 Jul 2018 08:11:30 +0000");
}

TEST(FormatRfc822, WritesNegativeOffset) {
  EXPECT_EQ(format_rfc822({kSampleEpoch, -270}), "Wed, 04 Jul 2018 03:41:30 -0430");
}

TEST(FormatRfc822, WritesDayAndWeekdayOfTheOffsetNotUtc) {
  // 23:30 UTC on a Tuesday is already Wednesday at +0200.
  constexpr std::int64_t kTuesdayEvening = 1530660600;  // 2018-07-03T23:30:00Z
  EXPECT_EQ(format_rfc822({kTuesdayEvening, 120}), "Wed, 04 Jul 2018 01:30:00 +0200");
}

TEST(FormatRfc3339, WritesSampleDate) {
  EXPECT_EQ(format_rfc3339({kSampleEpoch, 120}), "2018-07-04T10:11:30+02:00");
}

TEST(FormatRfc3339, WritesUtcAsPlusZeroNotZ) {
  EXPECT_EQ(format_rfc3339({kSampleEpoch, 0}), "2018-07-04T08:11:30+00:00");
}

TEST(FormatRfc3339, WritesNegativeOffset) {
  EXPECT_EQ(format_rfc3339({kSampleEpoch, -270}), "2018-07-04T03:41:30-04:30");
}

TEST(FormatRfc3339, WritesDatesBeforeTheEpoch) {
  EXPECT_EQ(format_rfc3339({-1, 0}), "1969-12-31T23:59:59+00:00");
}

TEST(ParseRfc3339, ParsesOffsetDate) {
  EXPECT_EQ(parse_rfc3339("2018-07-04T10:11:30+02:00"), (model::DateTime{kSampleEpoch, 120}));
}

TEST(ParseRfc3339, ParsesZulu) {
  EXPECT_EQ(parse_rfc3339("2018-07-04T08:11:30Z"), (model::DateTime{kSampleEpoch, 0}));
  EXPECT_EQ(parse_rfc3339("2018-07-04t08:11:30z"), (model::DateTime{kSampleEpoch, 0}));
}

TEST(ParseRfc3339, DropsFractionalSeconds) {
  EXPECT_EQ(parse_rfc3339("2018-07-04T08:11:30.987654Z"), (model::DateTime{kSampleEpoch, 0}));
}

TEST(ParseRfc3339, ParsesDateOnlyAsMidnightUtc) {
  EXPECT_EQ(parse_rfc3339("2018-07-04"), (model::DateTime{kSampleEpoch - 29490, 0}));
}

TEST(ParseRfc3339, ParsesW3cdtfWithoutSeconds) {
  EXPECT_EQ(parse_rfc3339("2018-07-04T10:11+02:00"), (model::DateTime{kSampleEpoch - 30, 120}));
}

TEST(ParseRfc3339, ParsesNegativeOffset) {
  EXPECT_EQ(parse_rfc3339("2018-07-04T03:41:30-04:30"), (model::DateTime{kSampleEpoch, -270}));
}

TEST(ParseRfc3339, RoundTripsThroughFormat) {
  const char* kDate = "2018-07-04T10:11:30+02:00";
  const auto t = parse_rfc3339(kDate);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(format_rfc3339(*t), kDate);
}

TEST(ParseRfc3339, RejectsOutOfRangeFields) {
  EXPECT_EQ(parse_rfc3339("2018-13-04T10:11:30Z"), std::nullopt);
  EXPECT_EQ(parse_rfc3339("2018-07-32T10:11:30Z"), std::nullopt);
  EXPECT_EQ(parse_rfc3339("2018-07-04T25:11:30Z"), std::nullopt);
  EXPECT_EQ(parse_rfc3339("2018-07-04T10:11:30+24:00"), std::nullopt);
}

TEST(ParseRfc3339, RejectsGarbage) {
  EXPECT_EQ(parse_rfc3339(""), std::nullopt);
  EXPECT_EQ(parse_rfc3339("Wed, 04 Jul 2018 10:11:30 +0200"), std::nullopt);
  EXPECT_EQ(parse_rfc3339("2018-7-4"), std::nullopt);
  EXPECT_EQ(parse_rfc3339("2018-07-04T10:11:30+2"), std::nullopt);
  EXPECT_EQ(parse_rfc3339("2018-07-04T10:11:30.Z"), std::nullopt);
  EXPECT_EQ(parse_rfc3339("2018-07-04T10:11:30Z junk"), std::nullopt);
}

TEST(FormatHttpDate, WritesImfFixdate) {
  EXPECT_EQ(format_http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(ParseHttpDate, RoundTripsImfFixdate) {
  EXPECT_EQ(parse_http_date(format_http_date(784111777)), 784111777);
  EXPECT_EQ(parse_http_date(format_http_date(kSampleEpoch)), kSampleEpoch);
}

TEST(ParseHttpDate, AcceptsRfc850Form) {
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
}

TEST(ParseHttpDate, AcceptsAsctimeForm) {
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), 784111777);
  EXPECT_EQ(parse_http_date("Sun Nov 16 08:49:37 1994"), 784111777 + 10 * 86400);
}

TEST(ParseHttpDate, RejectsOtherZonesAndGarbage) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 +0000"), std::nullopt);
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37"), std::nullopt);
  EXPECT_EQ(parse_http_date("Sun, 31 Nov 1994 08:49:37 GMT"), std::nullopt);
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 24:49:37 GMT"), std::nullopt);
  EXPECT_EQ(parse_http_date(""), std::nullopt);
  EXPECT_EQ(parse_http_date("\"etag\""), std::nullopt);
}

TEST(UtcOffsetMinutes, GivesViennaSummerTime) {
  const auto offset = utc_offset_minutes("Europe/Vienna", kSampleEpoch);
  ASSERT_TRUE(offset.has_value()) << offset.error().message;
  EXPECT_EQ(*offset, 120);
}

TEST(UtcOffsetMinutes, GivesViennaWinterTime) {
  const auto offset = utc_offset_minutes("Europe/Vienna", kWinterEpoch);
  ASSERT_TRUE(offset.has_value()) << offset.error().message;
  EXPECT_EQ(*offset, 60);
}

TEST(UtcOffsetMinutes, GivesNegativeNonHourOffsets) {
  const auto offset = utc_offset_minutes("America/St_Johns", kWinterEpoch);
  ASSERT_TRUE(offset.has_value()) << offset.error().message;
  EXPECT_EQ(*offset, -210);
}

TEST(UtcOffsetMinutes, RejectsUnknownZone) {
  const auto offset = utc_offset_minutes("Mars/Olympus", kSampleEpoch);
  ASSERT_FALSE(offset.has_value());
  EXPECT_EQ(offset.error().code, ErrorCode::kInvalid);
  EXPECT_TRUE(offset.error().message.starts_with("text/date: ")) << offset.error().message;
}

TEST(UtcOffsetMinutes, RejectsEmptyZone) {
  const auto offset = utc_offset_minutes("", kSampleEpoch);
  ASSERT_FALSE(offset.has_value());
  EXPECT_EQ(offset.error().code, ErrorCode::kInvalid);
}

TEST(InTimeZone, KeepsInstantAndAddsOffset) {
  const auto t = in_time_zone("Europe/Vienna", kSampleEpoch);
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_EQ(*t, (model::DateTime{kSampleEpoch, 120}));
  EXPECT_EQ(format_rfc822(*t), "Wed, 04 Jul 2018 10:11:30 +0200");
}

TEST(InTimeZone, PassesOnUnknownZoneError) {
  const auto t = in_time_zone("Mars/Olympus", kSampleEpoch);
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().code, ErrorCode::kInvalid);
}

TEST(Dates, DoNotDependOnProcessTimeZone) {
  const char* saved = std::getenv("TZ");
  const std::string saved_value = saved != nullptr ? saved : "";
  setenv("TZ", "America/Los_Angeles", 1);
  tzset();
  const auto parsed = parse_rfc822("Wed, 04 Jul 2018 10:11:30 +0200");
  const std::string formatted = format_rfc3339({kSampleEpoch, 120});
  if (saved != nullptr) {
    setenv("TZ", saved_value.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
  EXPECT_EQ(parsed, (model::DateTime{kSampleEpoch, 120}));
  EXPECT_EQ(formatted, "2018-07-04T10:11:30+02:00");
}

// utc_offset_minutes remembers the span between a zone's transitions;
// every answer must still be ICU's own, across DST changes, half-hour and
// odd historic offsets, for times in any order and zones taking turns.
TEST(UtcOffset, RememberedSpansGiveICUsOwnOffsets) {
  const char* zones[] = {"Europe/Vienna",
                         "America/New_York",
                         "Australia/Lord_Howe",
                         "Asia/Kolkata",
                         "America/St_Johns",
                         "Pacific/Apia",
                         "UTC"};
  std::uint64_t x = 12345;
  auto next = [&x] {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return x >> 11;
  };
  std::vector<std::int64_t> times;
  for (int i = 0; i < 3000; ++i) {
    // 1850 to 2100, and runs of nearby times as listings have them.
    const std::int64_t base = -3786825600 + static_cast<std::int64_t>(next() % 7890000000ull);
    for (int j = 0; j < 5; ++j) times.push_back(base + static_cast<std::int64_t>(next() % 200000));
  }
  for (int round = 0; round < 2; ++round) {
    for (std::size_t i = 0; i < times.size(); ++i) {
      const char* name = zones[(i / 5 + round) % std::size(zones)];
      std::unique_ptr<icu::TimeZone> zone(
          icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(name)));
      UErrorCode status = U_ZERO_ERROR;
      int32_t raw = 0;
      int32_t dst = 0;
      zone->getOffset(static_cast<UDate>(times[i]) * 1000.0, false, raw, dst, status);
      ASSERT_TRUE(U_SUCCESS(status));
      const auto got = utc_offset_minutes(name, times[i]);
      ASSERT_TRUE(got.has_value());
      ASSERT_EQ(*got, (raw + dst) / 60000) << name << " at " << times[i];
    }
    std::sort(times.begin(), times.end());
  }
}

}  // namespace
}  // namespace newsdesk::text

namespace newsdesk::text {
namespace {

TEST(CivilDate, UsesTheInstantsOwnOffset) {
  // 2018-06-30T23:30:00Z is already 1 July in Vienna (+0200).
  const std::int64_t t = 1530401400;
  EXPECT_EQ(civil_date(model::DateTime{t, 0}), (CivilDate{2018, 6, 30}));
  EXPECT_EQ(civil_date(model::DateTime{t, 120}), (CivilDate{2018, 7, 1}));
}

TEST(StartOfDay, IsLocalMidnightInTheZone) {
  auto start = start_of_day("Europe/Vienna", 2018, 7, 1);
  ASSERT_TRUE(start) << start.error().message;
  EXPECT_EQ(*start, 1530396000);  // 2018-06-30T22:00:00Z
  auto winter = start_of_day("Europe/Vienna", 2018, 1, 1);
  ASSERT_TRUE(winter);
  EXPECT_EQ(*winter, 1514761200);  // 2017-12-31T23:00:00Z
}

TEST(StartOfDay, RollsOverMonthThirteenAndTheDayAfterTheLast) {
  auto next_year = start_of_day("UTC", 2018, 13, 1);
  ASSERT_TRUE(next_year);
  EXPECT_EQ(*next_year, 1546300800);  // 2019-01-01
  auto after_feb = start_of_day("UTC", 2020, 2, 30);
  ASSERT_TRUE(after_feb);
  EXPECT_EQ(*after_feb, 1583020800);  // 2020-03-01
}

TEST(StartOfDay, RejectsImpossibleDatesAndUnknownZones) {
  EXPECT_FALSE(start_of_day("UTC", 2018, 2, 31));
  EXPECT_FALSE(start_of_day("UTC", 0, 1, 1));
  EXPECT_FALSE(start_of_day("UTC", 2018, 14, 1));
  EXPECT_FALSE(start_of_day("Mars/Olympus", 2018, 1, 1));
}

// format_rfc3339 as it was written with snprintf: what the digit writer
// must give for every instant and offset.
std::string rfc3339_by_snprintf(const model::DateTime& t) {
  constexpr std::int64_t kMin = -62167219200;
  constexpr std::int64_t kMax = 253402300799;
  const std::int64_t clamped = std::clamp(t.epoch_seconds, kMin, kMax);
  const std::int64_t local = clamped + std::int64_t{t.offset_minutes} * 60;
  std::int64_t days = local / 86400;
  if (local % 86400 < 0) --days;
  const auto seconds = static_cast<int>(local - days * 86400);
  // Howard Hinnant's civil_from_days.
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const auto day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const auto month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02d-%02dT%02d:%02d:%02d",
                static_cast<long long>(year), month, day, seconds / 3600, seconds / 60 % 60,
                seconds % 60);
  const std::int64_t magnitude =
      t.offset_minutes < 0 ? -std::int64_t{t.offset_minutes} : t.offset_minutes;
  char offset[32];
  std::snprintf(offset, sizeof offset, "%c%02lld:%02lld", t.offset_minutes < 0 ? '-' : '+',
                static_cast<long long>(magnitude / 60), static_cast<long long>(magnitude % 60));
  return std::string(buffer) + offset;
}

TEST(DateFormat, Rfc3339WritesWhatSnprintfWrote) {
  std::vector<std::int64_t> instants = {0,
                                        -1,
                                        1,
                                        kSampleEpoch,
                                        951782400,
                                        951868799,  // 2000-02-29
                                        -62167219200,
                                        -62167219201,
                                        253402300799,
                                        253402300800,
                                        INT64_MIN,
                                        INT64_MAX};
  std::uint64_t x = 88172645463325252ull;  // xorshift64: spread over all of 0000-9999
  for (int i = 0; i < 20000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    instants.push_back(-62167219200 + static_cast<std::int64_t>(x % 315537897600ull));
  }
  const std::vector<int> offsets = {0,
                                    120,
                                    -120,
                                    330,
                                    -210,
                                    345,
                                    -1,
                                    59,
                                    -59,
                                    840,
                                    -720,
                                    6039,
                                    -6039,
                                    100000,
                                    -100000,
                                    INT32_MAX / 60,
                                    INT32_MIN / 60,
                                    INT32_MAX,
                                    INT32_MIN};
  int checked = 0;
  for (std::int64_t epoch : instants) {
    for (int offset : offsets) {
      const model::DateTime t{epoch, offset};
      ASSERT_EQ(format_rfc3339(t), rfc3339_by_snprintf(t)) << epoch << " at " << offset;
      ++checked;
    }
  }
  // And in real zones, as the pages show dates.
  for (const char* zone : {"Europe/Vienna", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham",
                           "America/Los_Angeles", "Australia/Lord_Howe", "UTC"}) {
    for (std::size_t i = 0; i < instants.size(); i += 97) {
      auto zoned = in_time_zone(zone, instants[i]);
      ASSERT_TRUE(zoned.has_value()) << zone;
      ASSERT_EQ(format_rfc3339(*zoned), rfc3339_by_snprintf(*zoned)) << zone << " " << instants[i];
      ++checked;
    }
  }
  EXPECT_GT(checked, 380000);
}

}  // namespace
}  // namespace newsdesk::text
