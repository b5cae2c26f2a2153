#include "service/editorial.h"

#include <nlohmann/json.hpp>

#include "core/ids.h"
#include "core/strings.h"
#include "model/languages.h"
#include "model/permalink.h"
#include "model/permissions.h"
#include "service/attachments.h"
#include "service/credentials.h"
#include "text/date.h"
#include "text/markdown.h"
#include "text/sanitize.h"
#include "text/search_query.h"
#include "text/slug.h"
#include "text/teaser.h"

namespace newsdesk::service {

namespace {

constexpr std::size_t kMaxTitle = 500;
constexpr std::size_t kMaxTeaser = 2000;
constexpr std::size_t kMaxBody = 2u << 20;

Error invalid(const std::string& message) {
  return make_error(ErrorCode::kInvalid, "editorial: " + message);
}

Error forbidden(const std::string& message) {
  return make_error(ErrorCode::kForbidden, "editorial: " + message);
}

std::string trimmed(std::string_view s) { return collapse_whitespace(s); }

bool is_public(const model::Item& item, std::int64_t now) {
  return item.status == model::Status::kPublished && item.published_at &&
         item.published_at->epoch_seconds <= now;
}

model::DateTime local_time(const model::Site& site, std::int64_t t) {
  auto zoned = text::in_time_zone(site.time_zone, t);
  return zoned ? *zoned : model::DateTime{t, 0};
}

}  // namespace

bool is_press_release(const model::Item& item) {
  for (const model::Category& c : item.categories) {
    if (c.slug == "press-release" || c.slug == "press-releases") return true;
  }
  return false;
}

std::string public_status(const model::Item& item, std::int64_t now) {
  if (item.status != model::Status::kPublished || !item.published_at) return "draft";
  return item.published_at->epoch_seconds > now ? "scheduled" : "published";
}

std::string item_snapshot(const model::Item& item) {
  nlohmann::json j;
  j["id"] = item.id;
  j["guid"] = item.guid;
  j["slug"] = item.slug;
  j["title"] = item.title;
  j["teaser"] = item.teaser;
  j["body_html"] = item.body_html;
  j["body_markdown"] = item.body_markdown;
  j["language"] = item.language;
  if (item.translation_of != 0) j["translation_of"] = item.translation_of;
  j["status"] = std::string(model::status_name(item.status));
  j["published_at"] = item.published_at ? nlohmann::json(item.published_at->epoch_seconds)
                                        : nlohmann::json(nullptr);
  j["updated_at"] = item.updated_at.epoch_seconds;
  nlohmann::json categories = nlohmann::json::array();
  for (const auto& c : item.categories) categories.push_back({{"slug", c.slug}, {"name", c.name}});
  j["categories"] = categories;
  j["embargoed"] = item.embargoed;
  j["expires_at"] = item.expires_at ? nlohmann::json(*item.expires_at) : nlohmann::json(nullptr);
  j["expiry_action"] = item.archive_on_expiry ? "archive" : "take_down";
  if (item.lead_image)
    j["lead_image"] = {{"url", item.lead_image->url}, {"alt", item.lead_image->alt}};
  nlohmann::json links = nlohmann::json::array();
  for (const auto& l : item.related_links) links.push_back({{"title", l.title}, {"url", l.url}});
  j["related_links"] = links;
  j["contact"] = {
      {"name", item.contact.name}, {"email", item.contact.email}, {"phone", item.contact.phone}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool EditorialService::can_see(const model::User& actor, const model::Item& item) const {
  return model::may(actor.role, model::Action::kEditAnyItem) || item.author_id == actor.id;
}

Result<model::Item> EditorialService::apply(const model::User& actor, model::Item item,
                                            const NewsInput& input, bool is_new) {
  const std::int64_t now = clock_();
  const bool editor = model::may(actor.role, model::Action::kEditAnyItem);
  if (!is_new && !editor) {
    // Authors change their own items only, and only while nobody reads them.
    if (item.author_id != actor.id) {
      return make_error(ErrorCode::kNotFound, "editorial: no item " + std::to_string(item.id));
    }
    if (is_public(item, now) || item.status == model::Status::kPublished) {
      return forbidden("an author cannot change a published or scheduled item");
    }
  }

  if (input.title) item.title = trimmed(*input.title);
  if (item.title.empty()) return invalid("a title is required");
  if (item.title.size() > kMaxTitle) return invalid("the title is longer than 500 bytes");

  if (input.body_markdown && input.body_html) {
    return invalid("send body_markdown or body_html, not both");
  }
  bool body_changed = false;
  if (input.body_markdown) {
    if (input.body_markdown->size() > kMaxBody) return invalid("the body is larger than 2 MiB");
    item.body_html = text::markdown_to_html(*input.body_markdown, site_.base_url, kMaxBody);
    item.body_markdown = *input.body_markdown;
    body_changed = true;
  } else if (input.body_html) {
    if (input.body_html->size() > kMaxBody) return invalid("the body is larger than 2 MiB");
    item.body_html = text::sanitize_html(*input.body_html, site_.base_url);
    item.body_markdown.clear();
    body_changed = true;
  }
  // A teaser written by hand stays; an empty one is made from the body.
  if (input.teaser) {
    item.teaser = trimmed(text::html_to_text(*input.teaser));
    if (item.teaser.size() > kMaxTeaser) return invalid("the teaser is longer than 2000 bytes");
    if (item.teaser.empty()) item.teaser = text::crop_teaser(text::html_to_text(item.body_html));
  } else if (is_new || (body_changed && item.teaser.empty())) {
    item.teaser = text::crop_teaser(text::html_to_text(item.body_html));
  }

  if (input.slug) {
    if (!text::is_valid_slug(*input.slug, text::slug_script(site_.unicode_slugs))) {
      return invalid("a slug has lowercase letters, digits and hyphens only: '" + *input.slug +
                     "'");
    }
    item.slug = *input.slug;
    auto other = store_.item_by_slug(item.slug);
    if (other && other->id != item.id) {
      return make_error(ErrorCode::kConflict,
                        "editorial: the slug '" + item.slug + "' belongs to another item");
    }
  } else if (is_new) {
    std::string base =
        text::slugify(item.title, text::kMaxSlugLength, text::slug_script(site_.unicode_slugs));
    if (base.empty()) base = "news";
    item.slug = unique_slug(base);
  }

  const std::string old_language = item.language;
  const std::int64_t old_translation_of = item.translation_of;
  if (input.language) {
    const std::string tag = trimmed(*input.language);
    item.language = model::canonical_language(tag);
    if (item.language.empty() && !tag.empty()) {
      return invalid("the language '" + tag +
                     "' is no language tag (BCP 47, such as \"en\", \"fr\" or \"pt-BR\")");
    }
  }
  // A new item is in the site's language unless it says otherwise: stored
  // explicitly, so that search reads it by that language's rules.
  if (is_new && item.language.empty()) item.language = model::default_language(site_);
  if (input.translation_of) {
    if (*input.translation_of == 0) {
      item.translation_of = 0;
    } else {
      auto target = store_.item_by_id(*input.translation_of);
      if (!target && target.error().code != ErrorCode::kNotFound) return target.error();
      // Authors translate their own items only; others' do not exist for them.
      if (!target || !can_see(actor, *target)) {
        return invalid("translation_of: there is no item " + std::to_string(*input.translation_of));
      }
      // The group is named by its original, whichever member was given.
      const std::int64_t original =
          target->translation_of != 0 ? target->translation_of : target->id;
      item.translation_of = original == item.id ? 0 : original;
    }
    if (item.translation_of != 0 && item.id != 0) {
      store::ItemQuery own;
      own.translation_group = item.id;
      own.limit = 2;
      auto members = store_.list_items(own);
      if (!members) return members.error();
      if (members->size() > 1) {
        return make_error(ErrorCode::kConflict,
                          "editorial: this item is the original of other translations; it "
                          "cannot join another group");
      }
    }
  }
  if (item.language != old_language || item.translation_of != old_translation_of) {
    if (auto r = check_group_language(item); !r) return r.error();
  }
  if (input.categories) {
    item.categories.clear();
    for (const std::string& name : *input.categories) {
      model::Category c;
      c.name = trimmed(name);
      c.slug = text::slugify(c.name);
      if (c.slug.empty()) continue;
      item.categories.push_back(std::move(c));
    }
  }
  if (input.lead_image) {
    item.lead_image = *input.lead_image;
    if (item.lead_image) {
      const std::string url = text::resolve_url(site_.base_url, item.lead_image->url);
      if (url.empty() || url.starts_with("mailto:")) {
        return invalid("the lead image needs an http(s) URL");
      }
      item.lead_image->url = url;
      item.lead_image->alt = trimmed(item.lead_image->alt);
      if (item.lead_image->alt.empty()) {
        return invalid(
            "the lead image needs alt text (what it shows, for readers who cannot see it)");
      }
    }
  }
  if (input.related_links) {
    item.related_links.clear();
    for (const model::RelatedLink& link : *input.related_links) {
      const std::string url = text::resolve_url(site_.base_url, link.url);
      if (url.empty()) return invalid("a related link needs an http(s) or mailto URL");
      item.related_links.push_back(model::RelatedLink{trimmed(link.title), url});
    }
  }
  if (input.contact) {
    item.contact = model::MediaContact{trimmed(input.contact->name), trimmed(input.contact->email),
                                       trimmed(input.contact->phone)};
    if (!item.contact.email.empty() && item.contact.email.find('@') == std::string::npos) {
      return invalid("the media contact's e-mail address has no '@'");
    }
  }
  if (input.review_requested) item.review_requested = *input.review_requested;

  // Publication.
  if (input.status) {
    const std::string& status = *input.status;
    if (status != "draft" && status != "published" && status != "scheduled") {
      return invalid("status is draft, published or scheduled, not '" + status + "'");
    }
    if (status == "draft") {
      item.status = model::Status::kDraft;
      item.published_at.reset();
    } else {
      if (!model::may(actor.role, model::Action::kPublish)) {
        return forbidden("an author cannot publish; ask an editor (review_requested)");
      }
      std::int64_t when = now;
      if (input.publish_at) {
        when = *input.publish_at;
      } else if (status == "scheduled") {
        return invalid("a scheduled item needs publish_at");
      } else if (item.status == model::Status::kPublished && item.published_at) {
        when = item.published_at->epoch_seconds;  // republishing keeps the date
      }
      if (status == "scheduled" && when <= now) return invalid("publish_at must be in the future");
      item.status = model::Status::kPublished;
      item.published_at = local_time(site_, when);
      item.review_requested = false;
    }
  } else if (input.publish_at) {
    if (item.status != model::Status::kPublished) {
      return invalid("publish_at needs status published or scheduled");
    }
    if (!model::may(actor.role, model::Action::kPublish))
      return forbidden("an author cannot publish");
    item.published_at = local_time(site_, *input.publish_at);
  }
  if (input.embargo) {
    if (*input.embargo) {
      if (!model::may(actor.role, model::Action::kPublish))
        return forbidden("an author cannot embargo");
      if (item.status != model::Status::kPublished || !item.published_at ||
          item.published_at->epoch_seconds <= now) {
        return invalid("an embargo needs a publication time in the future (publish_at)");
      }
      item.embargoed = true;
    } else {
      item.embargoed = false;
    }
  }
  if (item.embargoed && item.preview_token.empty()) item.preview_token = new_secret();
  if (input.expires_at) {
    if (!model::may(actor.role, model::Action::kPublish)) {
      return forbidden("an author cannot take items down");
    }
    item.expires_at = *input.expires_at;
    if (item.expires_at && item.published_at &&
        *item.expires_at <= item.published_at->epoch_seconds) {
      return invalid("expires_at must come after the publication time");
    }
  }
  if (input.archive_on_expiry) {
    if (!model::may(actor.role, model::Action::kPublish)) {
      return forbidden("an author cannot decide what happens at the end time");
    }
    item.archive_on_expiry = *input.archive_on_expiry;
  }

  item.updated_at = local_time(site_, now);
  return item;
}

Result<model::Item> EditorialService::create(const model::User& actor, const NewsInput& input) {
  if (!model::may(actor.role, model::Action::kCreateDraft)) return forbidden("may not write news");
  model::Item item;
  item.guid = new_uuid_urn();
  item.author_id = actor.id;
  auto built = apply(actor, std::move(item), input, /*is_new=*/true);
  if (!built) return built.error();
  Result<void> r = store_.transaction([&](store::Store& tx) -> Result<void> {
    auto id = tx.insert_item(*built);
    if (!id) return id.error();
    built->id = *id;
    store::Revision revision{0, *id, actor.id, clock_(), item_snapshot(*built)};
    if (auto rev = tx.insert_revision(revision); !rev) return rev.error();
    return {};
  });
  if (!r) return r.error();
  return store_.item_by_id(built->id);
}

Result<model::Item> EditorialService::update(const model::User& actor, std::int64_t id,
                                             const NewsInput& input, bool partial) {
  auto stored = store_.item_by_id(id);
  if (!stored) return stored.error();
  if (!can_see(actor, *stored)) {
    return make_error(ErrorCode::kNotFound, "editorial: no item " + std::to_string(id));
  }
  model::Item base = *stored;
  if (!partial) {
    // PUT: what is not sent goes back to its default; identity, authorship,
    // the preview secret and the publication state unless sent stay.
    model::Item fresh;
    fresh.id = stored->id;
    fresh.guid = stored->guid;
    fresh.slug = stored->slug;
    fresh.author_id = stored->author_id;
    fresh.preview_token = stored->preview_token;
    fresh.status = stored->status;
    fresh.published_at = stored->published_at;
    fresh.embargoed = stored->embargoed;
    fresh.source_id = stored->source_id;
    fresh.source_link = stored->source_link;
    fresh.attachments = stored->attachments;
    fresh.language = stored->language;  // as translation_of: a group keeps its languages
    fresh.translation_of = stored->translation_of;
    base = std::move(fresh);
  }
  auto built = apply(actor, std::move(base), input, /*is_new=*/false);
  if (!built) return built.error();
  const std::string old_path = model::item_path(site_, *stored);
  Result<void> r = store_.transaction([&](store::Store& tx) -> Result<void> {
    if (auto u = tx.update_item(*built); !u) return u;
    // A changed slug (or language) keeps the old address working (301 to
    // the new one).
    if (model::item_path(site_, *built) != old_path) {
      if (auto red = tx.add_redirect(old_path, id); !red) return red;
    }
    store::Revision revision{0, id, actor.id, clock_(), item_snapshot(*built)};
    if (auto rev = tx.insert_revision(revision); !rev) return rev.error();
    return {};
  });
  if (!r) return r.error();
  return store_.item_by_id(id);
}

Result<void> EditorialService::remove(const model::User& actor, std::int64_t id) {
  auto stored = store_.item_by_id(id);
  if (!stored) return stored.error();
  if (!can_see(actor, *stored)) {
    return make_error(ErrorCode::kNotFound, "editorial: no item " + std::to_string(id));
  }
  if (!model::may(actor.role, model::Action::kDeleteItem)) return forbidden("may not delete news");
  return store_.delete_item(id);
}

std::string EditorialService::unique_slug(const std::string& base) const {
  std::string slug = base;
  for (int n = 2; store_.item_by_slug(slug); ++n) {
    const std::string suffix = "-" + std::to_string(n);
    slug = text::cut_slug(base, text::kMaxSlugLength - suffix.size()) + suffix;
  }
  return slug;
}

std::string EditorialService::group_language(std::string_view language) const {
  if (language.empty()) return model::default_language(site_);
  // The longest served tag it equals or extends: "pt-BR" before "pt".
  std::string best;
  for (const std::string& served : model::served_languages(site_)) {
    if (model::language_matches(language, served) && served.size() > best.size()) best = served;
  }
  return best.empty() ? model::canonical_language(language) : best;
}

Result<void> EditorialService::check_group_language(const model::Item& item) {
  const std::int64_t group = item.translation_of != 0 ? item.translation_of : item.id;
  if (group == 0) return {};
  store::ItemQuery query;
  query.translation_group = group;
  query.limit = 0;
  auto members = store_.list_items(query);
  if (!members) return members.error();
  const std::string language = group_language(item.language);
  for (const model::Item& other : *members) {
    if (other.id == item.id || group_language(other.language) != language) continue;
    return make_error(ErrorCode::kConflict, "editorial: item " + std::to_string(other.id) +
                                                " is the " + model::language_name(language) + " (" +
                                                language + ") version of this item already");
  }
  return {};
}

Result<model::Item> EditorialService::create_translation(const model::User& actor,
                                                         std::int64_t source_id,
                                                         std::string_view language) {
  if (!model::may(actor.role, model::Action::kCreateDraft)) return forbidden("may not write news");
  auto source = get(actor, source_id);
  if (!source) return source.error();
  const std::string tag = model::canonical_language(trimmed(language));
  if (tag.empty()) {
    return invalid("the language '" + std::string(language) +
                   "' is no language tag (BCP 47, such as \"fr\")");
  }
  const std::vector<std::string> served = model::served_languages(site_);
  if (std::none_of(served.begin(), served.end(),
                   [&](const std::string& l) { return model::language_matches(tag, l); })) {
    std::string list;
    for (const std::string& l : served) list += (list.empty() ? "" : ", ") + l;
    return invalid("the site does not serve the language '" + tag + "' (it serves " + list + ")");
  }

  // The translator's starting point: the source's content, as a new draft.
  model::Item item = *source;
  item.id = 0;
  item.guid = new_uuid_urn();
  item.language = tag;
  item.translation_of = source->translation_of != 0 ? source->translation_of : source->id;
  item.author_id = actor.id;
  item.status = model::Status::kDraft;
  item.published_at.reset();
  item.embargoed = false;
  item.preview_token.clear();
  item.expires_at.reset();
  item.archive_on_expiry = false;
  item.review_requested = false;
  item.source_id.clear();
  item.source_link.clear();
  if (auto r = check_group_language(item); !r) return r.error();

  std::string suffix = "-" + tag;
  std::transform(suffix.begin(), suffix.end(), suffix.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  std::string base =
      text::slugify(item.title, text::kMaxSlugLength, text::slug_script(site_.unicode_slugs));
  if (base.empty()) base = "news";
  item.slug = unique_slug(text::cut_slug(base, text::kMaxSlugLength - suffix.size()) + suffix);
  item.updated_at = local_time(site_, clock_());

  Result<void> r = store_.transaction([&](store::Store& tx) -> Result<void> {
    auto id = tx.insert_item(item);
    if (!id) return id.error();
    auto created = tx.item_by_id(*id);
    if (!created) return created.error();
    // Uploaded files are copied: each item owns its attachments, so the
    // translator may replace the PDF without touching the original's.
    bool copied = false;
    for (std::size_t i = 0; i < created->attachments.size() && i < source->attachments.size();
         ++i) {
      const model::Attachment& from = source->attachments[i];
      if (!from.stored) continue;
      auto file = tx.attachment_file(from.id);
      if (!file) return file.error();
      model::Attachment& to = created->attachments[i];
      if (auto f = tx.save_attachment_file(to.id, file->media_type, file->bytes); !f) return f;
      to.url = model::absolute_url(site_.base_url, attachment_file_path(to.id, to.name));
      copied = true;
    }
    if (copied) {
      if (auto u = tx.update_item(*created); !u) return u;
    }
    item.id = *id;
    store::Revision revision{0, *id, actor.id, clock_(), item_snapshot(*created)};
    if (auto rev = tx.insert_revision(revision); !rev) return rev.error();
    return {};
  });
  if (!r) return r.error();
  return store_.item_by_id(item.id);
}

Result<TranslationGroup> EditorialService::translations(const model::User& actor, std::int64_t id) {
  auto item = get(actor, id);
  if (!item) return item.error();
  store::ItemQuery query;
  query.translation_group = item->translation_of != 0 ? item->translation_of : item->id;
  query.limit = 0;
  auto members = store_.list_items(query);
  if (!members) return members.error();
  // Oldest first, so that of two members in one language the first made
  // takes the language's place.
  std::sort(members->begin(), members->end(),
            [](const model::Item& a, const model::Item& b) { return a.id < b.id; });
  TranslationGroup group;
  group.members = members->size();
  for (const model::Item& m : *members) {
    if (m.id == *query.translation_group) group.original = m;
  }
  for (const std::string& l : model::served_languages(site_)) {
    group.slots.push_back(TranslationSlot{l, std::nullopt, false, false, false});
  }
  for (model::Item& m : *members) {
    TranslationSlot slot;
    slot.language = group_language(m.language);
    slot.original = m.id == *query.translation_group;
    slot.outdated = !slot.original && group.original &&
                    group.original->updated_at.epoch_seconds > m.updated_at.epoch_seconds;
    slot.may_open = can_see(actor, m);
    slot.item = std::move(m);
    auto free = std::find_if(group.slots.begin(), group.slots.end(), [&](const TranslationSlot& s) {
      return s.language == slot.language && !s.item;
    });
    if (free != group.slots.end()) {
      *free = std::move(slot);
    } else {
      group.slots.push_back(std::move(slot));
    }
  }
  return group;
}

Result<model::Item> EditorialService::get(const model::User& actor, std::int64_t id) {
  auto stored = store_.item_by_id(id);
  if (!stored) return stored.error();
  if (!can_see(actor, *stored)) {
    return make_error(ErrorCode::kNotFound, "editorial: no item " + std::to_string(id));
  }
  return stored;
}

Result<NewsList> EditorialService::list(const model::User& actor, const NewsListQuery& query) {
  store::ItemQuery q;
  q.category_slug = query.category_slug;
  if (!query.language.empty()) {
    q.language = model::canonical_language(query.language);
    if (q.language.empty()) {
      return invalid("the language '" + query.language + "' is no language tag (BCP 47)");
    }
    // Items without a language are in the default one; as on the site, the
    // default language's list leaves out what the other languages serve.
    if (q.language == model::default_language(site_)) {
      q.language.clear();
      q.excluded_languages = site_.languages;
    }
  }
  q.limit = std::clamp(query.per_page, 1, 100);
  q.offset = (std::max(query.page, 1) - 1) * q.limit;
  if (!model::may(actor.role, model::Action::kEditAnyItem)) q.author_id = actor.id;
  const std::int64_t now = clock_();
  if (query.status) {
    if (*query.status == "draft") {
      q.status = model::Status::kDraft;
    } else if (*query.status == "published") {
      q.status = model::Status::kPublished;
      q.published_before = now;
    } else if (*query.status == "scheduled") {
      q.status = model::Status::kPublished;
      q.published_from = now + 1;
    } else {
      return invalid("status is draft, published or scheduled");
    }
  }
  NewsList out;
  if (!query.text.empty()) {
    auto found = store_.search(text::parse_search_query(query.text), q);
    if (!found) return found.error();
    for (store::SearchHit& hit : found->hits) out.items.push_back(std::move(hit.item));
    out.total = found->total;
    return out;
  }
  auto items = store_.list_items(q);
  if (!items) return items.error();
  auto total = store_.count_items(q);
  if (!total) return total.error();
  out.items = std::move(*items);
  out.total = *total;
  return out;
}

Result<model::Attachment> EditorialService::add_attachment(const model::User& actor,
                                                           std::int64_t item_id,
                                                           std::string_view file_name,
                                                           std::string_view declared_type,
                                                           std::string_view bytes) {
  if (!model::may(actor.role, model::Action::kUploadAttachment)) {
    return forbidden("may not upload files");
  }
  auto stored = store_.item_by_id(item_id);
  if (!stored) return stored.error();
  const bool editor = model::may(actor.role, model::Action::kEditAnyItem);
  if (!editor && stored->author_id != actor.id) {
    return make_error(ErrorCode::kNotFound, "editorial: no item " + std::to_string(item_id));
  }
  if (!editor && stored->status == model::Status::kPublished) {
    return forbidden("an author cannot change a published or scheduled item");
  }
  if (bytes.empty()) return invalid("the file is empty");
  if (bytes.size() > max_upload_bytes_) {
    return invalid("the file is larger than " + std::to_string(max_upload_bytes_) + " bytes");
  }
  // Only the last path segment, without controls: browsers send a bare name,
  // but a hand-made request may send "../../x".
  std::string name(file_name.substr(file_name.find_last_of("/\\") == std::string_view::npos
                                        ? 0
                                        : file_name.find_last_of("/\\") + 1));
  std::erase_if(name, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
  if (name.size() > 200) name.resize(200);
  if (name.empty() || name == "." || name == "..") name = "file";
  auto type = sniff_attachment_type(bytes, name, declared_type);
  if (!type) return invalid(type.error().message);

  model::Attachment added;
  Result<void> r = store_.transaction([&](store::Store& tx) -> Result<void> {
    model::Item item = *stored;
    model::Attachment attachment;
    attachment.name = name;
    attachment.media_type = *type;
    attachment.length = static_cast<std::int64_t>(bytes.size());
    // The URL needs the id the store gives; a placeholder until then.
    attachment.url = model::absolute_url(site_.base_url, "/files/pending");
    item.attachments.push_back(attachment);
    item.updated_at = local_time(site_, clock_());
    if (auto u = tx.update_item(item); !u) return u;
    auto reloaded = tx.item_by_id(item_id);
    if (!reloaded) return reloaded.error();
    model::Attachment& created = reloaded->attachments.back();
    if (auto f = tx.save_attachment_file(created.id, *type, bytes); !f) return f;
    created.url = model::absolute_url(site_.base_url, attachment_file_path(created.id, name));
    if (auto u = tx.update_item(*reloaded); !u) return u;
    store::Revision revision{0, item_id, actor.id, clock_(), item_snapshot(*reloaded)};
    if (auto rev = tx.insert_revision(revision); !rev) return rev.error();
    added = created;
    return {};
  });
  if (!r) return r.error();
  return added;
}

Result<model::Item> EditorialService::restore(const model::User& actor, std::int64_t item_id,
                                              std::int64_t revision_id) {
  if (!model::may(actor.role, model::Action::kRestoreRevision)) {
    return forbidden("may not restore revisions");
  }
  auto revision = store_.revision(revision_id);
  if (!revision) return revision.error();
  if (revision->item_id != item_id) {
    return make_error(ErrorCode::kNotFound, "editorial: no such revision of this item");
  }
  const nlohmann::json snap = nlohmann::json::parse(revision->snapshot, nullptr, false);
  if (!snap.is_object()) return make_error(ErrorCode::kInternal, "editorial: unreadable revision");
  NewsInput in;
  in.title = snap.value("title", std::string());
  in.slug = snap.value("slug", std::string());
  in.teaser = snap.value("teaser", std::string());
  const std::string markdown = snap.value("body_markdown", std::string());
  if (!markdown.empty()) {
    in.body_markdown = markdown;
  } else {
    in.body_html = snap.value("body_html", std::string());
  }
  in.language = snap.value("language", std::string());
  std::vector<std::string> categories;
  for (const auto& c : snap.value("categories", nlohmann::json::array())) {
    if (c.is_object()) categories.push_back(c.value("name", std::string()));
  }
  in.categories = std::move(categories);
  if (snap.contains("lead_image") && snap["lead_image"].is_object()) {
    in.lead_image = std::optional<model::LeadImage>(
        model::LeadImage{snap["lead_image"].value("url", std::string()),
                         snap["lead_image"].value("alt", std::string())});
  } else {
    in.lead_image = std::optional<model::LeadImage>();
  }
  std::vector<model::RelatedLink> links;
  for (const auto& l : snap.value("related_links", nlohmann::json::array())) {
    if (l.is_object())
      links.push_back({l.value("title", std::string()), l.value("url", std::string())});
  }
  in.related_links = std::move(links);
  if (snap.contains("contact") && snap["contact"].is_object()) {
    const auto& c = snap["contact"];
    in.contact =
        model::MediaContact{c.value("name", std::string()), c.value("email", std::string()),
                            c.value("phone", std::string())};
  }
  return update(actor, item_id, in, /*partial=*/true);
}

Result<std::vector<model::Category>> EditorialService::categories() { return store_.categories(); }

Result<void> EditorialService::rename_category(const model::User& actor, std::int64_t id,
                                               std::string_view name) {
  if (!model::may(actor.role, model::Action::kManageCategories)) {
    return forbidden("may not manage categories");
  }
  const std::string clean = trimmed(name);
  if (clean.empty() || clean.size() > 200) return invalid("a category needs a name");
  return store_.rename_category(id, clean);
}

Result<void> EditorialService::delete_category(const model::User& actor, std::int64_t id) {
  if (!model::may(actor.role, model::Action::kManageCategories)) {
    return forbidden("may not manage categories");
  }
  return store_.delete_category(id);
}

Result<std::string> EditorialService::boilerplate() {
  return NewsService(store_, clock_).boilerplate();
}

Result<void> EditorialService::set_boilerplate(const model::User& actor, std::string_view text) {
  if (!model::may(actor.role, model::Action::kManageSettings)) {
    return forbidden("only admins change the settings");
  }
  if (text.size() > 4000) return invalid("the boilerplate is longer than 4000 bytes");
  return store_.save_setting(kBoilerplateSetting, collapse_whitespace(text));
}

std::string EditorialService::render_markdown(std::string_view markdown) const {
  return text::markdown_to_html(markdown, site_.base_url, kMaxBody);
}

std::string EditorialService::render_html(std::string_view html) const {
  return text::sanitize_html(html.substr(0, kMaxBody), site_.base_url);
}

Result<SiteSettings> EditorialService::site_settings() {
  auto site = effective_site(store_, site_);
  if (!site) return site.error();
  return settings_of(*site);
}

Result<void> EditorialService::save_site_settings(const model::User& actor,
                                                  const SiteSettings& settings) {
  if (!model::may(actor.role, model::Action::kManageSettings)) {
    return forbidden("only admins change the settings");
  }
  return service::save_site_settings(store_, settings);
}

Result<std::vector<store::Revision>> EditorialService::revisions(const model::User& actor,
                                                                 std::int64_t id) {
  auto item = get(actor, id);
  if (!item) return item.error();
  if (!model::may(actor.role, model::Action::kViewRevisions) && item->author_id != actor.id) {
    return forbidden("may not see revisions");
  }
  return store_.revisions(id);
}

}  // namespace newsdesk::service
