#include "support/html_check.h"

#include <gumbo.h>

namespace newsdesk::testing {

unsigned html_parse_errors(std::string_view html) {
  GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
  const unsigned errors = out->errors.length;
  gumbo_destroy_output(&kGumboDefaultOptions, out);
  return errors;
}

}  // namespace newsdesk::testing
