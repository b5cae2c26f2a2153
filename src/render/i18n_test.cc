#include "render/i18n.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "render/embedded_theme.h"
#include "render/pages.h"
#include "render/theme.h"
#include "support/process.h"

namespace newsdesk::render {
namespace {

using newsdesk::testing::TempDir;

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// The shipped catalogues, parsed one by one from the embedded theme: tag ->
// its own words.
std::map<std::string, Words> shipped_catalogues() {
  std::map<std::string, Words> out;
  for (const EmbeddedFile& f : embedded_default_theme()) {
    std::string_view path = f.path;
    if (!path.starts_with("i18n/") || !path.ends_with(".json")) continue;
    const std::string tag(path.substr(5, path.size() - 5 - 5));
    Catalogue c;
    auto added = c.add_json(tag, f.content, f.path);
    EXPECT_TRUE(added) << added.error().message;
    out[tag] = c.own_words(tag);
  }
  return out;
}

// A key's plural base: "search_found_few" -> "search_found"; "" when the key
// is no plural form.
std::string plural_base(const std::string& key) {
  for (std::string_view category : {"_zero", "_one", "_two", "_few", "_many", "_other"}) {
    if (key.ends_with(category)) return key.substr(0, key.size() - category.size());
  }
  return "";
}

TEST(Catalogue, FallsBackFromExactTagToPrimaryToEnglishToTheKey) {
  Catalogue c;
  ASSERT_TRUE(c.add_json("en", R"({"a": "A en", "b": "B en", "c": "C en"})", "en.json"));
  ASSERT_TRUE(c.add_json("pt", R"({"b": "B pt", "c": "C pt"})", "pt.json"));
  ASSERT_TRUE(c.add_json("pt-BR", R"({"c": "C br"})", "pt-BR.json"));
  c.finish();
  EXPECT_EQ(c.lookup("pt-BR", "c"), "C br");
  EXPECT_EQ(c.lookup("pt-BR", "b"), "B pt");
  EXPECT_EQ(c.lookup("pt-BR", "a"), "A en");
  EXPECT_EQ(c.lookup("pt-BR", "missing_key"), "missing_key");
  // Tags match whatever their case or separator.
  EXPECT_EQ(c.lookup("pt_br", "c"), "C br");
  EXPECT_EQ(c.lookup("PT-PT", "c"), "C pt");
  EXPECT_EQ(c.lookup("pt", "c"), "C pt");
  EXPECT_EQ(c.lookup("de", "c"), "C en");
  EXPECT_EQ(c.lookup("", "a"), "A en");
  EXPECT_EQ(c.words("pt-BR").size(), 3u);
  EXPECT_EQ(c.words("pt-BR").at("a"), "A en");
}

TEST(Catalogue, WithoutEnglishAMissingWordIsItsKey) {
  Catalogue c;
  c.set("fr", "a", "A fr");
  c.finish();
  EXPECT_EQ(c.lookup("fr", "a"), "A fr");
  EXPECT_EQ(c.lookup("de", "a"), "a");
  EXPECT_TRUE(c.words("de").empty());
}

TEST(Catalogue, RejectsWhatIsNoObjectOfStrings) {
  Catalogue c;
  for (const char* bad : {"{\"a\": ", "[\"a\"]", "{\"a\": 1}", "{\"a\": {\"b\": \"c\"}}", ""}) {
    auto r = c.add_json("fr", bad, "i18n/fr.json");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
    EXPECT_TRUE(contains(r.error().message, "i18n/fr.json")) << r.error().message;
  }
  auto r = c.add_json("fr", R"({"ok": "x", "count": 3})", "i18n/fr.json");
  ASSERT_FALSE(r);
  EXPECT_TRUE(contains(r.error().message, "\"count\"")) << r.error().message;
  // Nothing of a rejected file was kept.
  EXPECT_TRUE(c.own_words("fr").empty());
}

TEST(Catalogue, FillReplacesNamedPlaceholdersOnce) {
  EXPECT_EQ(fill("{count} results for “{query}”", {{"count", "3"}, {"query", "kabul"}}),
            "3 results for “kabul”");
  // A value's own braces are never expanded; unknown names stay.
  EXPECT_EQ(fill("for {query} {other}", {{"query", "{query}{count}"}, {"count", "9"}}),
            "for {query}{count} {other}");
  EXPECT_EQ(fill("no placeholders", {{"x", "y"}}), "no placeholders");
  EXPECT_EQ(fill("{unclosed", {{"unclosed", "y"}}), "{unclosed");
  EXPECT_EQ(fill("", {}), "");
}

TEST(Catalogue, PluralFormsFollowTheLanguageRules) {
  Words ru{{"n_one", "one"}, {"n_few", "few"}, {"n_many", "many"}, {"n_other", "other"}};
  EXPECT_EQ(plural_word(ru, "ru", "n", 1), "one");
  EXPECT_EQ(plural_word(ru, "ru", "n", 21), "one");
  EXPECT_EQ(plural_word(ru, "ru", "n", 3), "few");
  EXPECT_EQ(plural_word(ru, "ru", "n", 5), "many");
  EXPECT_EQ(plural_word(ru, "ru", "n", 11), "many");
  Words en{{"n_one", "one"}, {"n_other", "other"}};
  EXPECT_EQ(plural_word(en, "en", "n", 1), "one");
  EXPECT_EQ(plural_word(en, "en", "n", 7), "other");
  // Arabic's "two" is missing here: "_other" stands in.
  EXPECT_EQ(plural_word(en, "ar", "n", 2), "other");
  EXPECT_EQ(plural_word(Words{}, "en", "n", 2), "n");
}

TEST(ShippedCatalogues, AllSixParseAndHaveEveryEnglishKey) {
  const auto catalogues = shipped_catalogues();
  for (const char* tag : {"en", "fr", "de", "es", "ru", "ar"}) {
    EXPECT_TRUE(catalogues.contains(tag)) << "no i18n/" << tag << ".json";
  }
  ASSERT_TRUE(catalogues.contains("en"));
  const Words& english = catalogues.at("en");
  EXPECT_GT(english.size(), 40u);
  for (const auto& [tag, words] : catalogues) {
    std::string missing;
    for (const auto& [key, text] : english) {
      if (!words.contains(key)) missing += " " + key;
    }
    EXPECT_EQ(missing, "") << tag << ".json lacks:" << missing;
    std::string unknown;  // a typo in a key: never shown
    for (const auto& [key, text] : words) {
      if (!english.contains(key) && !english.contains(plural_base(key) + "_other")) {
        unknown += " " + key;
      }
    }
    EXPECT_EQ(unknown, "") << tag << ".json has keys English has not:" << unknown;
    for (const auto& [key, text] : words) EXPECT_FALSE(text.empty()) << tag << ": " << key;
  }
}

TEST(ShippedCatalogues, EveryPluralCategoryOfEachLanguageHasAForm) {
  const auto catalogues = shipped_catalogues();
  std::set<std::string> bases;
  for (const auto& [key, text] : catalogues.at("en")) {
    if (key.ends_with("_other")) bases.insert(plural_base(key));
  }
  ASSERT_FALSE(bases.empty());
  for (const auto& [tag, words] : catalogues) {
    const std::vector<std::string> categories = plural_categories(tag);
    EXPECT_FALSE(categories.empty()) << tag;
    for (const std::string& base : bases) {
      for (const std::string& category : categories) {
        EXPECT_TRUE(words.contains(base + "_" + category))
            << tag << ": " << base << "_" << category;
      }
    }
  }
}

TEST(ShippedCatalogues, PlaceholdersMatchEnglish) {
  // A translation that drops "{count}" or misspells "{query}" would show a
  // sentence without the number, or the raw braces.
  auto names = [](const std::string& text) {
    std::set<std::string> out;
    for (auto open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
      const auto close = text.find('}', open);
      if (close != std::string::npos) out.insert(text.substr(open + 1, close - open - 1));
    }
    return out;
  };
  const auto catalogues = shipped_catalogues();
  const Words& english = catalogues.at("en");
  for (const auto& [tag, words] : catalogues) {
    for (const auto& [key, text] : words) {
      const auto base = plural_base(key);
      const auto en = english.find(base.empty() ? key : base + "_other");
      if (en == english.end()) continue;
      auto expected = names(en->second);
      // A plural form may spell its number out ("one item", "two items").
      if (!base.empty()) expected.erase("count");
      auto got = names(text);
      if (!base.empty()) got.erase("count");
      EXPECT_EQ(got, expected) << tag << ": " << key;
    }
  }
}

TEST(ThemeWords, BuiltinHasTheShippedLanguages) {
  const Theme theme = Theme::builtin();
  EXPECT_EQ(theme.words("fr").at("all_news"), "Toutes les actualités");
  EXPECT_EQ(theme.words("fr-CA").at("all_news"), "Toutes les actualités");
  EXPECT_EQ(theme.words("en").at("all_news"), "All news");
  EXPECT_EQ(theme.words("it").at("all_news"), "All news");  // no Italian: English
  const mstch::map& map = theme.word_map("de");
  ASSERT_TRUE(map.contains("all_news"));
  EXPECT_EQ(boost::get<std::string>(map.at("all_news")), "Alle Nachrichten");
}

TEST(ThemeWords, SiteFileOverridesOnlyTheKeysItLists) {
  TempDir folder;
  folder.write("i18n/fr.json", R"({"all_news": "Toute l’actualité"})");
  auto theme = Theme::load(folder.path());
  ASSERT_TRUE(theme) << theme.error().message;
  EXPECT_EQ(theme->words("fr").at("all_news"), "Toute l’actualité");
  // The other French words are still the shipped ones, not English.
  EXPECT_EQ(theme->words("fr").at("archive"), "Archives");
  EXPECT_EQ(theme->words("fr").size(), Theme::builtin().words("fr").size());
  // Other languages and the builtin theme are untouched.
  EXPECT_EQ(theme->words("de").at("all_news"), "Alle Nachrichten");
  EXPECT_EQ(Theme::builtin().words("fr").at("all_news"), "Toutes les actualités");
}

TEST(ThemeWords, SiteAddsALanguageTheThemeDoesNotShip) {
  TempDir folder;
  folder.write("i18n/it.json", R"({"all_news": "Tutte le notizie", "archive": "Archivio"})");
  auto theme = Theme::load(folder.path());
  ASSERT_TRUE(theme) << theme.error().message;
  EXPECT_EQ(theme->words("it").at("all_news"), "Tutte le notizie");
  EXPECT_EQ(theme->words("it-CH").at("archive"), "Archivio");
  // What Italian does not say comes from English.
  EXPECT_EQ(theme->words("it").at("downloads"), "Downloads");

  model::Site site;
  site.language = "it";
  auto html = home_page(*theme, site, Chrome{}, HomeView{});
  ASSERT_TRUE(html) << html.error().message;
  EXPECT_TRUE(contains(*html, ">Tutte le notizie</a>")) << *html;
}

TEST(ThemeWords, MalformedSiteCatalogueIsAnErrorNamingTheFile) {
  TempDir folder;
  folder.write("i18n/fr.json", "{\"all_news\": \"Toutes\",\n}");
  auto theme = Theme::load(folder.path());
  ASSERT_FALSE(theme);
  EXPECT_EQ(theme.error().code, ErrorCode::kInvalid);
  EXPECT_TRUE(contains(theme.error().message, "i18n/fr.json")) << theme.error().message;
  EXPECT_TRUE(contains(theme.error().message, "line 2")) << theme.error().message;
}

TEST(LocalFormats, DatesInEachShippedLanguage) {
  // 2018-07-04T10:11:30+02:00, as Vienna shows it.
  const model::DateTime t{1530691890, 120};
  EXPECT_EQ(format_date("en", t, "dMMMMy"), "4 July 2018");
  EXPECT_EQ(format_date("fr", t, "dMMMMy"), "4 juillet 2018");
  EXPECT_EQ(format_date("de", t, "dMMMMy"), "4. Juli 2018");
  EXPECT_EQ(format_date("es", t, "dMMMMy"), "4 de julio de 2018");
  EXPECT_TRUE(format_date("ru", t, "dMMMMy").starts_with("4 июля 2018"))
      << format_date("ru", t, "dMMMMy");
  const std::string ar = format_date("ar", t, "dMMMMy");
  EXPECT_TRUE(contains(ar, "يوليو")) << ar;
  EXPECT_EQ(format_date("en", t, "Hm"), "10:11");
  EXPECT_EQ(format_date("de", t, "Hm"), "10:11");
  // A month on its own, and at the start of a heading.
  EXPECT_EQ(format_date("ru", t, "LLLL", DateContext::kRunningText), "июль");
  EXPECT_EQ(format_date("fr", t, "MMMMy", DateContext::kStandalone), "Juillet 2018");
  EXPECT_EQ(format_date("en", t, "MMMMy", DateContext::kStandalone), "July 2018");
}

TEST(LocalFormats, NumbersInEachShippedLanguage) {
  EXPECT_EQ(format_integer("en", 1234567), "1,234,567");
  EXPECT_EQ(format_integer("de", 1234567), "1.234.567");
  EXPECT_EQ(format_integer("en", 2018, false), "2018");
  EXPECT_EQ(format_integer("fr", 1234), "1\u202f234");
  EXPECT_EQ(format_integer("ar", 12, false), "١٢");
  EXPECT_EQ(format_decimal("fr", 1.25, 1), "1,2");
  EXPECT_EQ(format_file_size("fr", 1234567), "1,2\u202fMo");
  EXPECT_EQ(file_size_label(12345, "en"), "12 KB");
  EXPECT_EQ(file_size_label(12345, "de"), "12 kB");
}

TEST(LocalFormats, FormattersWorkFromManyThreadsAtOnce) {
  const model::DateTime t{1530691890, 120};
  std::vector<std::thread> threads;
  std::vector<std::string> got(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      const char* lang = i % 2 == 0 ? "fr" : "de";
      std::string s;
      for (int n = 0; n < 200; ++n) s = format_date(lang, t, "dMMMMy") + format_integer(lang, n);
      got[i] = s;
    });
  }
  for (auto& th : threads) th.join();
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(got[i], i % 2 == 0 ? "4 juillet 2018199" : "4. Juli 2018199") << i;
  }
}

