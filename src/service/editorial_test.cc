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

}  // namespace
}  // namespace newsdesk::service
