// The XSLT stylesheet RSS and Atom feeds point browsers to (/feed.xsl), so
// a person who opens a feed sees a readable page instead of raw XML.
#pragma once

#include <string_view>

namespace newsdesk::render {

std::string_view feed_stylesheet();

}  // namespace newsdesk::render
