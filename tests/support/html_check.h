// Parses HTML the way a browser does (gumbo, HTML5) and counts the parse
// errors: a page a theme renders must have none.
#pragma once

#include <string_view>

namespace newsdesk::testing {

// The number of HTML5 parse errors gumbo reports for the document.
unsigned html_parse_errors(std::string_view html);

}  // namespace newsdesk::testing
