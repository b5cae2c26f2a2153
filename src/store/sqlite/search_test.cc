// Full-text search of the SQLite store, from what a reader types
// (text::parse_search_query) to ranked, escaped hits.
#include "model/search.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/queries.h"
#include "store/store.h"
#include "support/store_backends.h"
#include "text/search_query.h"

namespace newsdesk::store {
namespace {

class StoreSearch : public testing::StoreBackendTest {};
NEWSDESK_STORE_BACKENDS(StoreSearch);

using model::Category;
using model::DateTime;
using model::Item;
using model::SearchQuery;
using model::SearchTerm;
using model::Status;

std::unique_ptr<Store> open_migrated() {
  Result<std::unique_ptr<Store>> store = open_store(testing::fresh_url());
  if (!store) {
    ADD_FAILURE() << "open_store: " << store.error().message;
    return nullptr;
  }
  if (Result<void> r = (*store)->migrate(); !r) {
    ADD_FAILURE() << "migrate: " << r.error().message;
    return nullptr;
  }
  return std::move(store).value();
}

Item article(const std::string& slug, const std::string& title, const std::string& body_html,
             std::int64_t published = 1000) {
  Item item;
  item.guid = "urn:uuid:" + slug;
  item.slug = slug;
  item.title = title;
  item.teaser = "";
  item.body_html = body_html;
  item.status = Status::kPublished;
  item.published_at = DateTime{.epoch_seconds = published, .offset_minutes = 0};
  item.updated_at = DateTime{.epoch_seconds = published, .offset_minutes = 0};
  return item;
}

std::int64_t insert(Store& store, const Item& item) {
  Result<std::int64_t> id = store.insert_item(item);
  EXPECT_TRUE(id) << (id ? "" : id.error().message);
  return id ? *id : 0;
}

// What a reader typed, searched as the site does.
SearchResults find(Store& store, std::string_view typed, const ItemQuery& filter = ItemQuery{}) {
  Result<SearchResults> results = store.search(text::parse_search_query(typed), filter);
  EXPECT_TRUE(results) << typed << ": " << (results ? "" : results.error().message);
  return results ? std::move(results).value() : SearchResults{};
}

std::vector<std::string> slugs_of(const SearchResults& results) {
  std::vector<std::string> slugs;
  for (const SearchHit& hit : results.hits) slugs.push_back(hit.item.slug);
  return slugs;
}

// Mirrors hostile_inputs() in text/search_query_test.cc.
const std::vector<std::string>& hostile_inputs() {
  static const std::vector<std::string> inputs = {
      "",
      "\"",
      "\"\"",
      "\"\"\"",
      "*",
      "**",
      "-",
      "--",
      "- -",
      "-\"",
      "\"*",
      "(",
      ")",
      "()",
      "NEAR(",
      "NEAR(a b, 2)",
      "a NEAR b",
      "title:x",
      "{title teaser}:x",
      "^x",
      "x^",
      "+x",
      "a OR b",
      "a AND",
      "NOT a",
      "AND OR NOT",
      "\"unclosed phrase",
      "closed\" stray",
      "x\"y\"z",
      "'single' quotes",
      "a'b",
      "\\\"escaped\\\"",
      "...",
      "!@#$%^&*()_+=[]{}|;:,.<>/?`~",
      "\xE2\x80\x9C"
      "curly quotes\xE2\x80\x9D",
      "\xC3",
      "\xFF\xFE\xFD",
      "a\xC0\xAF"
      "b",
      "\xED\xA0\x80",
      std::string("nul\0byte", 8),
      "\x01\x02\x03 control",
      "\xCC\x81",
      "\xE2\x98\x83 snowman",
      "\xF0\x9F\x98\x80 emoji*",
      "-*",
      "*-",
      "\"-\"",
      "-\"\"*",
      "x*y*",
      std::string(10 * 1024, 'a'),
      std::string(10 * 1024, '"'),
      std::string(10 * 1024, '('),
  };
  return inputs;
}

// --- matching ---------------------------------------------------------------

TEST_P(StoreSearch, FindsWordInTitleTeaserOrBody) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("in-title", "Frontex meeting", "<p>Nothing here</p>"));
  Item teaser = article("in-teaser", "Other", "<p>Nothing</p>");
  teaser.teaser = "About frontex";
  insert(*store, teaser);
  insert(*store, article("in-body", "Other", "<p>We met <em>Frontex</em> today</p>"));
  insert(*store, article("nowhere", "Other", "<p>Nothing</p>"));

