// The data every micro-benchmark runs on: a populated SQLite store with the
// services the server builds on it, made once per process.
//
// Environment:
//   NEWSDESK_BENCH_DB      a database to use as it is (sqlite:PATH or a
//                          path; e.g. the one bench/serve/run.sh loaded);
//                          one without items is filled with generated items
//                          and kept for later runs; unset: a temporary one
//                          filled with generated items
//   NEWSDESK_BENCH_ITEMS   how many items to generate (10000)
//   NEWSDESK_BENCH_CONFIG  the site's configuration (default: the sample news
//                          centre's, examples/icmpd/newsdesk.toml)
//
// Thread-safety: corpus() builds on first call; benchmarks run on one thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/item.h"
#include "model/site.h"
#include "render/theme.h"
#include "service/feeds.h"
#include "service/news.h"
#include "service/pages.h"
#include "store/store.h"

namespace newsdesk::bench {

struct Corpus {
  std::string database_url;
  std::unique_ptr<store::Store> store;
  model::Site site;
  std::unique_ptr<render::Theme> theme;
  std::unique_ptr<service::NewsService> news;
  std::unique_ptr<service::FeedService> feeds;
  std::unique_ptr<service::PageService> pages;
  std::vector<std::string> slugs;   // every public item's slug, newest first
  std::vector<model::Item> latest;  // the newest site.feed_items items (a feed's worth)
  std::vector<std::string> bodies;  // a sample of stored body HTML
  std::string temp_path;            // the generated database's file; removed at exit
};

// The process's corpus; exits with a message on stderr when it cannot be made.
Corpus& corpus();

// A deterministic item body (3-8 paragraphs, 1-5 KB of HTML, as
// bench/import/generate.py writes them) and title for seed n.
std::string generated_body(unsigned n);
std::string generated_title(unsigned n);

}  // namespace newsdesk::bench
