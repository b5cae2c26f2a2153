// Writing news: create, change, publish, schedule, embargo, take down and
// delete items, with the permission matrix (model/permissions.h) applied to
// whoever asks, and every save kept as a revision. The JSON API and the
// admin UI both go through here, so the rules live in one place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/item.h"
#include "model/site.h"
#include "model/user.h"
#include "service/news.h"
#include "service/site_settings.h"
#include "store/store.h"

namespace newsdesk::service {

// What a writer sends. Unset fields: for create, defaults; for a partial
// update (PATCH), unchanged; for a full update (PUT), defaults again.
struct NewsInput {
  std::optional<std::string> title;
  std::optional<std::string> slug;
  std::optional<std::string> teaser;
  std::optional<std::string> body_markdown;  // rendered with cmark-gfm, then sanitized
  std::optional<std::string> body_html;      // sanitized
  // A BCP 47 tag, stored in its canonical case ("fr-CA"); "" for the site's
  // default language.
  std::optional<std::string> language;
  // The item this one translates (any member of its group: the original's
  // id is stored); 0 to leave the group. Unset: unchanged, also for PUT.
  std::optional<std::int64_t> translation_of;
  std::optional<std::vector<std::string>> categories;  // names
  // "draft", "published" (now, or at publish_at) or "scheduled" (at publish_at).
  std::optional<std::string> status;
  std::optional<std::int64_t> publish_at;  // epoch seconds
  std::optional<bool> embargo;             // hidden until publish_at but for the preview link
  std::optional<std::optional<std::int64_t>> expires_at;  // set to nullopt to clear
  std::optional<bool> archive_on_expiry;  // at expires_at: to the archive, not taken down
  std::optional<std::optional<model::LeadImage>> lead_image;
  std::optional<std::vector<model::RelatedLink>> related_links;
  std::optional<model::MediaContact> contact;
  std::optional<bool> review_requested;
};

struct NewsListQuery {
  std::optional<std::string> status;  // "draft", "published", "scheduled"
  std::string category_slug;
  std::string language;
  std::string text;  // full-text search (any status); empty: none
  int page = 1;
  int per_page = 20;
};

struct NewsList {
  std::vector<model::Item> items;
  std::int64_t total = 0;
};

// One served language of a translation group, for the editor's side by
// side view: the member in that language, or none (missing).
struct TranslationSlot {
  std::string language;             // a served tag; for a member in a language
                                    // the site does not serve, the member's own
  std::optional<model::Item> item;  // nullopt: missing
  bool original = false;            // the item is the group's original
  // A translation whose original changed after it (the original's
  // updated_at is later than the translation's).
  bool outdated = false;
  bool may_open = false;  // the asking user may see the item (authors: their own)
};

struct TranslationGroup {
  std::optional<model::Item> original;  // nullopt when it is gone
  // One slot per served language in served order (the default first), then
  // members in languages the site does not serve, or in a served language
  // taken twice.
  std::vector<TranslationSlot> slots;
  std::size_t members = 0;  // items in the group, the original included
};

// The settings key of the organisation boilerplate.
inline constexpr std::string_view kBoilerplateSetting = "boilerplate";

// Whether an item is a press release: it is in a category whose slug is
// "press-release" or "press-releases" (the boilerplate goes under those).
bool is_press_release(const model::Item& item);

// "draft", "scheduled" (published with a time still ahead) or "published".
std::string public_status(const model::Item& item, std::int64_t now);

// Thread-safe when the store is.
class EditorialService {
 public:
  // All must outlive the service. max_upload_bytes: the largest attachment
  // add_attachment takes ([server] max_upload_bytes).
  EditorialService(const model::Site& site, store::Store& store, Clock clock,
                   std::size_t max_upload_bytes = kMaxUploadBytes)
      : site_(site), store_(store), clock_(std::move(clock)), max_upload_bytes_(max_upload_bytes) {}

