#include "http/api.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "http/multipart.h"
#include "http/query.h"
#include "http/respond.h"
#include "model/permalink.h"
#include "text/date.h"

namespace newsdesk::http {

namespace {

using nlohmann::json;

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kProblem = "application/problem+json";
constexpr std::string_view kPrefix = "/api/v1/news";

Response json_response(beast_http::status status, const json& body) {
  Response res = respond::with_body(
      status, kJson, body.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
  res.set(beast_http::field::cache_control, "no-store");
  return res;
}

// RFC 9457 problem details; the title is the status's reason phrase.
Response problem(beast_http::status status, std::string_view detail) {
  json body{{"type", "about:blank"},
            {"title", std::string(beast_http::obsolete_reason(status))},
            {"status", static_cast<int>(status)},
            {"detail", std::string(detail)}};
  Response res = respond::with_body(
      status, kProblem, body.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
  res.set(beast_http::field::cache_control, "no-store");
  if (status == beast_http::status::unauthorized) {
    res.set(beast_http::field::www_authenticate, "Bearer realm=\"newsdesk\"");
  }
  return res;
}

Response failure(const Error& error) {
  const auto status = respond::status_for(error.code);
  if (status == beast_http::status::internal_server_error) {
    spdlog::error("api: {}", error.message);
    return problem(status, "internal error");
  }
  return problem(status, error.message);
}

std::string rfc3339(const model::Site& site, std::int64_t t) {
  auto zoned = text::in_time_zone(site.time_zone, t);
  return text::format_rfc3339(zoned ? *zoned : model::DateTime{t, 0});
}

json item_json(const ApiDeps& deps, const model::Item& item) {
  json categories = json::array();
  for (const auto& c : item.categories) categories.push_back(c.name);
  json links = json::array();
  for (const auto& l : item.related_links) links.push_back({{"title", l.title}, {"url", l.url}});
  json attachments = json::array();
  for (const auto& a : item.attachments) {
    attachments.push_back({{"id", a.id},
                           {"name", a.name},
                           {"url", a.url},
                           {"type", a.media_type},
                           {"length", a.length}});
  }
  json out{
      {"id", item.id},
      {"guid", item.guid},
      {"slug", item.slug},
      {"url", model::item_url(deps.site, item)},
      {"title", item.title},
      {"teaser", item.teaser},
      {"body_html", item.body_html},
      {"language", item.language.empty() ? deps.site.language : item.language},
      {"translation_of", item.translation_of != 0 ? json(item.translation_of) : json()},
      {"status", service::public_status(item, deps.clock())},
      {"published_at", item.published_at ? json(text::format_rfc3339(*item.published_at)) : json()},
      {"updated_at", text::format_rfc3339(item.updated_at)},
      {"categories", categories},
      {"embargo", item.embargoed},
      {"expires_at", item.expires_at ? json(rfc3339(deps.site, *item.expires_at)) : json()},
      {"expiry_action", item.archive_on_expiry ? "archive" : "take_down"},
      {"lead_image", item.lead_image
                         ? json{{"url", item.lead_image->url}, {"alt", item.lead_image->alt}}
                         : json()},
      {"related_links", links},
      {"attachments", attachments},
      {"contact",
       {{"name", item.contact.name}, {"email", item.contact.email}, {"phone", item.contact.phone}}},
      {"review_requested", item.review_requested},
  };
  return out;
}

// Every member of an item's translation group, the item included, in the
// order of the site's languages; [] for an item without translations.
json translations_json(const ApiDeps& deps, const service::TranslationGroup& group) {
  json out = json::array();
  if (group.members < 2) return out;
  for (const service::TranslationSlot& slot : group.slots) {
    if (!slot.item) continue;
    const model::Item& m = *slot.item;
    out.push_back({{"id", m.id},
                   {"language", m.language.empty() ? deps.site.language : m.language},
                   {"slug", m.slug},
                   {"status", service::public_status(m, deps.clock())},
                   {"original", slot.original},
                   {"outdated", slot.outdated}});
  }
  return out;
}

// Reads the request body into NewsInput, strictly: an unknown field or a
// wrong type is a 400 naming it, so typos do not pass silently.
Result<service::NewsInput> parse_input(std::string_view body) {
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return make_error(ErrorCode::kInvalid, "api: the body is not JSON");
  if (!doc.is_object()) return make_error(ErrorCode::kInvalid, "api: the body must be an object");
  service::NewsInput in;
  auto bad = [](const std::string& key, std::string_view want) {
    return make_error(ErrorCode::kInvalid, "api: '" + key + "' must be " + std::string(want));
  };
  auto time_of = [&](const std::string& key, const json& v) -> Result<std::int64_t> {
    if (!v.is_string()) return bad(key, "an RFC 3339 date-time string");
    auto t = text::parse_rfc3339(v.get<std::string>());
    if (!t) return bad(key, "an RFC 3339 date-time string");
    return t->epoch_seconds;
  };
  for (const auto& [key, v] : doc.items()) {
    if (key == "title" || key == "slug" || key == "teaser" || key == "body_markdown" ||
        key == "body_html" || key == "language" || key == "status") {
      if (!v.is_string()) return bad(key, "a string");
      std::string s = v.get<std::string>();
      if (key == "title") in.title = std::move(s);
      if (key == "slug") in.slug = std::move(s);
      if (key == "teaser") in.teaser = std::move(s);
      if (key == "body_markdown") in.body_markdown = std::move(s);
      if (key == "body_html") in.body_html = std::move(s);
      if (key == "language") in.language = std::move(s);
      if (key == "status") in.status = std::move(s);
    } else if (key == "translation_of") {
      // null (or 0): not a translation; an id: a translation of that item.
      if (v.is_null()) {
        in.translation_of = 0;
      } else if (v.is_number_integer() && v.get<std::int64_t>() >= 0) {
        in.translation_of = v.get<std::int64_t>();
      } else {
        return bad(key, "the id of the item translated, or null");
      }
    } else if (key == "categories") {
      if (!v.is_array()) return bad(key, "an array of names");
      std::vector<std::string> names;
      for (const json& n : v) {
        if (!n.is_string()) return bad(key, "an array of names");
        names.push_back(n.get<std::string>());
      }
      in.categories = std::move(names);
    } else if (key == "publish_at") {
      auto t = time_of(key, v);
      if (!t) return t.error();
      in.publish_at = *t;
    } else if (key == "expires_at") {
      if (v.is_null()) {
        in.expires_at = std::optional<std::int64_t>();
      } else {
        auto t = time_of(key, v);
        if (!t) return t.error();
        in.expires_at = std::optional<std::int64_t>(*t);
      }
    } else if (key == "expiry_action") {
      if (!v.is_string() || (v != "take_down" && v != "archive")) {
        return bad(key, "\"take_down\" or \"archive\"");
      }
      in.archive_on_expiry = v == "archive";
    } else if (key == "embargo" || key == "review_requested") {
      if (!v.is_boolean()) return bad(key, "true or false");
      (key == "embargo" ? in.embargo : in.review_requested) = v.get<bool>();
    } else if (key == "lead_image") {
      if (v.is_null()) {
        in.lead_image = std::optional<model::LeadImage>();
      } else if (v.is_object() && v.contains("url") && v["url"].is_string() &&
                 v.value("alt", json("")).is_string()) {
        in.lead_image = std::optional<model::LeadImage>(
            model::LeadImage{v["url"].get<std::string>(), v.value("alt", std::string())});
      } else {
        return bad(key, "{\"url\": ..., \"alt\": ...} or null");
      }
    } else if (key == "related_links") {
      if (!v.is_array()) return bad(key, "an array of {\"title\", \"url\"}");
      std::vector<model::RelatedLink> links;
      for (const json& l : v) {
        if (!l.is_object() || !l.contains("url") || !l["url"].is_string() ||
            !l.value("title", json("")).is_string()) {
          return bad(key, "an array of {\"title\", \"url\"}");
        }
        links.push_back(
            model::RelatedLink{l.value("title", std::string()), l["url"].get<std::string>()});
      }
      in.related_links = std::move(links);
    } else if (key == "contact") {
      if (!v.is_object()) return bad(key, "{\"name\", \"email\", \"phone\"}");
      model::MediaContact c;
      for (const auto& [field, value] : v.items()) {
        if (!value.is_string()) return bad("contact." + field, "a string");
        if (field == "name")
          c.name = value.get<std::string>();
        else if (field == "email")
          c.email = value.get<std::string>();
        else if (field == "phone")
          c.phone = value.get<std::string>();
        else
          return make_error(ErrorCode::kInvalid, "api: unknown field 'contact." + field + "'");
      }
      in.contact = std::move(c);
    } else {
      return make_error(ErrorCode::kInvalid, "api: unknown field '" + key + "'");
    }
  }
  return in;
}

std::optional<std::int64_t> parse_id(std::string_view digits) {
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  std::int64_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

Result<service::Authenticated> authenticate(const ApiDeps& deps, const Request& req) {
  const std::string_view header = req[beast_http::field::authorization];
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || !header.starts_with(kBearer)) {
    return make_error(ErrorCode::kUnauthorized, "api: send Authorization: Bearer <token>");
  }
  return deps.accounts.authenticate_token(header.substr(kBearer.size()));
}

Response list(const ApiDeps& deps, const Request& req, const model::User& user) {
  service::NewsListQuery query;
  query.status = query_param(req.target(), "status");
  if (query.status && query.status->empty()) query.status.reset();
  query.category_slug = query_param(req.target(), "category").value_or("");
  query.language = query_param(req.target(), "language").value_or("");
  query.text = query_param(req.target(), "q").value_or("");
  if (auto page = query_param(req.target(), "page")) {
    auto n = parse_page_number(*page);
    if (!n) return problem(beast_http::status::bad_request, "api: page must be a number from 1");
    query.page = *n;
  }
  auto result = deps.editorial.list(user, query);
  if (!result) return failure(result.error());
  json items = json::array();
  for (const auto& item : result->items) items.push_back(item_json(deps, item));
  return json_response(beast_http::status::ok, json{{"items", items},
                                                    {"total", result->total},
                                                    {"page", query.page},
                                                    {"per_page", query.per_page}});
}

Response one(const ApiDeps& deps, const Request& req, const model::User& user, std::int64_t id) {
  switch (req.method()) {
    case beast_http::verb::get:
    case beast_http::verb::head: {
      auto item = deps.editorial.get(user, id);
      if (!item) return failure(item.error());
      auto group = deps.editorial.translations(user, id);
      if (!group) return failure(group.error());
      json out = item_json(deps, *item);
      out["translations"] = translations_json(deps, *group);
      return json_response(beast_http::status::ok, out);
    }
    case beast_http::verb::put:
    case beast_http::verb::patch: {
      auto input = parse_input(req.body());
      if (!input) return failure(input.error());
      auto item = deps.editorial.update(user, id, *input,
                                        /*partial=*/req.method() == beast_http::verb::patch);
      if (!item) return failure(item.error());
      deps.watcher.notify_local_change();
      return json_response(beast_http::status::ok, item_json(deps, *item));
    }
    case beast_http::verb::delete_: {
      auto r = deps.editorial.remove(user, id);
      if (!r) return failure(r.error());
      deps.watcher.notify_local_change();
      Response res{beast_http::status::no_content, req.version()};
      res.set(beast_http::field::cache_control, "no-store");
      return res;
    }
    default: {
      Response res = problem(beast_http::status::method_not_allowed, "api: method not allowed");
      res.set(beast_http::field::allow, "GET, HEAD, PUT, PATCH, DELETE");
      return res;
    }
  }
}

Response revisions(const ApiDeps& deps, const model::User& user, std::int64_t id) {
  auto all = deps.editorial.revisions(user, id);
  if (!all) return failure(all.error());
  json out = json::array();
  for (const auto& r : *all) {
    out.push_back({{"id", r.id},
                   {"saved_at", rfc3339(deps.site, r.saved_at)},
                   {"user_id", r.user_id == 0 ? json() : json(r.user_id)},
                   {"item", json::parse(r.snapshot, nullptr, false)}});
  }
  return json_response(beast_http::status::ok, json{{"revisions", out}});
}

// POST /api/v1/news/{id}/attachments: multipart/form-data with a "file"
// part (curl -F file=@release.pdf).
Response upload(const ApiDeps& deps, const Request& req, const model::User& user, std::int64_t id) {
  const std::string boundary = multipart_boundary(req[beast_http::field::content_type]);
  if (boundary.empty()) {
    return problem(beast_http::status::unsupported_media_type,
                   "api: send the file as multipart/form-data in a part named 'file'");
  }
  auto parts = parse_multipart(req.body(), boundary);
  if (!parts) return failure(parts.error());
  const FormPart* file = nullptr;
  for (const FormPart& part : *parts) {
    if (part.name == "file") file = &part;
  }
  if (file == nullptr) return problem(beast_http::status::bad_request, "api: no part named 'file'");
  auto added =
      deps.editorial.add_attachment(user, id, file->filename, file->content_type, file->body);
  if (!added) return failure(added.error());
  deps.watcher.notify_local_change();
  Response res = json_response(beast_http::status::created, json{{"id", added->id},
                                                                 {"name", added->name},
                                                                 {"type", added->media_type},
                                                                 {"length", added->length},
                                                                 {"url", added->url}});
  res.set(beast_http::field::location, added->url);
  return res;
}

// POST /api/v1/news/{id}/translations {"language": "fr"}: a new draft
// translation copied from item {id}.
Response translate(const ApiDeps& deps, const Request& req, const model::User& user,
                   std::int64_t id) {
  const json doc = json::parse(req.body(), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("language") || !doc["language"].is_string()) {
    return problem(beast_http::status::bad_request,
                   "api: send {\"language\": \"<a language the site serves>\"}");
  }
  for (const auto& [key, v] : doc.items()) {
    if (key != "language") {
      return problem(beast_http::status::bad_request, "api: unknown field '" + key + "'");
    }
  }
  auto item = deps.editorial.create_translation(user, id, doc["language"].get<std::string>());
  if (!item) return failure(item.error());
  deps.watcher.notify_local_change();
  Response res = json_response(beast_http::status::created, item_json(deps, *item));
  res.set(beast_http::field::location, std::string(kPrefix) + "/" + std::to_string(item->id));
  return res;
}

Response dispatch(const ApiDeps& deps, const Request& req) {
  const std::string_view path = path_of(req.target());
  if (path == "/api/v1/openapi.json") {
    if (req.method() != beast_http::verb::get && req.method() != beast_http::verb::head) {
      return problem(beast_http::status::method_not_allowed, "api: method not allowed");
    }
    return respond::ok(kJson, std::string(openapi_json()));
  }
  const bool categories = path == "/api/v1/categories";
  if (!path.starts_with(kPrefix) && !categories) {
    return problem(beast_http::status::not_found, "api: no such resource");
  }
  auto who = authenticate(deps, req);
  if (!who) return failure(who.error());
  const model::User& user = who->user;
  if (categories) {
    if (req.method() != beast_http::verb::get && req.method() != beast_http::verb::head) {
      return problem(beast_http::status::method_not_allowed, "api: method not allowed");
    }
    auto all = deps.editorial.categories();
    if (!all) return failure(all.error());
    json out = json::array();
    for (const auto& c : *all) out.push_back({{"slug", c.slug}, {"name", c.name}});
    return json_response(beast_http::status::ok, json{{"categories", out}});
  }

  std::string_view rest = path.substr(kPrefix.size());
  if (rest.empty() || rest == "/") {
    if (req.method() == beast_http::verb::get || req.method() == beast_http::verb::head) {
      return list(deps, req, user);
    }
    if (req.method() == beast_http::verb::post) {
      auto input = parse_input(req.body());
      if (!input) return failure(input.error());
      auto item = deps.editorial.create(user, *input);
      if (!item) return failure(item.error());
      deps.watcher.notify_local_change();
      Response res = json_response(beast_http::status::created, item_json(deps, *item));
      res.set(beast_http::field::location, std::string(kPrefix) + "/" + std::to_string(item->id));
      return res;
    }
    Response res = problem(beast_http::status::method_not_allowed, "api: method not allowed");
    res.set(beast_http::field::allow, "GET, HEAD, POST");
    return res;
  }
  rest.remove_prefix(1);  // '/'
  const auto slash = rest.find('/');
  auto id = parse_id(rest.substr(0, slash));
  if (!id) return problem(beast_http::status::not_found, "api: no such resource");
  if (slash == std::string_view::npos) return one(deps, req, user, *id);
  const std::string_view sub = rest.substr(slash);
  if (sub == "/attachments") {
    if (req.method() != beast_http::verb::post) {
      Response res = problem(beast_http::status::method_not_allowed, "api: method not allowed");
      res.set(beast_http::field::allow, "POST");
      return res;
    }
    return upload(deps, req, user, *id);
  }
  if (sub == "/translations") {
    if (req.method() != beast_http::verb::post) {
      Response res = problem(beast_http::status::method_not_allowed, "api: method not allowed");
      res.set(beast_http::field::allow, "POST");
      return res;
    }
    return translate(deps, req, user, *id);
  }
  if (sub == "/revisions" &&
      (req.method() == beast_http::verb::get || req.method() == beast_http::verb::head)) {
    return revisions(deps, user, *id);
  }
  constexpr std::string_view kRevisions = "/revisions/";
  constexpr std::string_view kRestore = "/restore";
  if (sub.starts_with(kRevisions) && sub.ends_with(kRestore) &&
      req.method() == beast_http::verb::post) {
    auto revision =
        parse_id(sub.substr(kRevisions.size(), sub.size() - kRevisions.size() - kRestore.size()));
    if (!revision) return problem(beast_http::status::not_found, "api: no such resource");
    auto item = deps.editorial.restore(user, *id, *revision);
    if (!item) return failure(item.error());
    deps.watcher.notify_local_change();
    return json_response(beast_http::status::ok, item_json(deps, *item));
  }
  return problem(beast_http::status::not_found, "api: no such resource");
}

}  // namespace

const std::vector<std::string>& api_routes() {
  static const std::vector<std::string> routes = {
      "GET /api/v1/openapi.json",
      "GET /api/v1/categories",
      "GET /api/v1/news",
      "POST /api/v1/news",
      "GET /api/v1/news/{id}",
      "PUT /api/v1/news/{id}",
      "PATCH /api/v1/news/{id}",
      "DELETE /api/v1/news/{id}",
      "POST /api/v1/news/{id}/attachments",
      "POST /api/v1/news/{id}/translations",
      "GET /api/v1/news/{id}/revisions",
      "POST /api/v1/news/{id}/revisions/{revision}/restore",
  };
  return routes;
}

std::size_t body_limit_for(beast_http::verb method, std::string_view target,
                           const BodyLimits& limits) {
  const std::string_view path = path_of(target);
  if (method == beast_http::verb::post && path.ends_with("/attachments") &&
      (path.starts_with("/api/v1/news/") || path.starts_with("/admin/news/"))) {
    return limits.upload + kMultipartFraming;
  }
  return limits.body;
}

Handler make_api_handler(ApiDeps deps) {
  return [deps](const Request& req) { return dispatch(deps, req); };
}

}  // namespace newsdesk::http
