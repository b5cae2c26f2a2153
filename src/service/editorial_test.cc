#include "service/editorial.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace newsdesk::service {
namespace {

class Editorial : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_store("sqlite::memory:");
    ASSERT_TRUE(opened);
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->migrate());
    site_.time_zone = "Europe/Vienna";
    site_.base_url = "https://news.example.org/";
    editorial_ = std::make_unique<EditorialService>(site_, *store_, [this] { return now_; });
    editor_ = add("edna", model::Role::kEditor);
    author_ = add("arthur", model::Role::kAuthor);
    other_author_ = add("olga", model::Role::kAuthor);
  }

  model::User add(const std::string& name, model::Role role) {
    model::User u;
    u.name = name;
    u.role = role;
    u.id = *store_->insert_user(u);
    return u;
  }

  static NewsInput titled(const std::string& title) {
    NewsInput in;
    in.title = title;
    in.body_markdown = "Hello **world**.";
    return in;
  }

  model::Site site_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<EditorialService> editorial_;
  model::User editor_, author_, other_author_;
  std::int64_t now_ = 1'700'000'000;
};

TEST_F(Editorial, CreateDerivesSlugTeaserAndRendersMarkdown) {
  auto item = editorial_->create(editor_, titled("ICMPD's new Office opens!"));
  ASSERT_TRUE(item) << item.error().message;
  EXPECT_EQ(item->slug, "icmpds-new-office-opens");
  EXPECT_EQ(item->body_html, "<p>Hello <strong>world</strong>.</p>\n");
  EXPECT_EQ(item->teaser, "Hello world.");
  EXPECT_EQ(item->status, model::Status::kDraft);
  EXPECT_EQ(item->author_id, editor_.id);
  EXPECT_TRUE(item->guid.starts_with("urn:uuid:"));
  EXPECT_EQ(public_status(*item, now_), "draft");
}

TEST_F(Editorial, SlugsStayUniqueAndAGivenTakenSlugIsAConflict) {
  ASSERT_TRUE(editorial_->create(editor_, titled("Same title")));
  auto second = editorial_->create(editor_, titled("Same title"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->slug, "same-title-2");
  NewsInput in = titled("Other");
  in.slug = "same-title";
  EXPECT_EQ(editorial_->create(editor_, in).error().code, ErrorCode::kConflict);
  in.slug = "Bad Slug!";
  EXPECT_EQ(editorial_->create(editor_, in).error().code, ErrorCode::kInvalid);
}

TEST_F(Editorial, BodyIsSanitizedEitherWay) {
  NewsInput in;
  in.title = "x";
  in.body_html = "<p onclick=\"x()\">ok</p><script>alert(1)</script>";
  auto item = editorial_->create(editor_, in);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->body_html, "<p>ok</p>");
  in.body_markdown = "also";
  EXPECT_EQ(editorial_->create(editor_, in).error().code, ErrorCode::kInvalid);
}

TEST_F(Editorial, TitleIsRequired) {
  NewsInput in;
  in.title = "   ";
  EXPECT_EQ(editorial_->create(editor_, in).error().code, ErrorCode::kInvalid);
}

TEST_F(Editorial, EditorPublishesNowOrSchedules) {
  NewsInput in = titled("Now");
  in.status = "published";
  auto now_item = editorial_->create(editor_, in);
  ASSERT_TRUE(now_item);
  EXPECT_EQ(now_item->published_at->epoch_seconds, now_);
  EXPECT_EQ(now_item->published_at->offset_minutes, 60);  // Vienna in November
  EXPECT_EQ(public_status(*now_item, now_), "published");

  NewsInput later = titled("Later");
  later.status = "scheduled";
  later.publish_at = now_ + 3600;
  auto scheduled = editorial_->create(editor_, later);
  ASSERT_TRUE(scheduled);
  EXPECT_EQ(public_status(*scheduled, now_), "scheduled");
  later.publish_at = now_ - 1;
  EXPECT_EQ(editorial_->create(editor_, later).error().code, ErrorCode::kInvalid);
  later.publish_at.reset();
  EXPECT_EQ(editorial_->create(editor_, later).error().code, ErrorCode::kInvalid);
}

