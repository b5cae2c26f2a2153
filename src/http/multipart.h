// multipart/form-data (RFC 7578) request bodies, as browsers and curl -F
// send file uploads. The whole body is in memory (the server bounds it).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace newsdesk::http {

struct FormPart {
  std::string name;          // the form field
  std::string filename;      // for files; "" otherwise
  std::string content_type;  // as the client said; "" when absent
  std::string_view body;     // points into the request body
};

// The boundary parameter of a multipart/form-data Content-Type; "" when the
// type is another or the parameter is missing or invalid (RFC 2046: 1-70
// characters).
std::string multipart_boundary(std::string_view content_type);

// Splits a body into its parts. Errors: kInvalid for a body that does not
// follow the format (missing boundaries, a part without headers, no final
// boundary), more than `max_parts` parts.
Result<std::vector<FormPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                              std::size_t max_parts = 16);

}  // namespace newsdesk::http
