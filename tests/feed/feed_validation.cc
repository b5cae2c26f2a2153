#include "feed/feed_validation.h"

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string_view>
#include <vector>

#include "text/date.h"

namespace newsdesk::testing {

namespace {

constexpr const char* kAtomNs = "http://www.w3.org/2005/Atom";

struct DocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
struct SchemaFree {
  void operator()(xmlRelaxNG* schema) const { xmlRelaxNGFree(schema); }
};
struct SchemaParserFree {
  void operator()(xmlRelaxNGParserCtxt* ctxt) const { xmlRelaxNGFreeParserCtxt(ctxt); }
};
struct ValidCtxtFree {
  void operator()(xmlRelaxNGValidCtxt* ctxt) const { xmlRelaxNGFreeValidCtxt(ctxt); }
};
struct XPathCtxtFree {
  void operator()(xmlXPathContext* ctxt) const { xmlXPathFreeContext(ctxt); }
};
struct XPathObjectFree {
  void operator()(xmlXPathObject* object) const { xmlXPathFreeObject(object); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

// Collects libxml2's structured errors as "line N: message" lines. A
// template so it matches xmlStructuredErrorFunc whether the error pointer is
// const (libxml2 >= 2.12) or not (Debian 12's 2.9.14).
template <typename XmlError>
void collect_error(void* errors, XmlError* error) {
  auto& out = *static_cast<std::string*>(errors);
  // Validity errors carry the node rather than the line.
  long line = error->line;
  if (line == 0 && error->node != nullptr) line = xmlGetLineNo(static_cast<xmlNode*>(error->node));
  out += "line " + std::to_string(line) + ": ";
  std::string message = error->message ? error->message : "unknown error";
  while (!message.empty() && message.back() == '\n') message.pop_back();
  out += message + "\n";
}

// Parses without network access or entity substitution; parse errors go to
// *errors.
DocPtr parse_xml(const std::string& xml, std::string* errors) {
  xmlSetStructuredErrorFunc(errors, collect_error);
  DocPtr doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "feed.xml", nullptr,
                           XML_PARSE_NONET));
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  if (!doc && errors->empty()) *errors = "not well-formed XML\n";
  return doc;
}

std::string_view name_of(const xmlNode* node) { return reinterpret_cast<const char*>(node->name); }

bool in_namespace(const xmlNode* node, const char* ns) {
  if (ns == nullptr) return node->ns == nullptr;
  return node->ns != nullptr &&
         std::string_view(reinterpret_cast<const char*>(node->ns->href)) == std::string_view(ns);
}

// Element children of parent named name in namespace ns (nullptr: none).
std::vector<xmlNode*> children(xmlNode* parent, std::string_view name, const char* ns = nullptr) {
  std::vector<xmlNode*> out;
  for (xmlNode* c = parent->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && name_of(c) == name && in_namespace(c, ns)) out.push_back(c);
  }
  return out;
}

std::string text_of(xmlNode* node) {
  xmlChar* content = xmlNodeGetContent(node);
  std::string out = content ? reinterpret_cast<const char*>(content) : "";
  xmlFree(content);
  return out;
}

std::optional<std::string> attribute_of(xmlNode* node, const char* name) {
  xmlChar* value = xmlGetNoNsProp(node, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) return std::nullopt;
  std::string out = reinterpret_cast<const char*>(value);
  xmlFree(value);
  return out;
}

std::string trimmed(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

std::string at_line(const xmlNode* node) { return "line " + std::to_string(node->line) + ": "; }

// RFC 3339 section 5.6 date-time: full-date "T" full-time with a required
// offset ("Z" or +hh:mm). Section 5.6 lets "T" and "Z" be lowercase; RFC 4287
// section 3.3 does not (uppercase_only). parse_rfc3339 is lenient (date-only,
// no offset), so the shape is checked first.
bool is_rfc3339_date_time(const std::string& s, bool uppercase_only) {
  static const std::regex kUpper(
      R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))");
  static const std::regex kAnyCase(
      R"(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2}))");
  return std::regex_match(s, uppercase_only ? kUpper : kAnyCase) &&
         text::parse_rfc3339(s).has_value();
}

// RFC 822 section 5 as RSS uses it, with the 4-digit year of RFC 2822 and
// without the named zones other than GMT that the W3C validator rejects
// (InvalidRFC2822Date: "UTC" is no RFC 822 zone).
bool is_rss_date(const std::string& s) {
  static const std::regex kShape(R"(((Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} )"
                                 R"((Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} )"
                                 R"(\d{2}:\d{2}(:\d{2})? ([+-]\d{4}|GMT))");
  return std::regex_match(s, kShape) && text::parse_rfc822(s).has_value();
}

// The schema is data from RFC 4287; loaded once and shared, as libxml2
// allows concurrent validations against one parsed schema.
const xmlRelaxNG* atom_schema(std::string* error) {
  static const std::string kPath = std::string(NEWSDESK_SOURCE_DIR) + "/tests/testdata/atom.rng";
  static std::string load_errors;
  static const std::unique_ptr<xmlRelaxNG, SchemaFree> schema = [] {
    std::unique_ptr<xmlRelaxNGParserCtxt, SchemaParserFree> parser(
        xmlRelaxNGNewParserCtxt(kPath.c_str()));
    if (!parser) return std::unique_ptr<xmlRelaxNG, SchemaFree>();
    xmlRelaxNGSetParserStructuredErrors(parser.get(), collect_error, &load_errors);
    return std::unique_ptr<xmlRelaxNG, SchemaFree>(xmlRelaxNGParse(parser.get()));
  }();
  if (!schema) *error = "cannot load " + kPath + ": " + load_errors;
  return schema.get();
}

bool xpath_true(xmlXPathContext* ctxt, xmlNode* node, const char* expression) {
  std::unique_ptr<xmlXPathObject, XPathObjectFree> result(
      xmlXPathNodeEval(node, reinterpret_cast<const xmlChar*>(expression), ctxt));
  return result && xmlXPathCastToBoolean(result.get()) != 0;
}

// The s:rule annotations of Appendix B, which RELAX NG validators skip.
void check_atom_schematron(xmlDoc* doc, std::string& errors) {
  std::unique_ptr<xmlXPathContext, XPathCtxtFree> ctxt(xmlXPathNewContext(doc));
  xmlXPathRegisterNs(ctxt.get(), reinterpret_cast<const xmlChar*>("atom"),
                     reinterpret_cast<const xmlChar*>(kAtomNs));
  xmlNode* root = xmlDocGetRootElement(doc);
  std::vector<xmlNode*> entries;
  if (name_of(root) == "feed" && in_namespace(root, kAtomNs)) {
    if (!xpath_true(ctxt.get(), root, "atom:author or not(atom:entry[not(atom:author)])")) {
      errors += at_line(root) +
                "An atom:feed must have an atom:author unless all of its atom:entry children "
                "have an atom:author.\n";
    }
    entries = children(root, "entry", kAtomNs);
  } else if (name_of(root) == "entry" && in_namespace(root, kAtomNs)) {
    entries.push_back(root);
  }
  for (xmlNode* entry : entries) {
    if (!xpath_true(ctxt.get(), entry,
                    "atom:link[@rel='alternate'] or atom:link[not(@rel)] or atom:content")) {
      errors += at_line(entry) +
                "An atom:entry must have at least one atom:link element with a rel attribute "
                "of 'alternate' or an atom:content.\n";
    }
    if (!xpath_true(ctxt.get(), entry,
                    "atom:author or ../atom:author or atom:source/atom:author")) {
      errors += at_line(entry) + "An atom:entry must have an atom:author if its feed does not.\n";
    }
  }
}

void check_atom_dates(xmlNode* node, std::string& errors) {
  for (xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (in_namespace(c, kAtomNs) && (name_of(c) == "updated" || name_of(c) == "published")) {
      const std::string value = trimmed(text_of(c));
      if (!is_rfc3339_date_time(value, /*uppercase_only=*/true)) {
        errors += at_line(c) + "atom:" + std::string(name_of(c)) + " \"" + value +
                  "\" is no RFC 3339 date-time\n";
      }
    }
    check_atom_dates(c, errors);
  }
}

void check_rss_date(xmlNode* node, std::string& errors) {
  const std::string value = trimmed(text_of(node));
  if (!is_rss_date(value)) {
    errors += at_line(node) + std::string(name_of(node)) + " \"" + value +
              "\" is no RFC 822 date with a 4-digit year and a numeric zone or GMT\n";
  }
}

void check_rss_item(xmlNode* item, std::string& errors) {
  if (children(item, "title").empty() && children(item, "description").empty()) {
    errors += at_line(item) + "item has neither title nor description\n";
  }
  for (xmlNode* guid : children(item, "guid")) {
    const std::string value = trimmed(text_of(guid));
    const bool is_url = value.starts_with("http://") || value.starts_with("https://");
    if (attribute_of(guid, "isPermaLink").value_or("true") != "false" && !is_url) {
      errors +=
          at_line(guid) + "guid \"" + value + "\" is no URL but lacks isPermaLink=\"false\"\n";
    }
  }
  const std::vector<xmlNode*> enclosures = children(item, "enclosure");
  if (enclosures.size() > 1) errors += at_line(item) + "item has more than one enclosure\n";
  for (xmlNode* enclosure : enclosures) {
    for (const char* required : {"url", "length", "type"}) {
      if (!attribute_of(enclosure, required)) {
        errors += at_line(enclosure) + "enclosure lacks " + required + "\n";
      }
    }
  }
  for (xmlNode* date : children(item, "pubDate")) check_rss_date(date, errors);
}

bool is_string(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string();
}

// Optional members must have the right type when present.
void check_optional_string(const nlohmann::json& object, const char* key, const std::string& where,
                           std::string& errors) {
  if (object.contains(key) && !object[key].is_string()) {
    errors += where + key + " is not a string\n";
  }
}

void check_json_date(const nlohmann::json& object, const char* key, const std::string& where,
                     std::string& errors) {
  if (!object.contains(key)) return;
  if (!object[key].is_string() ||
      !is_rfc3339_date_time(object[key].get<std::string>(), /*uppercase_only=*/false)) {
    errors += where + key + " is no RFC 3339 date-time\n";
  }
}

void check_json_item(const nlohmann::json& item, const std::string& where, std::string& errors) {
  if (!item.is_object()) {
    errors += where + "is not an object\n";
    return;
  }
  if (!is_string(item, "id") || item["id"].get<std::string>().empty()) {
    errors += where + "id is missing or not a non-empty string\n";
  }
  if (!is_string(item, "content_html") && !is_string(item, "content_text")) {
    errors += where + "has neither content_html nor content_text\n";
  }
  for (const char* key : {"url", "external_url", "title", "content_html", "content_text", "summary",
                          "image", "banner_image", "language"}) {
    check_optional_string(item, key, where, errors);
  }
  check_json_date(item, "date_published", where, errors);
  check_json_date(item, "date_modified", where, errors);
  if (item.contains("tags")) {
    const auto& tags = item["tags"];
    bool ok = tags.is_array();
    for (const auto& tag : tags) ok = ok && tag.is_string();
    if (!ok) errors += where + "tags is not an array of strings\n";
  }
  if (item.contains("attachments")) {
    const auto& attachments = item["attachments"];
    if (!attachments.is_array()) {
      errors += where + "attachments is not an array\n";
      return;
    }
    for (std::size_t i = 0; i < attachments.size(); ++i) {
      const auto& a = attachments[i];
      const std::string at = where + "attachments[" + std::to_string(i) + "] ";
      if (!a.is_object()) {
        errors += at + "is not an object\n";
        continue;
      }
      if (!is_string(a, "url")) errors += at + "lacks url\n";
      if (!is_string(a, "mime_type")) errors += at + "lacks mime_type\n";
      check_optional_string(a, "title", at, errors);
      for (const char* key : {"size_in_bytes", "duration_in_seconds"}) {
        if (a.contains(key) && !a[key].is_number()) errors += at + key + " is not a number\n";
      }
    }
  }
}

}  // namespace

