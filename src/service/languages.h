// The public side of a site in each language it serves: one view of the
// site (model::language_view), and the news, feeds and pages seen from it.
// The default language lives at the root, the others under their prefixes;
// the HTTP routes and the static export pick the one a path belongs to.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "model/site.h"
#include "render/theme.h"
#include "service/feeds.h"
#include "service/news.h"
#include "service/pages.h"
#include "store/store.h"

namespace newsdesk::service {

struct LanguageSite {
  LanguageSite(const model::Site& view, const NewsService& all, const render::Theme& theme,
               const Clock& clock, const std::function<std::uint64_t()>& generation)
      : site(view),
        news(all.in_language(site)),
        feeds(site, news),
        pages(site, theme, news, clock, generation) {}
  LanguageSite(const LanguageSite&) = delete;
  LanguageSite& operator=(const LanguageSite&) = delete;

  const model::Site site;
  NewsService news;
  FeedService feeds;
  PageService pages;
};

// Thread-safe as its parts are. `site` (the root view), `store` and `theme`
// must outlive it.
class LanguageSites {
 public:
  LanguageSites(const model::Site& site, store::Store& store, const render::Theme& theme,
                Clock clock, std::function<std::uint64_t()> generation = {});

  // The default language's site (at the root).
  LanguageSite& root() { return *sites_.front(); }
  // The site of a served language; the root for any other tag.
  LanguageSite& in(std::string_view language);
  // Every served language's site, the default first.
  const std::vector<std::unique_ptr<LanguageSite>>& all() { return sites_; }
  // Every item whatever its language: redirects, previews, the sitemap.
  NewsService& everything() { return everything_; }
  // The pages about the whole site (sitemaps, robots.txt, previews).
  PageService& whole_site() { return whole_site_; }

 private:
  NewsService everything_;
  PageService whole_site_;
  std::vector<std::unique_ptr<LanguageSite>> sites_;
};

}  // namespace newsdesk::service