model::Item vienna_item() {
  model::Item item;
  item.slug = "kabul-centre";
  item.title = "Centre";
  item.status = model::Status::kPublished;
  item.published_at = model::DateTime{1530691890, 120};
  item.teaser = "A summary.";
  model::Attachment a;
  a.name = "report.pdf";
  a.url = "https://example.org/report.pdf";
  a.media_type = "application/pdf";
  a.length = 1234567;
  item.attachments.push_back(a);
  return item;
}

model::Site site_in(const std::string& language) {
  model::Site site;
  site.title = "Test";
  site.base_url = "https://news.example.org/";
  site.time_zone = "Europe/Vienna";
  site.language = language;
  return site;
}

TEST(LocalizedPages, FrenchItemPage) {
  ItemView view;
  view.item = vienna_item();
  view.newer = ItemLinkView{vienna_item().title, "newer", vienna_item().language};
  const Theme theme = Theme::builtin();
  auto html = item_page(theme, site_in("fr"), Chrome{}, view);
  ASSERT_TRUE(html) << html.error().message;
  EXPECT_TRUE(contains(*html, "<html lang=\"fr\" dir=\"ltr\">"));
  EXPECT_TRUE(contains(*html, "<time datetime=\"2018-07-04T10:11:30+02:00\">4 juillet 2018</time>"))
      << *html;
  EXPECT_TRUE(contains(*html, ">Aller au contenu</a>"));
  EXPECT_TRUE(contains(*html, ">Toutes les actualités</a>"));
  EXPECT_TRUE(contains(*html, ">Rechercher dans les actualités</label>"));
  EXPECT_TRUE(contains(*html, ">Téléchargements</h2>"));
  EXPECT_TRUE(contains(*html, "(PDF, 1,2\u202fMo)")) << *html;
  EXPECT_TRUE(contains(*html, "<span class=\"label\">Plus récent</span>"));
  for (const char* english : {"Skip to content", "All news", "Search news", "Downloads", "Newer"}) {
    EXPECT_FALSE(contains(*html, english)) << english;
  }
}