  // Errors: kForbidden when the role may not (an author publishing);
  // kInvalid for a missing title, both body kinds, a bad slug, a schedule
  // without a time; kConflict for a slug that is taken.
  Result<model::Item> create(const model::User& actor, const NewsInput& input);
  // `partial`: PATCH semantics. A changed slug keeps the old address as a
  // redirect. Errors as create, plus kNotFound.
  Result<model::Item> update(const model::User& actor, std::int64_t id, const NewsInput& input,
                             bool partial);
  // The item's address answers 410 afterwards. Errors: kForbidden, kNotFound.
  Result<void> remove(const model::User& actor, std::int64_t id);
  // A new draft translating item `source_id` into `language`: a copy of the
  // source's title, teaser, body, categories, lead image, related links,
  // contact and attachments (their bytes too) for the translator to
  // rewrite, with a new guid, the slug of the title plus the language
  // ("annual-report-fr"), the actor as author, in the source's group.
  // Errors: kForbidden (create_draft); kNotFound for a source the actor may
  // not see; kInvalid for a language that is no tag or one the site does
  // not serve; kConflict when the group has that language already.
  Result<model::Item> create_translation(const model::User& actor, std::int64_t source_id,
                                         std::string_view language);
  // The translation group of item `id` (a group of one when it has no
  // translations), side by side. Errors as get.
  Result<TranslationGroup> translations(const model::User& actor, std::int64_t id);

  // Authors see their own items only. Errors: kNotFound (also for items the
  // actor may not see: their existence is not revealed).
  Result<model::Item> get(const model::User& actor, std::int64_t id);
  Result<NewsList> list(const model::User& actor, const NewsListQuery& query);
  // Attaches an uploaded file (a PDF, office document or image) to an item
  // the actor may edit. Its type is decided from its content, never from
  // its name; its bytes go into the store and are served at
  // /files/{id}/{name} once the item is public.
  // Errors: kInvalid for an empty, oversized (max_upload_bytes) or refused
  // file (HTML, SVG, scripts, unknown formats: the reason is in the
  // message); kForbidden, kNotFound as for update.
  static constexpr std::size_t kMaxUploadBytes = 20u << 20;  // the default
  std::size_t max_upload_bytes() const { return max_upload_bytes_; }
  Result<model::Attachment> add_attachment(const model::User& actor, std::int64_t item_id,
                                           std::string_view file_name,
                                           std::string_view declared_type, std::string_view bytes);

  // Makes an earlier revision's content current again (a new save, itself
  // a revision); publication state and time stay as they are.
  // Errors: kForbidden (needs restore_revision), kNotFound.
  Result<model::Item> restore(const model::User& actor, std::int64_t item_id,
                              std::int64_t revision_id);

  // Categories: every one (by name), rename (the address stays), delete
  // (items stay, without it). Errors: kForbidden (manage_categories).
  Result<std::vector<model::Category>> categories();
  Result<void> rename_category(const model::User& actor, std::int64_t id, std::string_view name);
  Result<void> delete_category(const model::User& actor, std::int64_t id);

  // The organisation's "About us" paragraph shown under every press
  // release ("" when unset), and changing it (admins only: kForbidden).
  Result<std::string> boilerplate();
  Result<void> set_boilerplate(const model::User& actor, std::string_view text);

  // The site's title, description, language, time zone and feed size as
  // they stand (saved settings over the configuration file), and saving
  // them (admins only: kForbidden; kInvalid names the wrong field). A
  // running server picks saved settings up with the next change it sees.
  Result<SiteSettings> site_settings();
  Result<void> save_site_settings(const model::User& actor, const SiteSettings& settings);

  // The HTML a body becomes on save: Markdown through cmark-gfm, then the
  // sanitizer; HTML through the sanitizer. For the editor's live preview;
  // saves nothing.
  std::string render_markdown(std::string_view markdown) const;
  std::string render_html(std::string_view html) const;

  // Every save, newest first. Errors: kForbidden, kNotFound.
  Result<std::vector<store::Revision>> revisions(const model::User& actor, std::int64_t id);

 private:
  Result<model::Item> apply(const model::User& actor, model::Item item, const NewsInput& input,
                            bool is_new);
  bool can_see(const model::User& actor, const model::Item& item) const;
  // `base`, or base-2, base-3, ... : the first slug no other item has.
  std::string unique_slug(const std::string& base) const;
  // What a language counts as in a group: the served tag it equals or
  // extends, else itself ("" is the default language).
  std::string group_language(std::string_view language) const;
  // kConflict when another member of `item`'s group is in its language.
  Result<void> check_group_language(const model::Item& item);

  const model::Site& site_;
  store::Store& store_;
  Clock clock_;
  std::size_t max_upload_bytes_;
};

// The item as JSON for revisions (all fields but attachments' ids).
std::string item_snapshot(const model::Item& item);

}  // namespace newsdesk::service
