#include "service/news.h"

#include <algorithm>
#include <chrono>
#include <iterator>

#include "model/languages.h"
#include "text/search_query.h"

namespace newsdesk::service {

Clock system_clock() {
  return [] {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
}

store::ItemQuery NewsService::public_query(std::string_view category_slug) const {
  store::ItemQuery query;
  query.category_slug = std::string(category_slug);
  query.status = model::Status::kPublished;
  const std::int64_t now = clock_();
  query.published_before = now;
  query.live_at = now;
  query.language = language_;
  query.excluded_languages = excluded_;
  query.text_language = text_language_;
  return query;
}

NewsService NewsService::in_language(const model::Site& view) const {
  NewsService scoped(store_, clock_);
  scoped.text_language_ = view.language;
  if (view.languages.empty()) return scoped;
  if (view.language == model::default_language(view)) {
    scoped.excluded_ = view.languages;
  } else {
    scoped.language_ = view.language;
  }
  return scoped;
}

bool NewsService::in_scope(const model::Item& item) const {
  if (!language_.empty()) return model::language_matches(item.language, language_);
  for (const std::string& other : excluded_) {
    if (model::language_matches(item.language, other)) return false;
  }
  return true;
}

Result<std::vector<model::Item>> NewsService::translations(const model::Item& item) {
  store::ItemQuery query = archive_query();
  query.language.clear();
  query.excluded_languages.clear();
  query.translation_group = item.translation_of != 0 ? item.translation_of : item.id;
  query.limit = 0;
  return store_.list_items(query);
}

store::ItemQuery NewsService::archive_query() const {
  store::ItemQuery query = public_query("");
  query.keep_archived = true;
  return query;
}

bool is_archived(const model::Item& item, std::int64_t now) {
  return item.archive_on_expiry && item.expires_at && *item.expires_at <= now;
}

Result<std::vector<model::Item>> NewsService::latest(int limit, int offset,
                                                     std::string_view category_slug) {
  store::ItemQuery query = public_query(category_slug);
  query.limit = limit;
  query.offset = offset;
  return store_.list_items(query);
}

Result<std::vector<store::ItemStamp>> NewsService::page_stamps(int limit, int offset) {
  store::ItemQuery query = archive_query();
  query.limit = limit;
  query.offset = offset;
  return store_.list_stamps(query);
}

Result<bool> NewsService::has_items(std::string_view category_slug) {
  store::ItemQuery query = public_query(category_slug);
  query.limit = 1;
  auto first = store_.list_stamps(query);
  if (!first) return first.error();
  return !first->empty();
}

Result<std::int64_t> NewsService::count_pages() { return store_.count_items(archive_query()); }

Result<std::optional<model::DateTime>> NewsService::pages_last_change() {
  return store_.last_change(archive_query());
}

Result<std::vector<store::ItemStamp>> NewsService::translation_stamps(
    const std::vector<std::int64_t>& groups) {
  // Some hundred groups a query: two parameters each, far below either
  // database's limit of bound parameters.
  constexpr std::size_t kGroupsPerQuery = 400;
  std::vector<store::ItemStamp> stamps;
  for (std::size_t at = 0; at < groups.size(); at += kGroupsPerQuery) {
    store::ItemQuery query = archive_query();
    query.language.clear();
    query.excluded_languages.clear();
    const auto end =
        groups.begin() + static_cast<std::ptrdiff_t>(std::min(groups.size(), at + kGroupsPerQuery));
    query.translation_groups.assign(groups.begin() + static_cast<std::ptrdiff_t>(at), end);
    query.limit = 0;
    auto some = store_.list_stamps(query);
    if (!some) return some.error();
    stamps.insert(stamps.end(), std::make_move_iterator(some->begin()),
                  std::make_move_iterator(some->end()));
  }
  return stamps;
}

Result<std::int64_t> NewsService::count(std::string_view category_slug) {
  return store_.count_items(public_query(category_slug));
}

Result<std::map<std::int64_t, std::int64_t>> NewsService::count_by_category() {
  return store_.count_by_category(public_query(""));
}

Result<model::Item> NewsService::public_item(std::string_view slug) {
  auto item = store_.item_by_slug(slug);
  if (!item) return item;
  const std::int64_t now = clock_();
  const bool visible = item->status == model::Status::kPublished && item->published_at &&
                       item->published_at->epoch_seconds <= now &&
                       (!item->expires_at || *item->expires_at > now || item->archive_on_expiry);
  if (!visible)
    return make_error(ErrorCode::kNotFound, "news: no public item '" + std::string(slug) + "'");
  return item;
}

Result<model::Item> NewsService::redirected_item(std::string_view path) {
  auto id = store_.redirect_target(path);
  if (!id) return id.error();
  auto item = store_.item_by_id(*id);
  if (!item) return item.error();
  return public_item(item->slug);
}

Result<std::optional<model::DateTime>> NewsService::last_change(std::string_view category_slug) {
  return store_.last_change(public_query(category_slug));
}

Result<std::vector<model::Category>> NewsService::categories() { return store_.categories(); }

Result<model::Category> NewsService::category(std::string_view slug) {
  auto all = store_.categories();
  if (!all) return all.error();
  for (model::Category& c : *all) {
    if (c.slug == slug) return std::move(c);
  }
  return make_error(ErrorCode::kNotFound, "news: no category '" + std::string(slug) + "'");
}

Result<store::Neighbours> NewsService::neighbours(const model::Item& item) {
  return store_.neighbours(item.id, archive_query());
}

Result<std::vector<model::Item>> NewsService::published_between(std::int64_t from,
                                                                std::int64_t until, int limit,
                                                                int offset) {
  store::ItemQuery query = archive_query();
  query.published_from = from;
  query.published_until = until;
  query.limit = limit;
  query.offset = offset;
  return store_.list_items(query);
}

Result<std::int64_t> NewsService::count_between(std::int64_t from, std::int64_t until) {
  store::ItemQuery query = archive_query();
  query.published_from = from;
  query.published_until = until;
  return store_.count_items(query);
}

Result<std::vector<std::int64_t>> NewsService::published_times() {
  return store_.published_times(archive_query());
}

Result<std::vector<std::int64_t>> NewsService::public_times() {
  return store_.published_times(public_query(""));
}

Result<std::vector<model::Item>> NewsService::published_between(std::optional<std::int64_t> from,
                                                                std::optional<std::int64_t> until) {
  store::ItemQuery query = public_query("");
  query.published_from = from;
  query.published_until = until;
  query.limit = 0;  // all of them
  return store_.list_items(query);
}

Result<store::SearchResults> NewsService::search(std::string_view text, int limit, int offset) {
  store::ItemQuery filter = archive_query();
  filter.limit = limit;
  filter.offset = offset;
  return store_.search(text::parse_search_query(text), filter);
}

Result<bool> NewsService::gone(std::string_view slug) { return store_.slug_gone(slug); }

Result<std::string> NewsService::boilerplate() {
  // The key EditorialService writes (kBoilerplateSetting).
  auto text = store_.setting("boilerplate");
  if (!text && text.error().code == ErrorCode::kNotFound) return std::string();
  return text;
}

Result<std::vector<model::Item>> NewsService::press_items(int limit) {
  store::ItemQuery query = public_query("");
  query.include_embargoed = true;
  query.limit = limit;
  return store_.list_items(query);
}

Result<model::Item> NewsService::embargoed_item(std::string_view preview_token) {
  // Secrets are 43 characters; anything else cannot be one.
  if (preview_token.size() < 32 || preview_token.size() > 64) {
    return make_error(ErrorCode::kNotFound, "news: no such preview");
  }
  store::ItemQuery query;
  query.preview_token = std::string(preview_token);
  query.status = model::Status::kPublished;
  query.limit = 1;
  auto items = store_.list_items(query);
  if (!items) return items.error();
  const std::int64_t now = clock_();
  if (items->empty() || !items->front().embargoed || !items->front().published_at ||
      items->front().published_at->epoch_seconds <= now) {
    return make_error(ErrorCode::kNotFound, "news: no such preview");
  }
  return std::move(items->front());
}

}  // namespace newsdesk::service
