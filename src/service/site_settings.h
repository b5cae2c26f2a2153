// The part of the site an admin may change from the browser: title,
// description, language, time zone and feed size. The configuration file
// gives the starting values; what an admin saves is kept in the store's
// settings and wins over the file, so every instance on one database agrees.
#pragma once

#include <string>

#include "core/result.h"
#include "model/site.h"
#include "store/store.h"

namespace newsdesk::service {

struct SiteSettings {
  std::string title;
  std::string description;
  std::string language;   // BCP 47
  std::string time_zone;  // IANA
  int feed_items = 20;    // 1-1000

  friend bool operator==(const SiteSettings&, const SiteSettings&) = default;
};

// The editable fields of a site.
SiteSettings settings_of(const model::Site& site);

// `base` with what the store's settings override. Errors: the store's;
// a stored value that no longer validates is ignored with a warning, so a
// bad row cannot take the site down.
Result<model::Site> effective_site(store::Store& store, const model::Site& base);

// Checks every field and says which is wrong (kInvalid, naming the field);
// whitespace around text is trimmed in the result.
Result<SiteSettings> validate_site_settings(SiteSettings settings);

// Validates, then stores every field in one transaction.
Result<void> save_site_settings(store::Store& store, const SiteSettings& settings);

}  // namespace newsdesk::service