  const SearchResults results = find(*store, "frontex");
  EXPECT_EQ(results.total, 3);
  EXPECT_EQ(results.hits.size(), 3u);
}

TEST_P(StoreSearch, IgnoresMarkupInBody) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("tagged", "Title", "<p class=\"strong\">Text</p>"));
  EXPECT_EQ(find(*store, "strong").total, 0);
  EXPECT_EQ(find(*store, "class").total, 0);
  EXPECT_EQ(find(*store, "text").total, 1);
}

TEST_P(StoreSearch, TitleMatchRanksAboveBodyMatch) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  // The body match is newer, so date order alone would put it first.
  insert(*store, article("title-match", "Visa policy", "<p>Some words</p>", 100));
  insert(*store, article("body-match", "Something else", "<p>On visa rules</p>", 200));
  EXPECT_EQ(slugs_of(find(*store, "visa")),
            (std::vector<std::string>{"title-match", "body-match"}));
}

TEST_P(StoreSearch, TeaserMatchRanksAboveBodyMatch) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item teaser = article("teaser-match", "One", "<p>Some words</p>", 100);
  teaser.teaser = "On visa rules";
  insert(*store, teaser);
  insert(*store, article("body-match", "Two", "<p>On visa rules</p>", 200));
  EXPECT_EQ(slugs_of(find(*store, "visa")),
            (std::vector<std::string>{"teaser-match", "body-match"}));
}

TEST_P(StoreSearch, EveryWordMustMatch) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("both", "Border management", "<p>x</p>"));
  insert(*store, article("one", "Border", "<p>x</p>"));
  EXPECT_EQ(slugs_of(find(*store, "border management")), (std::vector<std::string>{"both"}));
}

TEST_P(StoreSearch, PhraseNeedsWordsSideBySide) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("together", "T", "<p>Integrated border management works</p>"));
  insert(*store, article("apart", "A", "<p>Management of the border</p>"));
  EXPECT_EQ(find(*store, "border management").total, 2);
  EXPECT_EQ(slugs_of(find(*store, "\"border management\"")),
            (std::vector<std::string>{"together"}));
}

TEST_P(StoreSearch, PrefixMatchesLongerWords) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("long", "Migration dialogue", "<p>x</p>"));
  EXPECT_EQ(find(*store, "migra").total, 0);
  EXPECT_EQ(slugs_of(find(*store, "migra*")), (std::vector<std::string>{"long"}));
}

TEST_P(StoreSearch, ExcludedWordDropsItems) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("plain", "Migration", "<p>dialogue</p>"));
  insert(*store, article("with-visa", "Migration", "<p>and visa</p>"));
  EXPECT_EQ(slugs_of(find(*store, "migration -visa")), (std::vector<std::string>{"plain"}));
}

TEST_P(StoreSearch, ExcludedPhraseDropsOnlyItemsWithThePhrase) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("phrase", "Migration", "<p>visa policy</p>"));
  insert(*store, article("apart", "Migration", "<p>policy on a visa</p>"));
  EXPECT_EQ(slugs_of(find(*store, "migration -\"visa policy\"")),
            (std::vector<std::string>{"apart"}));
}

TEST_P(StoreSearch, OnlyExcludedTermsFindNothingWithoutError) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("a", "Migration", "<p>x</p>"));
  const SearchResults results = find(*store, "-visa");
  EXPECT_EQ(results.total, 0);
  EXPECT_TRUE(results.hits.empty());
}