TEST_F(Editorial, AuthorsWriteDraftsButCannotPublish) {
  NewsInput in = titled("Mine");
  in.status = "published";
  EXPECT_EQ(editorial_->create(author_, in).error().code, ErrorCode::kForbidden);
  in.status = "draft";
  in.review_requested = true;
  auto draft = editorial_->create(author_, in);
  ASSERT_TRUE(draft);
  EXPECT_TRUE(draft->review_requested);
  NewsInput change;
  change.title = "Mine, better";
  EXPECT_TRUE(editorial_->update(author_, draft->id, change, true));
  // Others' items do not exist for an author.
  EXPECT_EQ(editorial_->update(other_author_, draft->id, change, true).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(editorial_->get(other_author_, draft->id).error().code, ErrorCode::kNotFound);
  // Once an editor publishes it, the author cannot change it any more.
  NewsInput publish;
  publish.status = "published";
  auto published = editorial_->update(editor_, draft->id, publish, true);
  ASSERT_TRUE(published);
  EXPECT_FALSE(published->review_requested);
  EXPECT_EQ(editorial_->update(author_, draft->id, change, true).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(editorial_->remove(author_, draft->id).error().code, ErrorCode::kForbidden);
}

TEST_F(Editorial, EmbargoNeedsAFutureTimeAndGetsAPreviewSecret) {
  NewsInput in = titled("Embargoed");
  in.status = "scheduled";
  in.publish_at = now_ + 600;
  in.embargo = true;
  auto item = editorial_->create(editor_, in);
  ASSERT_TRUE(item) << item.error().message;
  EXPECT_TRUE(item->embargoed);
  EXPECT_GE(item->preview_token.size(), 40u);
  NewsInput bad = titled("Too late");
  bad.status = "published";
  bad.embargo = true;
  EXPECT_EQ(editorial_->create(editor_, bad).error().code, ErrorCode::kInvalid);
}

TEST_F(Editorial, SlugChangeKeepsTheOldAddressAsARedirect) {
  auto item = editorial_->create(editor_, titled("First name"));
  ASSERT_TRUE(item);
  NewsInput change;
  change.slug = "second-name";
  ASSERT_TRUE(editorial_->update(editor_, item->id, change, true));
  auto target = store_->redirect_target("/news/first-name/");
  ASSERT_TRUE(target);
  EXPECT_EQ(*target, item->id);
}

TEST_F(Editorial, EverySaveIsARevision) {
  auto item = editorial_->create(editor_, titled("v1"));
  ASSERT_TRUE(item);
  NewsInput change;
  change.title = "v2";
  ASSERT_TRUE(editorial_->update(editor_, item->id, change, true));
  auto revisions = editorial_->revisions(editor_, item->id);
  ASSERT_TRUE(revisions);
  ASSERT_EQ(revisions->size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(revisions->at(0).snapshot)["title"], "v2");
  EXPECT_EQ(nlohmann::json::parse(revisions->at(1).snapshot)["title"], "v1");
  EXPECT_EQ(revisions->at(0).user_id, editor_.id);
}

TEST_F(Editorial, PutResetsWhatIsNotSentPatchKeepsIt) {
  NewsInput in = titled("Full");
  in.teaser = "A written summary.";
  in.categories = std::vector<std::string>{"Press Release"};
  auto item = editorial_->create(editor_, in);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->categories.at(0).slug, "press-release");
  NewsInput patch;
  patch.title = "Full, patched";
  auto patched = editorial_->update(editor_, item->id, patch, true);
  ASSERT_TRUE(patched);
  EXPECT_EQ(patched->teaser, "A written summary.");
  EXPECT_EQ(patched->categories.size(), 1u);
  NewsInput put;
  put.title = "Full, put";
  auto replaced = editorial_->update(editor_, item->id, put, false);
  ASSERT_TRUE(replaced);
  EXPECT_TRUE(replaced->categories.empty());
  EXPECT_EQ(replaced->guid, item->guid);
}

TEST_F(Editorial, LeadImageNeedsAltText) {
  NewsInput in = titled("Pictured");
  in.lead_image = model::LeadImage{"https://example.org/a.jpg", ""};
  EXPECT_EQ(editorial_->create(editor_, in).error().code, ErrorCode::kInvalid);
  in.lead_image = model::LeadImage{"javascript:alert(1)", "x"};
  EXPECT_EQ(editorial_->create(editor_, in).error().code, ErrorCode::kInvalid);
  in.lead_image = model::LeadImage{"/media/a.jpg", "A harbour at dawn"};
  auto item = editorial_->create(editor_, in);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->lead_image->url, "https://news.example.org/media/a.jpg");
}

