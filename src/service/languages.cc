#include "service/languages.h"

#include "model/languages.h"

namespace newsdesk::service {

LanguageSites::LanguageSites(const model::Site& site, store::Store& store,
                             const render::Theme& theme, Clock clock,
                             std::function<std::uint64_t()> generation)
    : everything_(store, clock), whole_site_(site, theme, everything_, clock, generation) {
  for (const std::string& language : model::served_languages(site)) {
    sites_.push_back(std::make_unique<LanguageSite>(model::language_view(site, language),
                                                    everything_, theme, clock, generation));
  }
}

LanguageSite& LanguageSites::in(std::string_view language) {
  const std::string served = model::served_language(sites_.front()->site, language);
  for (const auto& s : sites_) {
    if (s->site.language == served) return *s;
  }
  return *sites_.front();
}

}  // namespace newsdesk::service
