// Small string helpers shared by every writer. std only.
#pragma once

#include <string>
#include <string_view>

namespace newsdesk {

// Appends s with &, <, > and both quotes escaped: safe in XML and HTML text
// and in double- or single-quoted attribute values. C0 control characters
// other than tab, LF and CR are dropped: XML 1.0 forbids them, and one in an
// imported title would make a whole feed ill-formed.
void append_escaped(std::string& out, std::string_view s);
std::string escaped(std::string_view s);

// Appends `indent<name>escaped value</name>\n`: one line of an XML feed.
void append_element(std::string& out, std::string_view indent, std::string_view name,
                    std::string_view value);

// Appends s as the inside of a CDATA section, splitting any "]]>" so the
// section cannot be closed early; drops C0 controls as append_escaped does.
void append_cdata(std::string& out, std::string_view s);

// Collapses every run of ASCII whitespace to one space and trims both ends.
std::string collapse_whitespace(std::string_view s);

// Well-formed UTF-8 (RFC 3629): no overlong forms, surrogates, or code
// points past U+10FFFF. ASCII runs are checked a byte at a time, the rest
// by ICU's U8_NEXT.
bool is_utf8(std::string_view s);

}  // namespace newsdesk