TEST_F(Editorial, ListShowsAuthorsOnlyTheirOwn) {
  ASSERT_TRUE(editorial_->create(author_, titled("A1")));
  ASSERT_TRUE(editorial_->create(other_author_, titled("O1")));
  ASSERT_TRUE(editorial_->create(editor_, titled("E1")));
  auto mine = editorial_->list(author_, NewsListQuery{});
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->total, 1);
  auto all = editorial_->list(editor_, NewsListQuery{});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->total, 3);
  NewsListQuery bad;
  bad.status = "gone";
  EXPECT_FALSE(editorial_->list(editor_, bad));
}

TEST_F(Editorial, DeleteMakesTheSlugGone) {
  auto item = editorial_->create(editor_, titled("Withdrawn"));
  ASSERT_TRUE(item);
  ASSERT_TRUE(editorial_->remove(editor_, item->id));
  EXPECT_TRUE(*store_->slug_gone("withdrawn"));
  EXPECT_EQ(editorial_->remove(editor_, item->id).error().code, ErrorCode::kNotFound);
}

// Translations: a site in English that also serves French and Arabic.
class EditorialTranslations : public Editorial {
 protected:
  void SetUp() override {
    Editorial::SetUp();
    site_.language = "en";
    site_.languages = {"fr", "ar"};
  }

  model::Item original(const std::string& title = "Annual report") {
    NewsInput in = titled(title);
    in.teaser = "What we did in 2018.";
    in.categories = std::vector<std::string>{"Press Release"};
    in.related_links = std::vector<model::RelatedLink>{{"Figures", "https://example.org/f"}};
    in.contact = model::MediaContact{"Ana", "ana@example.org", ""};
    in.status = "published";
    auto item = editorial_->create(editor_, in);
    EXPECT_TRUE(item) << item.error().message;
    return *item;
  }
};

TEST_F(EditorialTranslations, CreateCopiesTheSourceIntoADraftOfTheGroup) {
  const model::Item source = original();
  ASSERT_TRUE(editorial_->add_attachment(editor_, source.id, "report.pdf", "application/pdf",
                                         "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"));
  now_ += 60;
  auto fr = editorial_->create_translation(author_, source.id, "FR");
  // Authors do not see an editor's item, so they cannot translate it.
  EXPECT_EQ(fr.error().code, ErrorCode::kNotFound);
  fr = editorial_->create_translation(editor_, source.id, "FR");
  ASSERT_TRUE(fr) << fr.error().message;
  EXPECT_EQ(fr->language, "fr");
  EXPECT_EQ(fr->translation_of, source.id);
  EXPECT_EQ(fr->slug, "annual-report-fr");
  EXPECT_EQ(fr->status, model::Status::kDraft);
  EXPECT_FALSE(fr->published_at);
  EXPECT_NE(fr->guid, source.guid);
  EXPECT_EQ(fr->author_id, editor_.id);
  EXPECT_EQ(fr->title, "Annual report");
  EXPECT_EQ(fr->teaser, "What we did in 2018.");
  EXPECT_EQ(fr->body_markdown, source.body_markdown);
  EXPECT_EQ(fr->body_html, source.body_html);
  ASSERT_EQ(fr->categories.size(), 1u);
  EXPECT_EQ(fr->categories[0].slug, "press-release");
  EXPECT_EQ(fr->related_links, source.related_links);
  EXPECT_EQ(fr->contact, source.contact);
  // The file is the translation's own copy, with its own address.
  ASSERT_EQ(fr->attachments.size(), 1u);
  const model::Item stored_source = *store_->item_by_id(source.id);
  EXPECT_NE(fr->attachments[0].id, stored_source.attachments[0].id);
  EXPECT_NE(fr->attachments[0].url, stored_source.attachments[0].url);
  auto bytes = store_->attachment_file(fr->attachments[0].id);
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_TRUE(bytes->bytes.starts_with("%PDF-1.4"));
  auto revisions = editorial_->revisions(editor_, fr->id);
  ASSERT_TRUE(revisions);
  EXPECT_EQ(revisions->size(), 1u);
  // A translation of the translation joins the same group.
  auto ar = editorial_->create_translation(editor_, fr->id, "ar");
  ASSERT_TRUE(ar) << ar.error().message;
  EXPECT_EQ(ar->translation_of, source.id);
  EXPECT_EQ(ar->slug, "annual-report-ar");
}

