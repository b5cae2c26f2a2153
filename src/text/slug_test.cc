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

std::string unicode_slug(std::string_view text, std::size_t max_length = kMaxSlugLength) {
  return slugify(text, max_length, SlugScript::kUnicode);
}

bool is_valid_unicode_slug(std::string_view s) { return is_valid_slug(s, SlugScript::kUnicode); }

std::string repeated(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(UnicodeSlug, KeepsCyrillic) { EXPECT_EQ(unicode_slug("Пресс-релиз"), "пресс-релиз"); }

TEST(UnicodeSlug, LowerCasesGreekWithFinalSigma) {
  EXPECT_EQ(unicode_slug("Δελτίο Τύπου"), "δελτίο-τύπου");
  // Full case mapping in context: a word-final capital sigma gives "ς".
  EXPECT_EQ(unicode_slug("ΟΡΓΑΝΙΣΜΟΣ ΜΕΤΑΝΑΣΤΕΥΣΗΣ"), "οργανισμος-μεταναστευσης");
}

TEST(UnicodeSlug, KeepsArabicWithItsMarksAndDigits) {
  EXPECT_EQ(unicode_slug("بيان صحفي"), "بيان-صحفي");
  // Harakat (Mn) belong to their letters; the Arabic comma separates;
  // Arabic-Indic digits are digits.
  EXPECT_EQ(unicode_slug("بَيَانٌ، ٢٠١٨"), "بَيَانٌ-٢٠١٨");
}

TEST(UnicodeSlug, KeepsChineseAndSeparatesAtFullWidthPunctuation) {
  EXPECT_EQ(unicode_slug("新闻稿"), "新闻稿");
  EXPECT_EQ(unicode_slug("新闻稿：发布会〇"), "新闻稿-发布会〇");
}

TEST(UnicodeSlug, KeepsDevanagariAndThaiVowelSigns) {
  EXPECT_EQ(unicode_slug("प्रेस विज्ञप्ति"), "प्रेस-विज्ञप्ति");
  EXPECT_EQ(unicode_slug("ข่าวประชาสัมพันธ์"), "ข่าวประชาสัมพันธ์");
}

TEST(UnicodeSlug, MixesScripts) {
  EXPECT_EQ(unicode_slug("EU\u2013Россия: 2018 Press-Релиз (Ελλάδα)"),
            "eu-россия-2018-press-релиз-ελλάδα");
}

TEST(UnicodeSlug, KeepsLatinAccentsAndGivesTheAsciiSlugForAscii) {
  // The readable-Unicode choice: accents stay, nothing is transliterated.
  EXPECT_EQ(unicode_slug("Café Über"), "café-über");
  EXPECT_EQ(unicode_slug("Straße"), "straße");
  const char* const kAscii[] = {
      "ICMPD Around the Globe: ICMPD's Director General receives Award by NIDO EUROPE",
      "Project News: 9th phase of the BOMCA programme extended for 18 months",
      "  \u201cEU-Belarus Mobility Partnership\u201d!  ",
      "Capacity building - an enabler: ten lessons"};
  for (const char* title : kAscii) EXPECT_EQ(unicode_slug(title), slugify(title)) << title;
}

TEST(UnicodeSlug, ComposesToNfc) {
  EXPECT_EQ(unicode_slug("Re\u0301sume\u0301"), "r\u00e9sum\u00e9");
  // A combining grapheme joiner is dropped; NFC then composes what it kept apart.
  EXPECT_EQ(unicode_slug("e\u034F\u0301"), "\u00e9");
}

TEST(UnicodeSlug, DropsApostrophesAndInvisibleCharacters) {
  EXPECT_EQ(unicode_slug("ICMPD's"), "icmpds");
  EXPECT_EQ(unicode_slug("М\u02BCясо і м\u2019ясо"), "мясо-і-мясо");
  EXPECT_EQ(unicode_slug("Pres\u00ADse"), "presse");
  EXPECT_EQ(unicode_slug("a\u200Db\u200Cc\u200Fd"), "abcd");
}

TEST(UnicodeSlug, DropsMarksWithoutALetter) {
  EXPECT_EQ(unicode_slug("\u0301abc"), "abc");
  EXPECT_EQ(unicode_slug("abc \u0301def"), "abc-def");
  EXPECT_EQ(unicode_slug("\u20DD"), "");
}

TEST(UnicodeSlug, ReturnsEmptyWhenNothingUsableRemains) {
  EXPECT_EQ(unicode_slug(""), "");
  EXPECT_EQ(unicode_slug(" -- !? / # % "), "");
  EXPECT_EQ(unicode_slug("\xF0\x9F\x98\x80"), "");
  EXPECT_EQ(unicode_slug("Пресс", 0), "");
}

TEST(UnicodeSlug, SeparatesUrlSyntaxAndEmoji) {
  EXPECT_EQ(unicode_slug("а/б?в#г%д&е\xF0\x9F\x98\x80ж"), "а-б-в-г-д-е-ж");
}

TEST(UnicodeSlug, TreatsMalformedUtf8AsSeparator) {
  EXPECT_EQ(unicode_slug("абв\xFF\xFEгде"), "абв-где");
  EXPECT_EQ(unicode_slug("аб\xD0"), "аб");  // a sequence cut short
  EXPECT_EQ(unicode_slug("а\xC0\xAF"
                         "б"),
            "а-б");  // an overlong '/'
  EXPECT_EQ(unicode_slug("а\xED\xA0\x80"
                         "б"),
            "а-б");  // an encoded surrogate
}

TEST(UnicodeSlug, CutsBytesOnACodePointBoundary) {
  // Two-byte letters: 100 bytes hold 50, 99 bytes only 49.
  const std::string cyrillic = repeated("я", 60);
  EXPECT_EQ(unicode_slug(cyrillic), repeated("я", 50));
  EXPECT_EQ(unicode_slug(cyrillic, 99), repeated("я", 49));
  // Three-byte letters: 33 in 100 bytes.
  EXPECT_EQ(unicode_slug(repeated("新", 40)), repeated("新", 33));
  // Four-byte letters (U+20000): 25 in 100 bytes, 24 in 99.
  EXPECT_EQ(unicode_slug(repeated("\U00020000", 30)), repeated("\U00020000", 25));
  EXPECT_EQ(unicode_slug(repeated("\U00020000", 30), 99), repeated("\U00020000", 24));
  for (std::size_t max = 1; max <= 12; ++max) {
    const std::string slug = unicode_slug("Пресс-релиз 新闻稿 \U00020000", max);
    EXPECT_LE(slug.size(), max);
    if (!slug.empty()) {
      EXPECT_TRUE(is_valid_unicode_slug(slug)) << max << ": " << slug;
    }
  }
}

TEST(UnicodeSlug, StripsHyphenLeftAtTheCut) {
  // 49 two-byte letters, then a separator: the cut at 100 would end in "-".
  EXPECT_EQ(unicode_slug(repeated("я", 49) + " бв"), repeated("я", 49));
}

TEST(UnicodeSlug, StopsEarlyOnHugeInput) {
  const std::string slug = unicode_slug(repeated("Пресс-релиз ", 100000));
  EXPECT_LE(slug.size(), kMaxSlugLength);
  EXPECT_TRUE(slug.starts_with("пресс-релиз-пресс-релиз")) << slug;
  EXPECT_TRUE(is_valid_unicode_slug(slug)) << slug;
}

TEST(UnicodeSlug, LongRunWithoutSpaces) {
  const std::string slug = unicode_slug(repeated("新", 2000));
  EXPECT_EQ(slug, repeated("新", 33));
}

TEST(UnicodeSlug, OutputIsAlwaysValid) {
  const char* const kTitles[] = {
      "Пресс-релиз",   "Δελτίο Τύπου: ΟΡΓΑΝΙΣΜΟΣ", "بَيَانٌ صحفي", "新闻稿：发布会", "प्रेस विज्ञप्ति",
      "ข่าวประชาสัมพันธ์", "İstanbul ǅemal",           "Café Über", "e\u034F\u0301",  "Ⅻ Ⅸ"};
  for (const char* title : kTitles) {
    const std::string slug = unicode_slug(title);
    EXPECT_FALSE(slug.empty()) << title;
    EXPECT_TRUE(is_valid_unicode_slug(slug)) << title << " -> " << slug;
  }
}

TEST(UnicodeSlug, IsSafeAcrossThreads) {
  std::vector<std::thread> threads;
  std::vector<std::string> results(4);
  for (std::size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&results, t] {
      for (int i = 0; i < 50; ++i) {
        results[t] = unicode_slug("Пресс-релиз Δελτίο Τύπου بيان 新闻稿 Café");
        // The ASCII transliterator's lock and the lock-free path side by side.
        if (slugify("Пресс-релиз") != "press-reliz") results[t] = "ascii broke";
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& result : results) {
    EXPECT_EQ(result, "пресс-релиз-δελτίο-τύπου-بيان-新闻稿-café");
  }
}

TEST(IsValidUnicodeSlug, AcceptsReadableUnicodeAndEveryAsciiSlug) {
  EXPECT_TRUE(is_valid_unicode_slug("пресс-релиз"));
  EXPECT_TRUE(is_valid_unicode_slug("新闻稿"));
  EXPECT_TRUE(is_valid_unicode_slug("بَيَانٌ-صحفي"));
  EXPECT_TRUE(is_valid_unicode_slug("café-2018"));
  EXPECT_TRUE(is_valid_unicode_slug("icmpd-around-the-globe-icmpds-director-general"));
  EXPECT_TRUE(is_valid_unicode_slug(repeated("я", 50)));
  EXPECT_FALSE(is_valid_slug("пресс-релиз"));  // the ASCII check stays as it was
}

TEST(IsValidUnicodeSlug, RejectsUpperCase) {
  EXPECT_FALSE(is_valid_unicode_slug("Пресс"));
  EXPECT_FALSE(is_valid_unicode_slug("Café"));
  EXPECT_FALSE(is_valid_unicode_slug("ǅemal"));  // title case
  EXPECT_FALSE(is_valid_unicode_slug("News"));
}

TEST(IsValidUnicodeSlug, RejectsUrlSyntaxSpaceControlsAndPunctuation) {
  for (const char* bad : {"а/б", "а?б", "а#б", "а%20б", "а б", "а\tб",
                          "а\x01"
                          "б",
                          "а\x7F"
                          "б",
                          "а.б", "а_б", "а\u2014б", "а\u00A0б", "а\u3000б", "а'б", "а\u2019б",
                          "а\u00ADб", "а\u200Bб", "а\u202Eб", "\xF0\x9F\x98\x80"}) {
    EXPECT_FALSE(is_valid_unicode_slug(bad)) << bad;
  }
}

TEST(IsValidUnicodeSlug, RejectsHyphenAtEdgesAndDoubled) {
  EXPECT_FALSE(is_valid_unicode_slug(""));
  EXPECT_FALSE(is_valid_unicode_slug("-я"));
  EXPECT_FALSE(is_valid_unicode_slug("я-"));
  EXPECT_FALSE(is_valid_unicode_slug("я--б"));
  EXPECT_FALSE(is_valid_unicode_slug("-"));
}

TEST(IsValidUnicodeSlug, RejectsTooManyBytes) {
  EXPECT_FALSE(is_valid_unicode_slug(repeated("я", 51)));  // 51 letters, 102 bytes
}

TEST(IsValidUnicodeSlug, RejectsMalformedUtf8) {
  EXPECT_FALSE(is_valid_unicode_slug("аб\xD0"));
  EXPECT_FALSE(is_valid_unicode_slug("\xFF"));
  EXPECT_FALSE(
      is_valid_unicode_slug("a\xC0\xAF"
                            "b"));  // overlong '/'
  EXPECT_FALSE(
      is_valid_unicode_slug("a\xED\xA0\x80"
                            "b"));                           // surrogate
  EXPECT_FALSE(is_valid_unicode_slug("a\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(is_valid_unicode_slug(std::string("a\0b", 3)));
}

TEST(IsValidUnicodeSlug, RejectsMarksOutsideWordsAndOtherThanNfc) {
  EXPECT_FALSE(is_valid_unicode_slug("\u0301a"));
  EXPECT_FALSE(is_valid_unicode_slug("a-\u0301b"));
  EXPECT_FALSE(is_valid_unicode_slug("re\u0301sume\u0301"));  // NFD: looks like "résumé"
  EXPECT_TRUE(is_valid_unicode_slug("r\u00e9sum\u00e9"));
}

TEST(CutSlug, CutsOnCodePointBoundaryAndDropsTrailingHyphens) {
  EXPECT_EQ(cut_slug("абв", 5), "аб");
  EXPECT_EQ(cut_slug("абв", 1), "");
  EXPECT_EQ(cut_slug("ab-cd", 3), "ab");
  EXPECT_EQ(cut_slug("ab-cd", 10), "ab-cd");
  EXPECT_EQ(cut_slug(repeated("я", 50), kMaxSlugLength - 2) + "-2", repeated("я", 49) + "-2");
}

}  // namespace
}  // namespace newsdesk::text
