#include "text/slug.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace newsdesk::text {
namespace {

TEST(Slugify, LowerCasesAndHyphenatesWords) {
  EXPECT_EQ(slugify("Statement on the occasion of World Day Against Child Labour"),
            "statement-on-the-occasion-of-world-day-against-child-labour");
}

TEST(Slugify, DropsApostrophes) {
  EXPECT_EQ(
      slugify("ICMPD Around the Globe: ICMPD's Director General receives Award by NIDO EUROPE"),
      "icmpd-around-the-globe-icmpds-director-general-receives-award-by-nido-europe");
}

TEST(Slugify, DropsRightSingleQuotationMark) {
  EXPECT_EQ(slugify("This year\u2019s World Day"), "this-years-world-day");
}

TEST(Slugify, TreatsEnDashAsSeparator) {
  const std::string slug = slugify(
      "Project News: Launch of new mobile app \u2013 the Tunisian Customs\u2019 innovative "
      "approach to public communication");
  EXPECT_TRUE(slug.starts_with(
      "project-news-launch-of-new-mobile-app-the-tunisian-customs-innovative-approach"))
      << slug;
}

TEST(Slugify, CollapsesPunctuationRunsToOneHyphen) {
  EXPECT_EQ(slugify("Capacity building - an enabler: ten lessons"),
            "capacity-building-an-enabler-ten-lessons");
}

TEST(Slugify, HasNoLeadingOrTrailingHyphen) {
  EXPECT_EQ(slugify("  \u201cEU-Belarus Mobility Partnership\u201d!  "),
            "eu-belarus-mobility-partnership");
}

TEST(Slugify, KeepsDigits) {
  EXPECT_EQ(slugify("Project News: 9th phase of the BOMCA programme extended for 18 months"),
            "project-news-9th-phase-of-the-bomca-programme-extended-for-18-months");
}

TEST(Slugify, TransliteratesAccents) { EXPECT_EQ(slugify("Café Über"), "cafe-uber"); }

TEST(Slugify, TransliteratesDecomposedAccents) {
  EXPECT_EQ(slugify("Re\u0301sume\u0301"), "resume");
}

TEST(Slugify, ExpandsLigaturesAndSharpS) { EXPECT_EQ(slugify("Straße Œuvre"), "strasse-oeuvre"); }

TEST(Slugify, TransliteratesCyrillic) { EXPECT_EQ(slugify("Пресс-релиз"), "press-reliz"); }

TEST(Slugify, TransliteratesGreek) { EXPECT_EQ(slugify("Δελτίο Τύπου"), "deltio-typou"); }

TEST(Slugify, TransliteratesArabic) {
  const std::string slug = slugify("بيان صحفي");
  EXPECT_FALSE(slug.empty());
  EXPECT_TRUE(is_valid_slug(slug)) << slug;
}

TEST(Slugify, TransliteratesChinese) {
  const std::string slug = slugify("新闻稿");
  EXPECT_EQ(slug, "xin-wen-gao");
}

TEST(Slugify, ReturnsEmptyWhenNothingUsableRemains) {
  EXPECT_EQ(slugify(""), "");
  EXPECT_EQ(slugify(" -- !? "), "");
  EXPECT_EQ(slugify("\xF0\x9F\x98\x80"), "");  // an emoji has no Latin form
}

TEST(Slugify, TreatsMalformedUtf8AsSeparator) {
  EXPECT_EQ(slugify("abc\xFF\xFE"
                    "def"),
            "abc-def");
}

TEST(Slugify, CutsAtByteLimitWithoutWordBoundary) {
  // Like the sample's TYPO3 slugs ("...-return-enfo"), the cut ignores words.
  const std::string slug = slugify(
      "Project News: FReM II organises a Lessons Learned Meeting for Forced-Return Monitors and "
      "Return Enforcing Institutions");
  EXPECT_EQ(slug.size(), kMaxSlugLength);
  EXPECT_EQ(slug,
            "project-news-frem-ii-organises-a-lessons-learned-meeting-for-forced-return-monitors-"
            "and-return-enfor");
}

TEST(Slugify, StripsHyphenLeftAtTheCut) {
  // 99 letters then a separator: the cut at 100 would end in "-".
  const std::string title = std::string(99, 'a') + " bcd";
  EXPECT_EQ(slugify(title), std::string(99, 'a'));
}

TEST(Slugify, HonoursMaxLength) {
  EXPECT_EQ(slugify("Hello wonderful world", 9), "hello-won");
  EXPECT_EQ(slugify("Hello wonderful world", 6), "hello");
  EXPECT_EQ(slugify("Hello", 0), "");
}

TEST(Slugify, ExtendsEverySampleSlug) {
  // TYPO3 cut the title at 100 characters before making the slug, so each
  // of its slugs is a prefix of ours (cut at 100 bytes of slug instead).
  const std::pair<const char*, const char*> kSamples[] = {
      {"Project News: Academics and government officials discuss the state of play of research "
       "on migration issues in Libya and the Mediterranean region",
       "project-news-academics-and-government-officials-discuss-the-state-of-play-of-research-on-"
       "migration"},
      {"Expert Voice: Capacity building - an enabler of transformations: ten lessons learnt from "
       "10 years of MIEUX",
       "expert-voice-capacity-building-an-enabler-of-transformations-ten-lessons-learnt-from-10-"
       "years-of"},
      {"Project News: FReM II organises a Lessons Learned Meeting for Forced-Return Monitors and "
       "Return Enforcing Institutions",
       "project-news-frem-ii-organises-a-lessons-learned-meeting-for-forced-return-monitors-and-"
       "return-enfo"},
      {"Project News: ICMPD THB briefs UN Member States on outcomes of the first high-level ICAT "
       "meeting",
       "project-news-icmpd-thb-briefs-un-member-states-on-outcomes-of-the-first-high-level-icat-"
       "meeting"},
      {"Project News: MPF workshop \u201cEU-Belarus Mobility Partnership \u2013 the state of play "
       "and the way forward\u201d",
       "project-news-mpf-workshop-eu-belarus-mobility-partnership-the-state-of-play-and-the-way-"
       "forward"},
  };
  for (const auto& [title, sample] : kSamples) {
    const std::string slug = slugify(title);
    EXPECT_TRUE(slug.starts_with(sample)) << slug;
    EXPECT_LE(slug.size(), kMaxSlugLength);
  }
}

TEST(Slugify, StopsEarlyOnHugeInput) {
  std::string title;
  for (int i = 0; i < 100000; ++i) title += "Пресс-релиз ";
  const std::string slug = slugify(title);
  EXPECT_LE(slug.size(), kMaxSlugLength);
  EXPECT_TRUE(slug.starts_with("press-reliz-press-reliz")) << slug;
}

TEST(Slugify, LongRunWithoutSpacesIsTransliteratedWhole) {
  std::string title;
  for (int i = 0; i < 2000; ++i) title += "新";
  const std::string slug = slugify(title);
  EXPECT_TRUE(slug.starts_with("xin-xin-xin")) << slug;
  EXPECT_TRUE(is_valid_slug(slug)) << slug;
}

TEST(Slugify, IsSafeAcrossThreads) {
  std::vector<std::thread> threads;
  std::vector<std::string> results(4);
  for (std::size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&results, t] {
      for (int i = 0; i < 50; ++i) results[t] = slugify("Пресс-релиз Δελτίο Τύπου Café");
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& result : results) EXPECT_EQ(result, "press-reliz-deltio-typou-cafe");
}

TEST(IsValidSlug, AcceptsSlugifyOutput) {
  EXPECT_TRUE(is_valid_slug("icmpd-around-the-globe-icmpds-director-general"));
  EXPECT_TRUE(is_valid_slug("a"));
  EXPECT_TRUE(is_valid_slug("2018"));
}

TEST(IsValidSlug, RejectsEmpty) { EXPECT_FALSE(is_valid_slug("")); }

TEST(IsValidSlug, RejectsUpperCaseAndOtherCharacters) {
  EXPECT_FALSE(is_valid_slug("News"));
  EXPECT_FALSE(is_valid_slug("a_b"));
  EXPECT_FALSE(is_valid_slug("a/b"));
  EXPECT_FALSE(is_valid_slug("caf\xC3\xA9"));
}

TEST(IsValidSlug, RejectsHyphenAtEdgesAndDoubled) {
  EXPECT_FALSE(is_valid_slug("-a"));
  EXPECT_FALSE(is_valid_slug("a-"));
  EXPECT_FALSE(is_valid_slug("a--b"));
}

TEST(IsValidSlug, RejectsTooLong) {
  EXPECT_TRUE(is_valid_slug(std::string(kMaxSlugLength, 'a')));
  EXPECT_FALSE(is_valid_slug(std::string(kMaxSlugLength + 1, 'a')));
}

}  // namespace
}  // namespace newsdesk::text
