#include "model/languages.h"

#include <gtest/gtest.h>

namespace newsdesk::model {
namespace {

Site three_languages() {
  Site site;
  site.language = "en";
  site.languages = {"fr", "ar", "pt-BR"};
  site.language_prefixes["pt-BR"] = "/portugues/";
  return site;
}

TEST(CanonicalLanguage, PutsSubtagsInTheirCase) {
  EXPECT_EQ(canonical_language("FR-ca"), "fr-CA");
  EXPECT_EQ(canonical_language("zh-hant-tw"), "zh-Hant-TW");
  EXPECT_EQ(canonical_language("en_GB"), "en-GB");
  EXPECT_EQ(canonical_language("de-x-Foo"), "de-x-foo");
  EXPECT_EQ(canonical_language("es-419"), "es-419");
}

TEST(CanonicalLanguage, RejectsWhatIsNoTag) {
  for (const char* bad : {"", "e", "english", "en--GB", "en-", "-en", "en GB", "12",
                          "en-toolongsubtag", "fr'; DROP TABLE items; --", "en-%"}) {
    EXPECT_EQ(canonical_language(bad), "") << bad;
  }
}

TEST(ServedLanguage, MatchesExtensionsElseTheDefault) {
  const Site site = three_languages();
  EXPECT_EQ(served_language(site, "fr"), "fr");
  EXPECT_EQ(served_language(site, "fr-CA"), "fr");
  EXPECT_EQ(served_language(site, "pt-BR"), "pt-BR");
  EXPECT_EQ(served_language(site, "pt"), "en");  // only Brazilian Portuguese is served
  EXPECT_EQ(served_language(site, "fro"), "en");
  EXPECT_EQ(served_language(site, ""), "en");
  EXPECT_EQ(served_language(site, "de"), "en");
  EXPECT_EQ(served_languages(site), (std::vector<std::string>{"en", "fr", "ar", "pt-BR"}));
}

TEST(LanguagePrefix, DefaultAtTheRootOthersUnderTheirPrefix) {
  const Site site = three_languages();
  EXPECT_EQ(language_prefix(site, "en"), "");
  EXPECT_EQ(language_prefix(site, "de"), "");
  EXPECT_EQ(language_prefix(site, "fr"), "/fr");
  EXPECT_EQ(language_prefix(site, "fr-CA"), "/fr");
  EXPECT_EQ(language_prefix(site, "pt-BR"), "/portugues");
}

TEST(LanguageView, KnowsItsLanguageAndTheDefault) {
  const Site site = three_languages();
  const Site fr = language_view(site, "fr");
  EXPECT_EQ(fr.language, "fr");
  EXPECT_EQ(default_language(fr), "en");
  EXPECT_EQ(fr.path_prefix, "/fr");
  // A view keeps knowing where every language lives.
  EXPECT_EQ(language_prefix(fr, "ar"), "/ar");
  EXPECT_EQ(language_prefix(fr, "en"), "");
  const Site root = language_view(site, "en");
  EXPECT_EQ(root, site);
}

TEST(SplitLanguagePath, FindsThePrefix) {
  const Site site = three_languages();
  auto at = [&](std::string_view path) {
    LanguagePath p = split_language_path(site, path);
    return p.language + " " + std::string(p.rest);
  };
  EXPECT_EQ(at("/fr/news/x/"), "fr /news/x/");
  EXPECT_EQ(at("/fr/"), "fr /");
  EXPECT_EQ(at("/fr"), "fr ");
  EXPECT_EQ(at("/french/"), "en /french/");
  EXPECT_EQ(at("/portugues/rss.xml"), "pt-BR /rss.xml");
  EXPECT_EQ(at("/pt-br/"), "en /pt-br/");  // configured elsewhere
  EXPECT_EQ(at("/"), "en /");
}

TEST(LanguageName, IsTheLanguagesOwnName) {
  EXPECT_EQ(language_name("fr"), "Français");
  EXPECT_EQ(language_name("de"), "Deutsch");
  EXPECT_EQ(language_name("ru"), "Русский");
  EXPECT_EQ(language_name("ar"), "العربية");
}

}  // namespace
}  // namespace newsdesk::model