TEST_P(StoreSearch, MatchesWithoutDiacriticsAndAcrossWordForms) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("cafe", "Café policies", "<p>x</p>"));
  EXPECT_EQ(find(*store, "cafe").total, 1);
  EXPECT_EQ(find(*store, "policy").total, 1);
}

TEST_P(StoreSearch, FindsRussianAndArabicWords) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("ru", "Миграционная политика", "<p>Текст</p>"));
  insert(*store, article("ar", "الهجرة", "<p>نص</p>"));
  EXPECT_EQ(slugs_of(find(*store, "ПОЛИТИКА")), (std::vector<std::string>{"ru"}));
  EXPECT_EQ(slugs_of(find(*store, "الهجرة")), (std::vector<std::string>{"ar"}));
}

// --- filters and paging -----------------------------------------------------

TEST_P(StoreSearch, FiltersByCategory) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item tagged = article("tagged", "Visa", "<p>x</p>");
  tagged.categories = {Category{.id = 0, .slug = "other", .name = "Other"},
                       Category{.id = 0, .slug = "news", .name = "News"}};
  insert(*store, tagged);
  insert(*store, article("untagged", "Visa", "<p>x</p>"));
  ItemQuery filter;
  filter.category_slug = "news";
  const SearchResults results = find(*store, "visa", filter);
  EXPECT_EQ(results.total, 1);
  ASSERT_EQ(slugs_of(results), (std::vector<std::string>{"tagged"}));
  // The item comes with all its categories, not only the one filtered on.
  EXPECT_EQ(results.hits[0].item.categories.size(), 2u);
}

TEST_P(StoreSearch, PublishedBeforeLeavesOutFutureItems) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("past", "Visa", "<p>x</p>", 100));
  insert(*store, article("future", "Visa", "<p>x</p>", 900));
  ItemQuery filter;
  filter.published_before = 500;
  const SearchResults results = find(*store, "visa", filter);
  EXPECT_EQ(results.total, 1);
  EXPECT_EQ(slugs_of(results), (std::vector<std::string>{"past"}));
}

TEST_P(StoreSearch, FiltersByStatus) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("public", "Visa", "<p>x</p>"));
  Item draft = article("draft", "Visa", "<p>x</p>");
  draft.status = Status::kDraft;
  draft.published_at.reset();
  insert(*store, draft);
  ItemQuery filter;
  filter.status = Status::kPublished;
  EXPECT_EQ(slugs_of(find(*store, "visa", filter)), (std::vector<std::string>{"public"}));
  EXPECT_EQ(find(*store, "visa").total, 2);
}

TEST_P(StoreSearch, FiltersByPublishedRange) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("early", "Visa", "<p>x</p>", 100));
  insert(*store, article("inside", "Visa", "<p>x</p>", 200));
  insert(*store, article("late", "Visa", "<p>x</p>", 300));
  ItemQuery filter;
  filter.published_from = 200;
  filter.published_until = 300;
  EXPECT_EQ(slugs_of(find(*store, "visa", filter)), (std::vector<std::string>{"inside"}));
}

TEST_P(StoreSearch, PagesHitsAndCountsAllMatches) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  // Equal rank: ties go newest first, as in listings.
  for (int i = 1; i <= 5; ++i) {
    insert(*store, article("n" + std::to_string(i), "Visa", "<p>x</p>", i * 100));
  }
  insert(*store, article("other", "Other", "<p>x</p>"));
  ItemQuery filter;
  filter.limit = 2;
  filter.offset = 2;
  const SearchResults page = find(*store, "visa", filter);
  EXPECT_EQ(page.total, 5);
  EXPECT_EQ(slugs_of(page), (std::vector<std::string>{"n3", "n2"}));
  filter.offset = 10;
  const SearchResults beyond = find(*store, "visa", filter);
  EXPECT_EQ(beyond.total, 5);
  EXPECT_TRUE(beyond.hits.empty());
}

