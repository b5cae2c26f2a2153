#include "text/teaser.h"

#include <gtest/gtest.h>

#include <string>

namespace newsdesk::text {
namespace {

// Descriptions from fixtures/icmpd-news-centre.rss.xml, cropped by tt_news.
constexpr const char* kSampleTeasers[] = {
    "Afghanistan is second only to Syria in the number of refugees originating from within its "
    "borders...",
    "The 9th phase of the Border Management Programme in Central Asia (BOMCA 9) has been extended "
    "and...",
    "On 28 June, the Nigerians in Diaspora Organisation Europe (NIDO EUROPE)* awarded ICMPD\u2019s "
    "Director...",
    "The Academia Conference on \u201cPromoting Knowledge for Evidence-based and Sustainable "
    "Migration...",
    "To celebrate the launch of the \"Smart Traveller\" mobile customs application developed "
    "for...",
    "This year\u2019s World Day Against Child Labour is an opportune moment to take action to "
    "better protect...",
};

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

TEST(CropTeaser, LeavesShortTextUnchanged) {
  EXPECT_EQ(crop_teaser("Short text."), "Short text.");
  EXPECT_EQ(crop_teaser(""), "");
}

TEST(CropTeaser, LeavesTextOfExactlyTheLimitUnchanged) {
  const std::string text(kTeaserLength, 'x');
  EXPECT_EQ(crop_teaser(text), text);
}

TEST(CropTeaser, LeavesSampleTeasersUnchanged) {
  for (const char* teaser : kSampleTeasers) EXPECT_EQ(crop_teaser(teaser), teaser);
}

TEST(CropTeaser, CutsAtWordBoundaryAndAppendsEllipsis) {
  EXPECT_EQ(crop_teaser("Afghanistan is second only to Syria in the number of refugees originating "
                        "from within its borders. Drawing on its extensive experience"),
            "Afghanistan is second only to Syria in the number of refugees originating from "
            "within its borders...");
}

TEST(CropTeaser, KeepsWordEndingExactlyAtLimit) {
  // The space right after the limit is a word boundary too.
  EXPECT_EQ(crop_teaser("abc def ghi", 7), "abc def...");
}

TEST(CropTeaser, CountsCodePointsNotBytes) {
  // 10 two-byte characters fit a limit of 10 although they are 20 bytes.
  const std::string text = "\u00e9\u00e9\u00e9\u00e9\u00e9 \u00e9\u00e9\u00e9\u00e9";
  EXPECT_EQ(crop_teaser(text, 10), text);
  EXPECT_EQ(crop_teaser(text + " x", 10),
            "\u00e9\u00e9\u00e9\u00e9\u00e9 \u00e9\u00e9\u00e9\u00e9...");
}

TEST(CropTeaser, CutsAtLimitWhenThereIsNoSpace) {
  EXPECT_EQ(crop_teaser("abcdefghij", 4), "abcd...");
}

TEST(CropTeaser, NeverSplitsAUtf8Sequence) {
  // CJK text has no spaces; the hard cut falls between characters.
  const std::string text = "\u65b0\u95fb\u7a3f\u65b0\u95fb\u7a3f";
  EXPECT_EQ(crop_teaser(text, 4), "\u65b0\u95fb\u7a3f\u65b0...");
}

TEST(CropTeaser, StripsTrailingPunctuationBeforeEllipsis) {
  EXPECT_EQ(crop_teaser("Borders, migration; and more words here", 19), "Borders, migration...");
  EXPECT_EQ(crop_teaser("Capacity building - an enabler", 19), "Capacity building...");
  EXPECT_EQ(crop_teaser("Launch of new mobile app \u2013 the customs", 26),
            "Launch of new mobile app...");
  EXPECT_EQ(crop_teaser("End of sentence. Next one", 17), "End of sentence...");
}

TEST(CropTeaser, CollapsesWhitespaceFirst) {
  EXPECT_EQ(crop_teaser("  a \t\n b   c  "), "a b c");
  EXPECT_EQ(crop_teaser("one\n\ntwo three", 8), "one two...");
}

TEST(CropTeaser, IsIdempotent) {
  const std::string text =
      "During the its 36 months the programme implemented over 170 activities in the framework of "
      "its three components \u2013 institutional development of border management agencies";
  const std::string once = crop_teaser(text);
  EXPECT_EQ(crop_teaser(once), once);
  EXPECT_LE(code_points(once), kTeaserLength + 3);
}

TEST(CropTeaser, LeavesTextWithUnicodeEllipsisWithinLimitUnchanged) {
  const std::string text = std::string(kTeaserLength, 'x') + "\u2026";
  EXPECT_EQ(crop_teaser(text), text);
}

TEST(CropTeaser, CropsTextWithEllipsisBeyondLimit) {
  EXPECT_EQ(crop_teaser("one two three four...", 9), "one two...");
}

TEST(CropTeaser, FallsBackToHardCutWhenOnlyPunctuationPrecedesTheSpace) {
  EXPECT_EQ(crop_teaser("-- --------", 6), "-- ---...");
}

}  // namespace
}  // namespace newsdesk::text
