// Search in each language the default theme ships (en, fr, de, es, ru, ar),
// on both stores: no word of any of them is lost, each is found as written,
// accents aside, and inflected forms are found where the backend stems the
// language (PostgreSQL: every one of them, by the item's language; SQLite:
// English only, FTS5's porter).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/search.h"
#include "store/postgres/migrations.h"
#include "store/postgres/statement.h"
#include "store/store.h"
#include "support/store_backends.h"
#include "text/search_query.h"

namespace newsdesk::store {
namespace {

using testing::Backend;

// A press-release sentence per language; `word` is one of its words as
// written, `inflected` another form of one of its words, which a stemmer of
// the language maps to the same stem, and `marked` the text's form of it.
struct Sample {
  std::string language;
  std::string title;
  std::string body;
  std::string word;
  std::string inflected;
  std::string marked;
};

const std::vector<Sample>& samples() {
  static const std::vector<Sample> all = {
      {"en", "Ministry welcomes sea rescue agreement",
       "The ministry welcomes the new agreement on migrants arriving by sea.", "agreement",
       "migrant", "migrants"},
      {"fr", "Le ministère renforce l'accueil",
       "Le ministère de l'Intérieur renforce l'accueil des migrants dans les régions "
       "européennes.",
       "accueil", "européen", "européennes"},
      {"de", "Bundesregierung beschließt Hilfen",
       "Die Bundesregierung beschließt neue Maßnahmen zur Unterstützung der Flüchtlinge.",
       "Unterstützung", "Maßnahme", "Maßnahmen"},
      {"es", "El Gobierno anuncia un plan de apoyo",
       "El Gobierno anuncia nuevas medidas de apoyo para los niños migrantes.", "apoyo", "nuevo",
       "nuevas"},
      {"ru", "Правительство поддержит мигрантов",
       "Правительство объявило о новых мерах поддержки мигрантов.", "мерах", "поддержка",
       "поддержки"},
      {"ar", "الحكومة تعلن خطة دعم", "أعلنت الحكومة عن تدابير جديدة لدعم المهاجرين في المنطقة.",
       "تدابير", "حكومة", "الحكومة"},
  };
  return all;
}

model::Item article(const std::string& slug, const std::string& language, const std::string& title,
                    const std::string& body) {
  model::Item item;
  item.guid = "urn:uuid:" + slug;
  item.slug = slug;
  item.title = title;
  item.body_html = "<p>" + body + "</p>";
  item.language = language;
  item.status = model::Status::kPublished;
  item.published_at = model::DateTime{1531210290, 0};
  item.updated_at = model::DateTime{1531210290, 0};
  return item;
}

// The words of a text as a reader would type them one by one.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  for (const model::SearchTerm& term : text::parse_search_query(text).terms) {
    for (const std::string& word : term.words) words.push_back(word);
  }
  return words;
}

class StoreSearchLanguages : public testing::StoreBackendTest {
 protected:
  void SetUp() override {
    testing::StoreBackendTest::SetUp();
    auto opened = open_store(testing::fresh_url());
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(opened).value();
    auto migrated = store_->migrate();
    ASSERT_TRUE(migrated) << migrated.error().message;
  }

  void add(const model::Item& item) {
    auto id = store_->insert_item(item);
    ASSERT_TRUE(id) << item.slug << ": " << id.error().message;
  }

  void add_samples() {
    for (const Sample& s : samples()) add(article(s.language, s.language, s.title, s.body));
  }

  SearchResults find(std::string_view typed, const ItemQuery& filter = ItemQuery{}) {
    auto results = store_->search(text::parse_search_query(typed), filter);
    EXPECT_TRUE(results) << typed << ": " << (results ? "" : results.error().message);
    return results ? std::move(results).value() : SearchResults{};
  }

  std::vector<std::string> slugs(std::string_view typed, const ItemQuery& filter = ItemQuery{}) {
    std::vector<std::string> out;
    for (const SearchHit& hit : find(typed, filter).hits) out.push_back(hit.item.slug);
    return out;
  }

  static ItemQuery in(const std::string& language) {
    ItemQuery filter;
    filter.language = language;
    return filter;
  }

  std::unique_ptr<Store> store_;
};
NEWSDESK_STORE_BACKENDS(StoreSearchLanguages);

TEST_P(StoreSearchLanguages, FindsAWordOfTheBodyInEachLanguage) {
  add_samples();
  for (const Sample& s : samples()) {
    EXPECT_EQ(slugs(s.word, in(s.language)), std::vector<std::string>{s.language}) << s.word;
    // Without a language, the query is read by English rules: FTS5 reads
    // every text so, PostgreSQL read each item by its own language's, and
    // the two stems of a word need not agree ("unterstutzung" against
    // "unterstutz"). A search should name its language there.
    if (backend() == Backend::kSqlite || s.language == "en") {
      EXPECT_EQ(slugs(s.word), std::vector<std::string>{s.language}) << s.word;
    }
  }
}