TEST_P(StoreSearch, HitsCarryTheWholeItem) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item item = article("full", "Visa", "<p>x</p>");
  item.categories = {Category{.id = 0, .slug = "news", .name = "News"}};
  item.attachments = {model::Attachment{.id = 0,
                                        .url = "https://example.org/a.pdf",
                                        .name = "a.pdf",
                                        .media_type = "application/pdf",
                                        .length = 10}};
  item.lead_image = model::LeadImage{"https://example.org/a.jpg", "A picture"};
  item.related_links = {model::RelatedLink{"More", "https://example.org/more"}};
  item.authors = {"Jane Doe"};
  const std::int64_t id = insert(*store, item);
  const SearchResults results = find(*store, "visa");
  ASSERT_EQ(results.hits.size(), 1u);
  EXPECT_EQ(results.hits[0].item, *store->item_by_id(id));
}

// --- snippets ---------------------------------------------------------------

TEST_P(StoreSearch, SnippetIsEscapedAndMarksTheMatch) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("code", "Code",
                         "<p>Never write &lt;script&gt; &amp; visa forms</p>"
                         "<script>alert(1)</script>"));
  const SearchResults results = find(*store, "visa");
  ASSERT_EQ(results.hits.size(), 1u);
  EXPECT_EQ(results.hits[0].snippet_html,
            "Never write &lt;script&gt; &amp; <mark>visa</mark> forms");
}

TEST_P(StoreSearch, SnippetMarksEveryMatchedWord) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("two", "T", "<p>Visa and border rules</p>"));
  const SearchResults results = find(*store, "border visa");
  ASSERT_EQ(results.hits.size(), 1u);
  EXPECT_EQ(results.hits[0].snippet_html, "<mark>Visa</mark> and <mark>border</mark> rules");
}

TEST_P(StoreSearch, LongBodyGivesShortSnippetWithEllipsis) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  std::string body = "<p>";
  for (int i = 0; i < 100; ++i) body += "filler" + std::to_string(i) + " ";
  body += "visa";
  for (int i = 0; i < 100; ++i) body += " more" + std::to_string(i);
  body += "</p>";
  insert(*store, article("long", "T", body));
  const SearchResults results = find(*store, "visa");
  ASSERT_EQ(results.hits.size(), 1u);
  const std::string& snippet = results.hits[0].snippet_html;
  EXPECT_NE(snippet.find("<mark>visa</mark>"), std::string::npos) << snippet;
  EXPECT_TRUE(snippet.starts_with("\u2026")) << snippet;
  EXPECT_TRUE(snippet.ends_with("\u2026")) << snippet;
  EXPECT_LT(snippet.size(), 400u);
}

TEST_P(StoreSearch, SnippetUsesTeaserWhenBodyIsEmpty) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Item item = article("teaser-only", "T", "");
  item.teaser = "Visa <rules> & more";
  insert(*store, item);
  const SearchResults results = find(*store, "visa");
  ASSERT_EQ(results.hits.size(), 1u);
  EXPECT_EQ(results.hits[0].snippet_html, "<mark>Visa</mark> &lt;rules&gt; &amp; more");
}

TEST_P(StoreSearch, SnippetShowsBodyStartWhenOnlyTitleMatches) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("title-only", "Visa", "<p>The body text</p>"));
  const SearchResults results = find(*store, "visa");
  ASSERT_EQ(results.hits.size(), 1u);
  EXPECT_EQ(results.hits[0].snippet_html, "The body text");
}

// --- keeping the index in step ----------------------------------------------

