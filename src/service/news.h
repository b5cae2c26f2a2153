// What readers may see: published items whose time has come.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/item.h"
#include "model/site.h"
#include "store/store.h"

namespace newsdesk::service {

// Seconds since the epoch; injected so tests can move time.
using Clock = std::function<std::int64_t()>;
Clock system_clock();

// Whether the item's end time has passed and moved it to the archive.
bool is_archived(const model::Item& item, std::int64_t now);

// Thread-safe when the store is (it holds no state of its own).
class NewsService {
 public:
  // `store` must outlive the service.
  NewsService(store::Store& store, Clock clock) : store_(store), clock_(std::move(clock)) {}

  // Newest first; at most `limit` items from `offset`; only those in the
  // category when its slug is given.
  Result<std::vector<model::Item>> latest(int limit, int offset = 0,
                                          std::string_view category_slug = "");
  // How many public items there are (in the category when given).
  Result<std::int64_t> count(std::string_view category_slug = "");
  // How many public items each category has, by category id, in one
  // query; a category without any is left out.
  Result<std::map<std::int64_t, std::int64_t>> count_by_category();
  // Errors: kNotFound when no public item has this slug.
  Result<model::Item> public_item(std::string_view slug);
  // The public item an old path leads to (see Store::add_redirect).
  // Errors: kNotFound.
  Result<model::Item> redirected_item(std::string_view path);
  // The newest change among public items (drives feed dates and validators).
  Result<std::optional<model::DateTime>> last_change(std::string_view category_slug = "");
  // Every category, by name.
  Result<std::vector<model::Category>> categories();
  // Errors: kNotFound when no category has this slug.
  Result<model::Category> category(std::string_view slug);

  // The public items just newer and older than this one (all categories).
  Result<store::Neighbours> neighbours(const model::Item& item);
  // Public items published in [from, until), newest first, paged.
  Result<std::vector<model::Item>> published_between(std::int64_t from, std::int64_t until,
                                                     int limit, int offset);
  Result<std::int64_t> count_between(std::int64_t from, std::int64_t until);
  // The address and last change of every item with a page (public or
  // archived), newest first (by published_at, then id), at most `limit`
  // (<= 0: all) from `offset`: for the sitemap and its parts.
  Result<std::vector<store::ItemStamp>> page_stamps(int limit, int offset = 0);
  // Whether the category (slug) has a public item: what count() > 0 says,
  // from the first one found.
  Result<bool> has_items(std::string_view category_slug);
  // How many items have a page, and the newest change among them.
  Result<std::int64_t> count_pages();
  Result<std::optional<model::DateTime>> pages_last_change();
  // The items with a page in these translation groups (by the original's
  // id: the original and the items that name it), newest first.
  Result<std::vector<store::ItemStamp>> translation_stamps(const std::vector<std::int64_t>& groups);
  // When every public item was published, newest first (for archives).
  Result<std::vector<std::int64_t>> published_times();
  // The same without the archived ones: the times of the items latest() lists.
  Result<std::vector<std::int64_t>> public_times();
  // The items latest() lists that were published in [from, until), newest
  // first; an end not given is open.
  Result<std::vector<model::Item>> published_between(std::optional<std::int64_t> from,
                                                     std::optional<std::int64_t> until);
  // Full-text search among public items; any text is a valid query.
  Result<store::SearchResults> search(std::string_view text, int limit, int offset);
  // Whether a deleted item had this slug.
  Result<bool> gone(std::string_view slug);
  // The newest public items plus the embargoed ones not public yet, newest
  // (embargo time) first: what journalists' feeds carry.
  Result<std::vector<model::Item>> press_items(int limit);
  // The organisation boilerplate set in the admin settings ("" when unset).
  Result<std::string> boilerplate();
  // The clock's now (epoch seconds).
  std::int64_t now() const { return clock_(); }
  // This service seen from one language view of the site
  // (model::language_view): its lists, counts, feeds and search hold only
  // the items served in that language. A site of one language keeps every
  // item.
  NewsService in_language(const model::Site& view) const;
  // Whether the item is served in this service's language.
  bool in_scope(const model::Item& item) const;
  // The public members of the item's translation group (itself included),
  // in any language.
  Result<std::vector<model::Item>> translations(const model::Item& item);

  // The embargoed item whose preview secret this is, before its time.
  // Errors: kNotFound (also once it is public: its permalink serves it).
  Result<model::Item> embargoed_item(std::string_view preview_token);

 private:
  // What the lists and feeds show: published, due, not taken down.
  store::ItemQuery public_query(std::string_view category_slug) const;
  // What item pages, the month archive and search show: that, and the
  // items whose end time moved them to the archive.
  store::ItemQuery archive_query() const;

  store::Store& store_;
  Clock clock_;
  std::string language_;               // only this language (a view's)
  std::vector<std::string> excluded_;  // or: none of these (the default's view)
  std::string text_language_;          // how search reads words
};

}  // namespace newsdesk::service