TEST(LocalizedPages, FrenchSearchErrorAndArchivePages) {
  const Theme theme = Theme::builtin();
  const model::Site site = site_in("fr");
  SearchView search;
  search.query = "kabul";
  for (int i = 0; i < 3; ++i) search.hits.push_back(SearchHitView{vienna_item(), ""});
  search.total = 1234;
  search.paging = Paging{2, 3};
  auto html = search_page(theme, site, Chrome{}, search);
  ASSERT_TRUE(html) << html.error().message;
  EXPECT_TRUE(contains(*html, "<h1>Résultats de recherche pour « kabul » (page 2)</h1>")) << *html;
  EXPECT_TRUE(contains(*html, "1\u202f234 actualités trouvées.")) << *html;
  EXPECT_TRUE(contains(*html, "<p class=\"page-count\">Page 2 sur 3</p>"));
  search.total = 1;
  html = search_page(theme, site, Chrome{}, search);
  ASSERT_TRUE(html);
  EXPECT_TRUE(contains(*html, "1 actualité trouvée."));

  html = error_page(theme, site, Chrome{}, 404);
  ASSERT_TRUE(html);
  EXPECT_TRUE(contains(*html, "<h1>Page introuvable</h1>"));
  html = error_page(theme, site, Chrome{}, 410);
  ASSERT_TRUE(html);
  EXPECT_TRUE(contains(*html, "<h1>Cette actualité a été retirée</h1>"));

  ArchiveView archive;
  archive.year = 2018;
  archive.month = 7;
  archive.years.push_back(YearCount{2018, 3, {MonthCount{7, 2}, MonthCount{6, 1}}});
  archive.items.push_back(vienna_item());
  html = archive_page(theme, site, Chrome{}, archive);
  ASSERT_TRUE(html) << html.error().message;
  EXPECT_TRUE(contains(*html, "<h1>Juillet 2018</h1>")) << *html;
  EXPECT_TRUE(contains(*html, "<h2>Actualités publiées en juillet 2018</h2>")) << *html;
  EXPECT_TRUE(contains(*html, ">Juin</a>")) << *html;
}

