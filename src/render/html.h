// The plain HTML5 pages of the walking skeleton: home (latest news), a news
// item, and "not found". Pure functions of the model: no I/O.
#pragma once

#include <string>
#include <vector>

#include "model/item.h"
#include "model/site.h"

namespace newsdesk::render {

std::string home_page(const model::Site& site, const std::vector<model::Item>& items);
// A category's latest items; its feeds are linked for autodiscovery.
std::string category_page(const model::Site& site, const model::Category& category,
                          const std::vector<model::Item>& items);
std::string item_page(const model::Site& site, const model::Item& item);
std::string not_found_page(const model::Site& site);

// The XSLT stylesheet RSS and Atom feeds point browsers to (/feed.xsl), so
// a person who opens a feed sees a readable page instead of raw XML.
std::string_view feed_stylesheet();

// "4 July 2018" in the site's time zone (English month names for now).
std::string display_date(const model::Site& site, const model::DateTime& t);

}  // namespace newsdesk::render