std::string atom_schema_errors(const std::string& xml) {
  std::string errors;
  DocPtr doc = parse_xml(xml, &errors);
  if (!doc) return errors;
  const xmlRelaxNG* schema = atom_schema(&errors);
  if (schema == nullptr) return errors;
  std::unique_ptr<xmlRelaxNGValidCtxt, ValidCtxtFree> ctxt(
      xmlRelaxNGNewValidCtxt(const_cast<xmlRelaxNG*>(schema)));
  xmlRelaxNGSetValidStructuredErrors(ctxt.get(), collect_error, &errors);
  const int rc = xmlRelaxNGValidateDoc(ctxt.get(), doc.get());
  if (rc != 0 && errors.empty()) errors = "does not match the RFC 4287 schema\n";
  check_atom_schematron(doc.get(), errors);
  check_atom_dates(xmlDocGetRootElement(doc.get()), errors);
  return errors;
}

std::string rss_errors(const std::string& xml) {
  std::string errors;
  DocPtr doc = parse_xml(xml, &errors);
  if (!doc) return errors;
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (name_of(root) != "rss" || !in_namespace(root, nullptr) ||
      attribute_of(root, "version").value_or("") != "2.0") {
    return at_line(root) + "root is not <rss version=\"2.0\">\n";
  }
  const std::vector<xmlNode*> channels = children(root, "channel");
  if (channels.size() != 1) return at_line(root) + "rss needs exactly one channel\n";
  xmlNode* channel = channels.front();
  for (const char* required : {"title", "link", "description"}) {
    if (children(channel, required).size() != 1) {
      errors += at_line(channel) + "channel needs exactly one " + required + "\n";
    }
  }
  bool has_self = false;
  for (xmlNode* link : children(channel, "link", kAtomNs)) {
    has_self = has_self || attribute_of(link, "rel").value_or("") == "self";
  }
  if (!has_self) errors += at_line(channel) + "channel lacks atom:link rel=\"self\"\n";
  for (const char* name : {"pubDate", "lastBuildDate"}) {
    for (xmlNode* date : children(channel, name)) check_rss_date(date, errors);
  }
  for (xmlNode* item : children(channel, "item")) check_rss_item(item, errors);
  return errors;
}