TEST_F(EditorialTranslations, ALanguageTakenOrNotServedIsRefused) {
  const model::Item source = original();
  ASSERT_TRUE(editorial_->create_translation(editor_, source.id, "fr"));
  auto again = editorial_->create_translation(editor_, source.id, "fr");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_NE(again.error().message.find("Français"), std::string::npos) << again.error().message;
  EXPECT_EQ(editorial_->create_translation(editor_, source.id, "en").error().code,
            ErrorCode::kConflict);
  auto unserved = editorial_->create_translation(editor_, source.id, "de");
  ASSERT_FALSE(unserved);
  EXPECT_EQ(unserved.error().code, ErrorCode::kInvalid);
  EXPECT_NE(unserved.error().message.find("en, fr, ar"), std::string::npos);
  EXPECT_EQ(editorial_->create_translation(editor_, source.id, "not a tag").error().code,
            ErrorCode::kInvalid);
  EXPECT_EQ(editorial_->create_translation(editor_, 9999, "fr").error().code, ErrorCode::kNotFound);
}

TEST_F(EditorialTranslations, OutdatedWhenTheOriginalChangesNotWhenTheTranslationDoes) {
  const model::Item source = original();
  now_ += 10;
  auto fr = editorial_->create_translation(editor_, source.id, "fr");
  ASSERT_TRUE(fr);
  auto group = editorial_->translations(editor_, fr->id);
  ASSERT_TRUE(group) << group.error().message;
  ASSERT_EQ(group->slots.size(), 3u);
  EXPECT_EQ(group->members, 2u);
  EXPECT_EQ(group->slots[0].language, "en");
  EXPECT_TRUE(group->slots[0].original);
  EXPECT_EQ(group->slots[0].item->id, source.id);
  EXPECT_EQ(group->slots[1].language, "fr");
  EXPECT_EQ(group->slots[1].item->id, fr->id);
  EXPECT_FALSE(group->slots[1].outdated);
  EXPECT_EQ(group->slots[2].language, "ar");
  EXPECT_FALSE(group->slots[2].item);  // missing

  now_ += 10;
  NewsInput translated;
  translated.title = "Rapport annuel";
  ASSERT_TRUE(editorial_->update(editor_, fr->id, translated, true));
  EXPECT_FALSE(editorial_->translations(editor_, source.id)->slots[1].outdated);

  now_ += 10;
  NewsInput fix;
  fix.body_markdown = "Hello **world**, corrected.";
  ASSERT_TRUE(editorial_->update(editor_, source.id, fix, true));
  group = editorial_->translations(editor_, source.id);
  ASSERT_TRUE(group);
  EXPECT_TRUE(group->slots[1].outdated);
  EXPECT_FALSE(group->slots[0].outdated);

  now_ += 10;
  ASSERT_TRUE(editorial_->update(editor_, fr->id, translated, true));
  EXPECT_FALSE(editorial_->translations(editor_, source.id)->slots[1].outdated);
}

TEST_F(EditorialTranslations, DeletingTheOriginalLeavesTheOldestTranslationInCharge) {
  const model::Item source = original();
  auto fr = editorial_->create_translation(editor_, source.id, "fr");
  auto ar = editorial_->create_translation(editor_, source.id, "ar");
  ASSERT_TRUE(fr && ar);
  ASSERT_TRUE(editorial_->remove(editor_, source.id));
  auto group = editorial_->translations(editor_, ar->id);
  ASSERT_TRUE(group) << group.error().message;
  EXPECT_EQ(group->members, 2u);
  ASSERT_TRUE(group->original);
  EXPECT_EQ(group->original->id, fr->id);
  EXPECT_FALSE(group->slots[0].item);  // English is missing now
  EXPECT_TRUE(group->slots[1].original);
  EXPECT_EQ(group->slots[2].item->id, ar->id);
  EXPECT_EQ(store_->item_by_id(ar->id)->translation_of, fr->id);
  // The English version can be made again, from the new original.
  auto en = editorial_->create_translation(editor_, ar->id, "en");
  ASSERT_TRUE(en) << en.error().message;
  EXPECT_EQ(en->translation_of, fr->id);
}