TEST_P(StoreSearchLanguages, DropsNoWordOfAnyLanguage) {
  add_samples();
  for (const Sample& s : samples()) {
    const std::vector<std::string> words = words_of(s.body);
    ASSERT_GE(words.size(), 6u) << s.body;
    for (const std::string& word : words) {
      const std::vector<std::string> found = slugs(word, in(s.language));
      EXPECT_EQ(found, std::vector<std::string>{s.language}) << s.language << ": " << word;
    }
  }
}

TEST_P(StoreSearchLanguages, MarksTheWordInTheSnippet) {
  add_samples();
  for (const Sample& s : samples()) {
    SearchResults results = find(s.word, in(s.language));
    ASSERT_EQ(results.hits.size(), 1u) << s.word;
    EXPECT_NE(results.hits[0].snippet_html.find("<mark>" + s.word + "</mark>"), std::string::npos)
        << s.word << ": " << results.hits[0].snippet_html;
  }
}

TEST_P(StoreSearchLanguages, IgnoresCaseAndAccentsInEveryScript) {
  add_samples();
  EXPECT_EQ(slugs("UNTERSTUTZUNG", in("de")), std::vector<std::string>{"de"});
  EXPECT_EQ(slugs("ninos", in("es")), std::vector<std::string>{"es"});
  EXPECT_EQ(slugs("Ministere", in("fr")), std::vector<std::string>{"fr"});
  EXPECT_EQ(slugs("ПРАВИТЕЛЬСТВО", in("ru")), std::vector<std::string>{"ru"});
}

// unicode61 and PostgreSQL's parser both split at the apostrophe, straight
// or typographic, as a French reader expects.
TEST_P(StoreSearchLanguages, FindsAFrenchWordAfterAnElision) {
  add(article("fr-1", "fr", "Conférence", "Le ministre a présenté l’immigration et l'Intérieur."));
  EXPECT_EQ(slugs("immigration", in("fr")), std::vector<std::string>{"fr-1"});
  EXPECT_EQ(slugs("intérieur", in("fr")), std::vector<std::string>{"fr-1"});
  EXPECT_EQ(slugs("l'intérieur", in("fr")), std::vector<std::string>{"fr-1"});
}

// Vowel marks (harakat) are optional in Arabic and readers type without
// them; a vowelled text must be found all the same.
TEST_P(StoreSearchLanguages, FindsVowelledArabicByTheBareWord) {
  add(article("ar-1", "ar", "بيان", "أَعْلَنَتِ الحُكُومَةُ عَنْ تَدَابِيرَ جَدِيدَةٍ أيضاً."));
  EXPECT_EQ(slugs("الحكومة", in("ar")), std::vector<std::string>{"ar-1"});
  EXPECT_EQ(slugs("تدابير", in("ar")), std::vector<std::string>{"ar-1"});
  EXPECT_EQ(slugs("أيضا", in("ar")), std::vector<std::string>{"ar-1"});
  // And a vowelled query finds the bare text.
  add(article("ar-2", "ar", "بيان", "أعلنت الوزارة عن خطة جديدة."));
  EXPECT_EQ(slugs("الوِزَارَة", in("ar")), std::vector<std::string>{"ar-2"});
}

TEST_P(StoreSearchLanguages, StemsWhereTheBackendKnowsTheLanguage) {
  add_samples();
  for (const Sample& s : samples()) {
    // PostgreSQL stems each of these languages; FTS5's porter only English.
    const bool stems = backend() == Backend::kPostgres || s.language == "en";
    SearchResults results = find(s.inflected, in(s.language));
    if (!stems) {
      EXPECT_EQ(results.total, 0) << s.language << ": " << s.inflected;
      continue;
    }
    ASSERT_EQ(results.hits.size(), 1u) << s.language << ": " << s.inflected;
    EXPECT_NE(results.hits[0].snippet_html.find("<mark>" + s.marked + "</mark>"), std::string::npos)
        << s.inflected << ": " << results.hits[0].snippet_html;
  }
}

TEST_P(StoreSearchLanguages, TextLanguageOverridesTheFilterLanguage) {
  add(article("fr-1", "fr", "Régions", "Les régions européennes coopèrent."));
  ItemQuery filter;
  filter.text_language = "fr-CA";
  const std::vector<std::string> expected = backend() == Backend::kPostgres
                                                ? std::vector<std::string>{"fr-1"}
                                                : std::vector<std::string>{};
  EXPECT_EQ(slugs("européen", filter), expected);
}