TEST_P(StoreSearch, UpdateReindexes) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  const std::int64_t id = insert(*store, article("edited", "Visa", "<p>old words</p>"));
  Item item = *store->item_by_id(id);
  item.title = "Passport";
  item.body_html = "<p>new words</p>";
  ASSERT_TRUE(store->update_item(item));
  EXPECT_EQ(find(*store, "visa").total, 0);
  EXPECT_EQ(find(*store, "old").total, 0);
  EXPECT_EQ(slugs_of(find(*store, "passport")), (std::vector<std::string>{"edited"}));
  EXPECT_EQ(find(*store, "new").total, 1);
}

TEST_P(StoreSearch, FailedUpdateKeepsOldIndex) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("taken", "Other", "<p>x</p>"));
  const std::int64_t id = insert(*store, article("edited", "Visa", "<p>x</p>"));
  Item item = *store->item_by_id(id);
  item.title = "Passport";
  item.slug = "taken";
  ASSERT_FALSE(store->update_item(item));
  EXPECT_EQ(find(*store, "visa").total, 1);
  EXPECT_EQ(find(*store, "passport").total, 0);
}

TEST_P(StoreSearch, DeleteRemovesFromSearch) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  const std::int64_t id = insert(*store, article("doomed", "Visa", "<p>x</p>"));
  insert(*store, article("kept", "Visa", "<p>x</p>"));
  ASSERT_TRUE(store->delete_item(id));
  EXPECT_EQ(slugs_of(find(*store, "visa")), (std::vector<std::string>{"kept"}));
  EXPECT_TRUE(*store->slug_gone("doomed"));
}

TEST_P(StoreSearch, RolledBackInsertLeavesNoIndexRow) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  Result<void> r = store->transaction([](Store& tx) -> Result<void> {
    if (auto id = tx.insert_item(article("ghost", "Visa", "<p>x</p>")); !id) return id.error();
    return make_error(ErrorCode::kConflict, "changed my mind");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(find(*store, "visa").total, 0);
}

// --- hostile input ----------------------------------------------------------

TEST_P(StoreSearch, HostileInputNeverFails) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("a", "A title: with (punctuation) and \"quotes\"",
                         "<p>near NOT and OR x^y a'b</p>"));
  for (const std::string& typed : hostile_inputs()) {
    SCOPED_TRACE(::testing::PrintToString(typed.substr(0, 40)));
    Result<SearchResults> results = store->search(text::parse_search_query(typed), ItemQuery{});
    EXPECT_TRUE(results) << results.error().message;
  }
}

TEST_P(StoreSearch, OperatorWordsAreSearchedAsWords) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("ops", "Near and far", "<p>x</p>"));
  insert(*store, article("plain", "Far", "<p>x</p>"));
  EXPECT_EQ(slugs_of(find(*store, "NEAR far")), (std::vector<std::string>{"ops"}));
  EXPECT_EQ(find(*store, "NOT far").total, 0);  // "not" is a word no item has
}

TEST_P(StoreSearch, QueryBuiltWithoutTheParserIsQuotedToo) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  insert(*store, article("a", "Visa", "<p>x</p>"));
  // Words the parser would never produce: the store quotes them anyway.
  for (const std::string& w :
       {std::string("a\"b"), std::string("\""), std::string("NEAR("), std::string("title:x"),
        std::string("*"), std::string("^"), std::string(") OR (visa")}) {
    SCOPED_TRACE(w);
    SearchQuery query{{SearchTerm{{"visa"}, false, false}, SearchTerm{{w}, false, true},
                       SearchTerm{{w, "visa"}, true, false}}};
    Result<SearchResults> results = store->search(query, ItemQuery{});
    EXPECT_TRUE(results) << results.error().message;
  }
}

TEST_P(StoreSearch, MatchStringQuotesEveryWord) {
  SearchQuery query{{SearchTerm{{"border", "manag"}, true, false},
                     SearchTerm{{"a\"b"}, false, false}, SearchTerm{{"visa"}, false, true}}};
  EXPECT_EQ(sqlite::fts5_match_of(query), "(\"border manag\"* AND \"a\"\"b\") NOT \"visa\"");
}

}  // namespace
}  // namespace newsdesk::store