TEST_F(EditorialTranslations, SavingNormalisesTheLanguageAndKeepsTheGroup) {
  const model::Item source = original();
  auto fr = editorial_->create_translation(editor_, source.id, "fr");
  ASSERT_TRUE(fr);
  NewsInput in;
  in.language = "fr_ca";
  auto saved = editorial_->update(editor_, fr->id, in, true);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->language, "fr-CA");
  EXPECT_EQ(saved->translation_of, source.id);  // unchanged when not sent
  NewsInput put;
  put.title = "Rapport";
  saved = editorial_->update(editor_, fr->id, put, false);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->translation_of, source.id);
  EXPECT_EQ(saved->language, "fr-CA");

  in.language = "français!";
  auto bad = editorial_->update(editor_, fr->id, in, true);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalid);
  EXPECT_NE(bad.error().message.find("no language tag"), std::string::npos);
  // The original's language is taken in the group; so is an empty one
  // (the default language).
  in.language = "en";
  EXPECT_EQ(editorial_->update(editor_, fr->id, in, true).error().code, ErrorCode::kConflict);
  in.language = "";
  EXPECT_EQ(editorial_->update(editor_, fr->id, in, true).error().code, ErrorCode::kConflict);
}

TEST_F(EditorialTranslations, TranslationOfNamesTheGroupsOriginal) {
  const model::Item source = original();
  auto fr = editorial_->create_translation(editor_, source.id, "fr");
  ASSERT_TRUE(fr);
  NewsInput in = titled("Rapport annuel, version arabe");
  in.language = "ar";
  in.translation_of = fr->id;  // a member, not the original
  auto ar = editorial_->create(editor_, in);
  ASSERT_TRUE(ar) << ar.error().message;
  EXPECT_EQ(ar->translation_of, source.id);
  in.translation_of = 424242;
  auto missing = editorial_->create(editor_, in);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalid);
  // An author does not see an editor's item, so cannot join its group.
  in.translation_of = source.id;
  in.language = "de";
  EXPECT_EQ(editorial_->create(author_, in).error().code, ErrorCode::kInvalid);
  in.translation_of = source.id;
  in.language = "fr";
  EXPECT_EQ(editorial_->create(editor_, in).error().code, ErrorCode::kConflict);
  // The original of a group cannot join another one; a member can leave.
  const model::Item other = original("Other report");
  NewsInput join;
  join.translation_of = other.id;
  EXPECT_EQ(editorial_->update(editor_, source.id, join, true).error().code, ErrorCode::kConflict);
  NewsInput leave;
  leave.translation_of = 0;
  auto left = editorial_->update(editor_, ar->id, leave, true);
  ASSERT_TRUE(left);
  EXPECT_EQ(left->translation_of, 0);
  EXPECT_EQ(editorial_->translations(editor_, source.id)->members, 2u);
}

TEST_F(EditorialTranslations, ListFiltersByLanguageWithTheDefaultTakingUntaggedItems) {
  const model::Item source = original();  // no language: the default, English
  ASSERT_TRUE(editorial_->create_translation(editor_, source.id, "fr"));
  NewsListQuery query;
  query.language = "fr";
  auto fr = editorial_->list(editor_, query);
  ASSERT_TRUE(fr);
  ASSERT_EQ(fr->total, 1);
  EXPECT_EQ(fr->items[0].language, "fr");
  query.language = "EN";
  auto en = editorial_->list(editor_, query);
  ASSERT_TRUE(en);
  ASSERT_EQ(en->total, 1);
  EXPECT_EQ(en->items[0].id, source.id);
  query.language = "??";
  EXPECT_EQ(editorial_->list(editor_, query).error().code, ErrorCode::kInvalid);
}

}  // namespace
}  // namespace newsdesk::service