TEST(LocalizedPages, ArabicPageIsRightToLeftInArabic) {
  const Theme theme = Theme::builtin();
  ListView view;
  for (int i = 0; i < 2; ++i) view.items.push_back(vienna_item());
  view.paging = Paging{1, 12};
  auto html = list_page(theme, site_in("ar"), Chrome{}, view);
  ASSERT_TRUE(html) << html.error().message;
  EXPECT_TRUE(contains(*html, "<html lang=\"ar\" dir=\"rtl\">"));
  EXPECT_TRUE(contains(*html, "<h1>كل الأخبار</h1>"));
  EXPECT_TRUE(contains(*html, ">انتقل إلى المحتوى</a>"));
  EXPECT_TRUE(contains(*html, "يوليو")) << *html;
  // Page numbers as Arabic readers write them; the URLs keep ASCII digits.
  EXPECT_TRUE(contains(*html, "<a href=\"/news/page/12/\">١٢</a>")) << *html;
  EXPECT_TRUE(contains(*html, "الصفحة ١ من ١٢"));
  // The machine-readable date stays as it was.
  EXPECT_TRUE(contains(*html, "datetime=\"2018-07-04T10:11:30+02:00\""));
}

TEST(LocalizedPages, NoticesInThePageLanguage) {
  const Theme theme = Theme::builtin();
  const model::DateTime t{1530691890, 0};
  EXPECT_EQ(embargo_notice(theme, site_in("en"), t),
            "Embargoed until 4 July 2018, 10:11. Do not publish or share before then.");
  EXPECT_EQ(archive_notice(theme, site_in("de"), t),
            "Seit dem 4. Juli 2018 im Archiv: Diese Nachricht ist möglicherweise nicht mehr "
            "aktuell.");
}

}  // namespace
}  // namespace newsdesk::render
