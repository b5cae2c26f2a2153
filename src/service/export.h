// The static export (`newsdesk export DIR`): the whole public site as files
// that any web server can serve, with the bytes the site's own server sends
// (the same PageService, FeedService, theme and attachment calls its
// handlers make, so the two cannot drift apart).
//
// What is written, for every public path (a path ending in '/' becomes
// ".../index.html"): for each served language (model/languages.h), under
// its prefix ("" for the default language, "/fr", ...), the home page,
// /news/ and its pages, every category's pages and feeds, the archive
// (index, years, months and their pages), the language's feeds (live and
// RFC 5005 archive pages, in each format), and the page of every item in
// that language; once, at the root: /feed.xsl, /sitemap.xml,
// /news-sitemap.xml, /robots.txt, the theme's /static/ assets, the stored
// attachment files (/files/{id}/{name}, the name percent-decoded as
// servers map it to a file), and the 404 page as 404.html. Not exportable,
// so not written: search (/search), redirects of old addresses (an item
// asked for under another language's prefix among them), 410 pages of
// deleted items, previews.
//
// Incremental: DIR keeps a manifest (kManifestName) of the files the export
// wrote, each with a hash of its bytes and an input stamp: a hash of
// everything the file's bytes follow from (for an item's page: the item, its
// neighbours' titles and slugs, the languages and slugs of its published
// translations, and the "chrome" every page shares: site and its languages,
// settings, categories, theme, this newsdesk binary; for a list or feed
// page: the items on it, their total, and the chrome). Stamps come from the
// items and counts the export lists anyway, at its one instant, so an item
// going live or expiring changes the stamps of the pages it enters or leaves.
// A later export renders only the files whose stamp changed or that are
// missing from DIR (cheap files without a stamp, such as the sitemaps, are
// always rendered), rewrites only files whose bytes changed (a temporary file
// in the same folder, then rename), leaves the others untouched, and removes
// files of the earlier export that are no longer part of the site. Files the
// export did not write are never removed. A manifest without stamps (an
// older newsdesk) or ExportOptions::full renders everything.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "model/site.h"
#include "render/theme.h"
#include "service/news.h"
#include "store/store.h"

namespace newsdesk::service {

inline constexpr std::string_view kManifestName = ".newsdesk-export";

// Opens one more connection to the site's database (already migrated).
using StoreOpener = std::function<Result<std::unique_ptr<store::Store>>()>;

struct ExportOptions {
  // Also writes FILE.gz beside each file the server would send gzipped
  // (the response cache's rule and settings, so the same bytes), for
  // nginx's gzip_static.
  bool gzip = false;
  // Workers rendering and writing at once, each with its own store
  // connection; 0: one per core.
  int threads = 0;
  // The configured theme folder (empty: the built-in theme only), for the
  // list of its static files.
  std::string theme_dir;
  // The instant the export shows the site at; unset: the system clock, read
  // once at the start.
  Clock clock;
  // Renders every file, whatever the manifest's stamps say (bytes are still
  // compared: unchanged files are not rewritten).
  bool full = false;
  // How many public items a worker reads at a time, about; 0: 2000. (A
  // test cuts its few items into many parts with a small number.)
  int read_part = 0;
  // Called on the calling thread as files are done (of total), a few
  // times a second and once at the end.
  std::function<void(std::size_t done, std::size_t total)> on_progress;
};

struct ExportReport {
  std::size_t files = 0;      // part of the export now (with .gz files)
  std::size_t written = 0;    // new or changed, so (re)written
  std::size_t unchanged = 0;  // same bytes as the earlier export: untouched
  std::size_t removed = 0;    // of the earlier export, no longer part of the site
  std::size_t rendered = 0;   // pages rendered (the rest kept by their stamps)
  std::uint64_t bytes = 0;    // total size of the export's files
  double seconds = 0;
};

// Exports the site into `dir` (created when missing). `open_store` is
// called once per worker.
// Errors: kInvalid when dir exists and is not a folder, or a file of the
// site cannot be written (naming the path); store and render errors.
Result<ExportReport> export_site(const model::Site& site, const render::Theme& theme,
                                 const StoreOpener& open_store, const std::string& dir,
                                 const ExportOptions& options);

}  // namespace newsdesk::service
