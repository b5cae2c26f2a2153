#include "corpus.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <set>
#include <string_view>

#include "app/config.h"
#include "text/slug.h"

namespace newsdesk::bench {

namespace {

// Word lists after bench/import/generate.py (itself after the sample news
// centre): the same kind of titles and bodies, generated in C++ so the
// micro-benchmarks need nothing but themselves.
constexpr std::array<std::string_view, 12> kProjects = {"BOMCA",
                                                        "MIEUX",
                                                        "FReM II",
                                                        "MPF",
                                                        "EUROMED Migration IV",
                                                        "the Prague Process",
                                                        "the Budapest Process",
                                                        "the Rabat Process",
                                                        "MTM",
                                                        "the Silk Routes project",
                                                        "EU4Borders",
                                                        "the Migration Policy Facility"};
constexpr std::array<std::string_view, 16> kPlaces = {
    "Afghanistan", "Pakistan", "Libya",   "Tunisia",  "Central Asia", "the Western Balkans",
    "Nigeria",     "Jordan",   "Lebanon", "Iraq",     "Bangladesh",   "Côte d’Ivoire",
    "Ukraine",     "Georgia",  "Morocco", "the Sahel"};
constexpr std::array<std::string_view, 12> kTopics = {
    "labour migration",         "border management",        "trafficking in human beings",
    "migrant smuggling",        "legal migration pathways", "migration data",
    "return and reintegration", "diaspora engagement",      "migrant protection",
    "capacity building",        "regional cooperation",     "document security"};
constexpr std::array<std::string_view, 8> kEvents = {
    "workshop",   "conference",          "study visit", "expert meeting",
    "roundtable", "high-level dialogue", "training",    "steering committee"};
constexpr std::array<std::string_view, 10> kOrgs = {"the European Commission",
                                                    "UNHCR",
                                                    "IOM",
                                                    "the ILO",
                                                    "Frontex",
                                                    "the OSCE",
                                                    "the national authorities",
                                                    "civil society",
                                                    "the Ministry of Interior",
                                                    "universities"};

struct CategoryDef {
  std::string_view slug;
  std::string_view name;
};
constexpr std::array<CategoryDef, 4> kCategories = {
    {{"project-news", "Project News"},
     {"press-release", "Press Release"},
     {"expert-voice", "Expert Voice"},
     {"icmpd-around-the-globe", "ICMPD Around the Globe"}}};

template <typename Array>
std::string_view pick(std::mt19937& rng, const Array& a) {
  return a[std::uniform_int_distribution<std::size_t>(0, a.size() - 1)(rng)];
}

int between(std::mt19937& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

std::string sentence(std::mt19937& rng) {
  std::string s;
  switch (between(rng, 0, 4)) {
    case 0:
      s = "The " + std::string(pick(rng, kEvents)) + " gathered " +
          std::to_string(between(rng, 12, 180)) + " participants from " +
          std::string(pick(rng, kOrgs)) + " and " + std::string(pick(rng, kOrgs)) + ".";
      break;
    case 1:
      s = "Since its launch in " + std::to_string(between(rng, 2003, 2017)) +
          ", this EU-funded programme has focused on " + std::string(pick(rng, kTopics)) +
          " across " + std::string(pick(rng, kPlaces)) + ".";
      break;
    case 2:
      s = "Participants discussed practical measures to strengthen " +
          std::string(pick(rng, kTopics)) + " and cooperation between " +
          std::string(pick(rng, kOrgs)) + " and " + std::string(pick(rng, kOrgs)) + ".";
      break;
    case 3:
      s = "“We want to support " + std::string(pick(rng, kTopics)) + " in " +
          std::string(pick(rng, kPlaces)) + " and help people make better-informed decisions,” " +
          "the project manager explained.";
      break;
    default:
      s = "Special attention was paid to recommendations from the report &amp; the way forward "
          "for " +
          std::string(pick(rng, kTopics)) + " (see Annex " + std::to_string(between(rng, 1, 9)) +
          ").";
      break;
  }
  return s;
}

std::string text_of(std::string_view html) {
  std::string out;
  bool in_tag = false;
  for (char c : html) {
    if (c == '<') {
      in_tag = true;
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else if (c == '>') {
      in_tag = false;
    } else if (!in_tag) {
      if (c == '\n') c = ' ';
      if (c != ' ' || (!out.empty() && out.back() != ' ')) out += c;
    }
  }
  return out;
}

std::string teaser_of(std::string_view body) {
  std::string text = text_of(body);
  if (text.size() <= 100) return text;
  const auto cut = text.rfind(' ', 100);
  return text.substr(0, cut == std::string::npos ? 100 : cut) + "...";
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "newsdesk_micro: %s\n", what.c_str());
  std::exit(1);
}

std::string env_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

model::Item generated_item(unsigned n, std::set<std::string>& slugs) {
  model::Item item;
  item.title = generated_title(n);
  item.body_html = generated_body(n);
  item.teaser = teaser_of(item.body_html);
  item.slug = text::slugify(item.title);
  for (int k = 2; !slugs.insert(item.slug).second; ++k) {
    const std::string suffix = "-" + std::to_string(k);
    item.slug = text::slugify(item.title, text::kMaxSlugLength - suffix.size()) + suffix;
  }
  char guid[64];
  std::snprintf(guid, sizeof guid, "urn:uuid:6e657773-6465-736b-%04x-%012x", n >> 16, n);
  item.guid = guid;
  item.status = model::Status::kPublished;
  // One item every ~15 hours back from 2025-06-01, offsets as Vienna's.
  const std::int64_t when = 1748736000 - static_cast<std::int64_t>(n) * 54000;
  const int offset = (when / 86400 + 80) % 365 < 210 ? 120 : 60;
  item.published_at = model::DateTime{when, offset};
  item.updated_at = model::DateTime{when, offset};
  const CategoryDef& c = kCategories[n % 7 == 0 ? 1 : n % 11 == 0 ? 2 : n % 13 == 0 ? 3 : 0];
  item.categories.push_back(model::Category{0, std::string(c.slug), std::string(c.name)});
  if (c.slug == "press-release") {
    item.attachments.push_back(model::Attachment{
        0, "https://www.icmpd.org/fileadmin/press/" + item.slug + ".pdf", item.slug + ".pdf",
        "application/pdf", 180000 + static_cast<std::int64_t>(n % 50000), false});
  }
  return item;
}

Corpus make_corpus() {
  Corpus c;
  const std::string config_path =
      env_or("NEWSDESK_BENCH_CONFIG", NEWSDESK_SOURCE_DIR "/examples/icmpd/newsdesk.toml");
  auto config = app::load_config(config_path);
  if (!config) die(config.error().message);
  c.site = config->site;

  c.database_url = env_or("NEWSDESK_BENCH_DB", "");
  bool generate = c.database_url.empty();
  if (generate) {
    char dir[] = "/tmp/newsdesk-micro.XXXXXX";
    if (mkdtemp(dir) == nullptr) die("mkdtemp failed");
    c.temp_path = dir;
    c.database_url = "sqlite:" + c.temp_path + "/micro.db";
  }
  auto store = store::open_store(c.database_url);
  if (!store) die(store.error().message);
  c.store = std::move(*store);
  if (auto r = c.store->migrate(); !r) die(r.error().message);
  // A named database that holds no item yet is filled too, and kept: later
  // runs reuse it (NEWSDESK_BENCH_DB=/tmp/micro10k.db) instead of
  // generating the corpus again.
  if (!generate) {
    auto stored = c.store->count_items(store::ItemQuery{});
    if (!stored) die(stored.error().message);
    generate = *stored == 0;
  }

  if (generate) {
    const int items = std::atoi(env_or("NEWSDESK_BENCH_ITEMS", "10000").c_str());
    std::fprintf(stderr, "newsdesk_micro: generating %d items in %s\n", items,
                 c.database_url.c_str());
    std::set<std::string> slugs;
    auto r = c.store->transaction([&](store::Store& s) -> Result<void> {
      for (int n = 0; n < items; ++n) {
        auto id = s.insert_item(generated_item(static_cast<unsigned>(n), slugs));
        if (!id) return id.error();
      }
      return {};
    });
    if (!r) die(r.error().message);
  }

  auto theme = render::Theme::load(config->theme_dir);
  if (!theme) die(theme.error().message);
  c.theme = std::make_unique<render::Theme>(std::move(*theme));
  c.news = std::make_unique<service::NewsService>(*c.store, service::system_clock());
  c.feeds = std::make_unique<service::FeedService>(c.site, *c.news);
  c.pages =
      std::make_unique<service::PageService>(c.site, *c.theme, *c.news, service::system_clock());

  auto all = c.news->latest(0);
  if (!all) die(all.error().message);
  if (all->empty()) die("the database holds no public item");
  for (const model::Item& item : *all) c.slugs.push_back(item.slug);
  for (std::size_t i = 0; i < all->size() && i < static_cast<std::size_t>(c.site.feed_items); ++i) {
    c.latest.push_back((*all)[i]);
  }
  for (std::size_t i = 0; i < all->size() && c.bodies.size() < 64; i += all->size() / 64 + 1) {
    c.bodies.push_back((*all)[i].body_html);
  }
  std::fprintf(stderr, "newsdesk_micro: %zu public items in %s\n", c.slugs.size(),
               c.database_url.c_str());
  return c;
}

struct Holder {
  Corpus corpus = make_corpus();
  ~Holder() {
    corpus.pages.reset();
    corpus.feeds.reset();
    corpus.news.reset();
    corpus.store.reset();
    if (!corpus.temp_path.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(corpus.temp_path, ec);
    }
  }
};

}  // namespace

std::string generated_title(unsigned n) {
  std::mt19937 rng(n * 2654435761u + 1u);
  const std::string p(pick(rng, kProjects));
  const std::string place(pick(rng, kPlaces));
  const std::string topic(pick(rng, kTopics));
  switch (between(rng, 0, 3)) {
    case 0:
      return p + " " + std::string(pick(rng, kEvents)) + " “" + topic + " in " + place +
             " – the state of play and the way forward”";
    case 1:
      return std::to_string(between(rng, 2, 12)) + "th phase of " + p + " extended for " +
             std::to_string(between(rng, 1, 4) * 6) + " months";
    case 2:
      return "Launch of new Migrant Resource Centre – an innovative approach to " + topic + " in " +
             place;
    default:
      return "ICMPD's Director General visits " + place + " for talks on " + topic;
  }
}

std::string generated_body(unsigned n) {
  std::mt19937 rng(n * 40503u + 3u);
  std::string html;
  const int paragraphs = between(rng, 3, 8);
  for (int i = 0; i < paragraphs; ++i) {
    if (!html.empty()) html += "\n";
    html += "<p>";
    const int sentences = between(rng, 2, 5);
    for (int s = 0; s < sentences; ++s) {
      if (s > 0) html += " ";
      html += sentence(rng);
    }
    html += "</p>";
    if (between(rng, 0, 99) < 8) {
      html += "\n<ul>";
      for (int k = between(rng, 2, 6); k > 0; --k) {
        html += "<li>" + std::string(pick(rng, kTopics)) + " in " +
                std::string(pick(rng, kPlaces)) + "</li>";
      }
      html += "</ul>";
    }
    if (html.size() > 5000) break;
  }
  while (html.size() < 1000) html += "\n<p>" + sentence(rng) + " " + sentence(rng) + "</p>";
  if (between(rng, 0, 9) < 3) {
    html +=
        "\n<p>For more information please contact <a href=\"mailto:press@icmpd.org\">"
        "press@icmpd.org</a>.</p>";
  }
  return html;
}

Corpus& corpus() {
  static Holder holder;
  return holder.corpus;
}

}  // namespace newsdesk::bench