std::string json_feed_errors(const std::string& json) {
  const nlohmann::json feed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (feed.is_discarded()) return "not well-formed JSON\n";
  if (!feed.is_object()) return "the top level is not an object\n";
  std::string errors;
  if (!is_string(feed, "version") ||
      feed["version"].get<std::string>() != "https://jsonfeed.org/version/1.1") {
    errors += "version is not \"https://jsonfeed.org/version/1.1\"\n";
  }
  if (!is_string(feed, "title")) errors += "title is missing or not a string\n";
  for (const char* key : {"home_page_url", "feed_url"}) {
    if (!is_string(feed, key)) errors += std::string(key) + " is missing or not a string\n";
  }
  for (const char* key :
       {"description", "user_comment", "next_url", "icon", "favicon", "language"}) {
    check_optional_string(feed, key, "", errors);
  }
  if (is_string(feed, "next_url") && is_string(feed, "feed_url") &&
      feed["next_url"] == feed["feed_url"]) {
    errors += "next_url equals feed_url\n";
  }
  if (feed.contains("expired") && !feed["expired"].is_boolean()) {
    errors += "expired is not a boolean\n";
  }
  if (feed.contains("authors")) {
    bool ok = feed["authors"].is_array();
    for (const auto& author : feed["authors"]) ok = ok && author.is_object();
    if (!ok) errors += "authors is not an array of objects\n";
  }
  if (feed.contains("hubs")) {
    bool ok = feed["hubs"].is_array();
    for (const auto& hub : feed["hubs"]) {
      ok = ok && hub.is_object() && is_string(hub, "type") && is_string(hub, "url");
    }
    if (!ok) errors += "hubs is not an array of {type, url}\n";
  }
  if (!feed.contains("items") || !feed["items"].is_array()) {
    errors += "items is missing or not an array\n";
    return errors;
  }
  const auto& items = feed["items"];
  for (std::size_t i = 0; i < items.size(); ++i) {
    check_json_item(items[i], "items[" + std::to_string(i) + "] ", errors);
  }
  return errors;
}

}  // namespace newsdesk::testing