TEST_P(StoreSearchLanguages, LanguageFilterKeepsOtherLanguagesOut) {
  add(article("fr-1", "fr", "Frontex à Varsovie", "L'agence Frontex publie son rapport annuel."));
  add(article("de-1", "de", "Frontex in Warschau", "Die Agentur Frontex legt ihren Bericht vor."));
  EXPECT_EQ(slugs("frontex", in("fr")), std::vector<std::string>{"fr-1"});
  EXPECT_EQ(slugs("frontex", in("de")), std::vector<std::string>{"de-1"});
  EXPECT_EQ(find("frontex").total, 2);
}

// Items without a language (the site's default) are read by English rules;
// a search in another language still finds them by their own words.
TEST_P(StoreSearchLanguages, ASearchInAnotherLanguageFindsItemsWithoutOne) {
  add(article("plain", "", "Régions", "Les régions européennes coopèrent."));
  ItemQuery filter;
  filter.text_language = "fr";
  EXPECT_EQ(slugs("européennes", filter), std::vector<std::string>{"plain"});
}

// A version 6 database, as the previous release left it: every item read
// by the English configuration. Migration 7 reads each again by the rules
// of its language.
TEST(PostgresSearchLanguagesMigration7, ReindexesOldItemsByTheirLanguage) {
  const std::string url = testing::fresh_store_url(Backend::kPostgres);
  {
    auto conn = postgres::Connection::open(url);
    ASSERT_TRUE(conn) << conn.error().message;
    auto migrated = postgres::apply_migrations(**conn, 6);
    ASSERT_TRUE(migrated) << migrated.error().message;
    auto inserted = postgres::exec(
        **conn,
        "INSERT INTO items (id, guid, slug, title, body_html, language, status, published_at,"
        " published_offset, updated_at) VALUES"
        " (41, 'urn:uuid:fr', 'fr', 'Régions', '<p>Les régions européennes coopèrent.</p>', 'fr',"
        "  'published', 1531210290, 0, 1531210290),"
        " (42, 'urn:uuid:en', 'en', 'Rescue', '<p>Migrants arriving by sea.</p>', 'en',"
        "  'published', 1531210290, 0, 1531210290);"
        "INSERT INTO items_search (item_id, title, teaser, body, document)"
        " SELECT id, title, '', 'Les régions européennes coopèrent.',"
        " setweight(to_tsvector('newsdesk_search', title), 'A') ||"
        " setweight(to_tsvector('newsdesk_search', 'Les régions européennes coopèrent.'), 'C')"
        " FROM items WHERE id = 41;"
        "INSERT INTO items_search (item_id, title, teaser, body, document)"
        " SELECT id, title, '', 'Migrants arriving by sea.',"
        " setweight(to_tsvector('newsdesk_search', title), 'A') ||"
        " setweight(to_tsvector('newsdesk_search', 'Migrants arriving by sea.'), 'C')"
        " FROM items WHERE id = 42");
    ASSERT_TRUE(inserted) << inserted.error().message;
    // English rules: "europeenn", which the French "européen" is not.
    auto english = postgres::Statement::prepare(
        **conn, "SELECT document::text FROM items_search WHERE item_id = 41");
    ASSERT_TRUE(english) << english.error().message;
    ASSERT_TRUE(*english->step());
    EXPECT_NE(english->column_text(0).find("'europeenn'"), std::string::npos)
        << english->column_text(0);
  }
  auto opened = open_store(url);
  ASSERT_TRUE(opened) << opened.error().message;
  std::unique_ptr<Store> store = std::move(opened).value();
  auto migrated = store->migrate();
  ASSERT_TRUE(migrated) << migrated.error().message;

  ItemQuery french;
  french.language = "fr";
  auto found = store->search(text::parse_search_query("européen"), french);
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_EQ(found->hits.size(), 1u);
  EXPECT_EQ(found->hits[0].item.slug, "fr");
  EXPECT_NE(found->hits[0].snippet_html.find("<mark>européennes</mark>"), std::string::npos)
      << found->hits[0].snippet_html;

  found = store->search(text::parse_search_query("migrant"), ItemQuery{});
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_EQ(found->hits.size(), 1u);
  EXPECT_EQ(found->hits[0].item.slug, "en");
}

TEST(PostgresSearchConfiguration, FollowsThePrimarySubtag) {
  EXPECT_EQ(postgres::search_configuration_of("fr"), "newsdesk_search_french");
  EXPECT_EQ(postgres::search_configuration_of("FR-ca"), "newsdesk_search_french");
  EXPECT_EQ(postgres::search_configuration_of("ar-EG"), "newsdesk_search_arabic");
  EXPECT_EQ(postgres::search_configuration_of("nb"), "newsdesk_search_norwegian");
  EXPECT_EQ(postgres::search_configuration_of("en-GB"), "newsdesk_search");
  EXPECT_EQ(postgres::search_configuration_of(""), "newsdesk_search");
  EXPECT_EQ(postgres::search_configuration_of("fro"), "newsdesk_search");
  EXPECT_EQ(postgres::search_configuration_of("zh-Hant"), "newsdesk_search");
}

}  // namespace
}  // namespace newsdesk::store
