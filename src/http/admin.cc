#include "http/admin.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "http/multipart.h"
#include "http/query.h"
#include "http/respond.h"
#include "model/languages.h"
#include "model/permalink.h"
#include "model/permissions.h"
#include "render/pages.h"
#include "service/credentials.h"
#include "text/date.h"
#include "text/diff.h"

namespace newsdesk::http {

namespace {

using mstch::array;
using mstch::map;

constexpr int kPerPage = 25;

bool is_form(const Request& req) {
  return req[beast_http::field::content_type].starts_with("application/x-www-form-urlencoded");
}

Response text_response(beast_http::status status, std::string_view body) {
  Response res = respond::with_body(status, respond::kText, std::string(body) + "\n");
  res.set(beast_http::field::cache_control, "no-store");
  return res;
}

Response see_other(std::string_view location) {
  Response res = text_response(beast_http::status::see_other, "See " + std::string(location));
  res.set(beast_http::field::location, location);
  return res;
}

std::string session_cookie(const model::Site& site, std::string_view value, std::int64_t max_age) {
  std::string cookie = std::string(kSessionCookie) + "=" + std::string(value) +
                       "; Path=/admin; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age);
  if (site.base_url.starts_with("https://")) cookie += "; Secure";
  return cookie;
}

// "2026-11-27T14:30" in the site's zone, for <input type="datetime-local">.
std::string local_input(const model::Site& site, std::int64_t t) {
  auto zoned = text::in_time_zone(site.time_zone, t);
  const model::DateTime d = zoned ? *zoned : model::DateTime{t, 0};
  return text::format_rfc3339(d).substr(0, 16);
}

// The instant a datetime-local value means in the site's zone; nullopt for
// an empty or malformed value.
std::optional<std::int64_t> parse_local_input(const model::Site& site, std::string_view v) {
  if (v.size() < 16 || v[4] != '-' || v[7] != '-' || v[10] != 'T' || v[13] != ':') {
    return std::nullopt;
  }
  auto num = [&](std::size_t at, std::size_t n) -> int {
    int x = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (v[i] < '0' || v[i] > '9') return -1;
      x = x * 10 + (v[i] - '0');
    }
    return x;
  };
  const int y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59) return std::nullopt;
  auto midnight = text::start_of_day(site.time_zone, y, mo, d);
  if (!midnight) return std::nullopt;
  // Within the day, hours count from local midnight; a DST change that day
  // shifts times after it by the change, which the reader sees on saving.
  return *midnight + h * 3600 + mi * 60;
}

class Admin {
 public:
  Admin(const AdminDeps& deps, const Request& req)
      : deps_(deps), req_(req), form_query_(is_form(req) ? "?" + req.body() : std::string()) {}

  // A field of a urlencoded form body; "" when absent (or not a form).
  std::string form_value(std::string_view name) const {
    return query_param(form_query_, name).value_or("");
  }
  // The field when the form sent it, else `fallback`.
  std::string form_value_or(std::string_view name, const std::string& fallback) const {
    return query_param(form_query_, name).value_or(fallback);
  }

  Response dispatch() {
    const std::string path(path_of(req_.target()));
    const bool get =
        req_.method() == beast_http::verb::get || req_.method() == beast_http::verb::head;
    const bool post = req_.method() == beast_http::verb::post;
    if (path == "/admin/login") {
      if (get) return login_page("", "", beast_http::status::ok);
      if (post) return login();
      return not_allowed("GET, POST");
    }
    if (!get && !post) return not_allowed("GET, POST");
    if (!authenticate()) {
      if (get) return see_other("/admin/login");
      return text_response(beast_http::status::unauthorized, "Log in first.");
    }
    if (post) {
      // CSRF: a state-changing form must carry this session's token, in a
      // urlencoded form or in a part of a file upload.
      std::string csrf;
      if (is_form(req_)) {
        csrf = form_value("csrf");
      } else if (auto parts = multipart_parts()) {
        for (const FormPart& part : *parts) {
          if (part.name == "csrf") csrf = std::string(part.body);
        }
      }
      if (csrf.empty() || !service::constant_time_equal(csrf, who_->csrf_token)) {
        return text_response(beast_http::status::forbidden,
                             "The form has expired or did not come from this site; reload it.");
      }
    }
    if (path == "/admin" || path == "/admin/") return get ? list() : not_allowed("GET");
    if (path == "/admin/logout") return post ? logout() : not_allowed("POST");
    if (path == "/admin/settings") return settings(post);
    if (path == "/admin/preview") return post ? markdown_preview() : not_allowed("POST");
    if (path == "/admin/categories") return get ? categories("") : not_allowed("GET");
    if (path == "/admin/press") return press(post, std::nullopt);
    if (path.starts_with("/admin/press/") && path.ends_with("/revoke") && post) {
      auto id = parse_page_number(
          std::string_view(path).substr(13, path.size() - 13 - std::string_view("/revoke").size()));
      if (!id) return not_found();
      return press(false, *id);
    }
    if (path.starts_with("/admin/categories/") && post) {
      std::string_view rest = std::string_view(path).substr(18);
      const auto slash = rest.find('/');
      auto id = parse_page_number(rest.substr(0, slash));
      if (!id || slash == std::string_view::npos) return not_found();
      const std::string_view action = rest.substr(slash);
      Result<void> done =
          action == "/rename" ? deps_.editorial.rename_category(who_->user, *id, form_value("name"))
          : action == "/delete" ? deps_.editorial.delete_category(who_->user, *id)
                                : Result<void>(make_error(ErrorCode::kNotFound, "no such action"));
      if (!done) return failure(done.error());
      deps_.watcher.notify_local_change();
      return categories(action == "/rename" ? "Renamed." : "Deleted.");
    }
    if (path == "/admin/users") return post ? add_user() : users("", "", beast_http::status::ok);
    if (path.starts_with("/admin/users/") && path.ends_with("/delete") && post) {
      auto id = parse_page_number(
          std::string_view(path).substr(13, path.size() - 13 - std::string_view("/delete").size()));
      if (!id) return not_found();
      return delete_user(*id);
    }
    if (path == "/admin/news/new") return get ? editor(std::nullopt, "", {}) : not_allowed("GET");
    if (path == "/admin/news") return post ? save(std::nullopt) : not_allowed("POST");
    constexpr std::string_view kItem = "/admin/news/";
    if (path.starts_with(kItem)) {
      std::string_view rest = std::string_view(path).substr(kItem.size());
      const auto slash = rest.find('/');
      auto id = parse_page_number(rest.substr(0, slash));
      if (!id) return not_found();
      const std::string_view action = slash == std::string_view::npos ? "" : rest.substr(slash);
      if (action.empty()) {
        if (get) {
          auto item = deps_.editorial.get(who_->user, *id);
          if (!item) return failure(item.error());
          const std::string flash =
              !form_value_of_query("translated").empty()
                  ? "A draft translation, copied from the original: translate it, then save."
              : !form_value_of_query("saved").empty() ? "Saved."
                                                      : "";
          return editor(*item, flash, {});
        }
        return save(*id);
      }
      if (action == "/delete" && post) return remove(*id);
      if (action == "/attachments" && post) return upload(*id);
      if (action == "/translations" && post) return translate(*id);
      if (action == "/revisions" && get) return revisions(*id);
      constexpr std::string_view kRevisions = "/revisions/";
      constexpr std::string_view kRestore = "/restore";
      if (get && action.starts_with(kRevisions)) {
        auto revision = parse_page_number(action.substr(kRevisions.size()));
        if (!revision) return not_found();
        return revision_changes(*id, *revision);
      }
      if (post && action.starts_with(kRevisions) && action.ends_with(kRestore)) {
        auto revision = parse_page_number(
            action.substr(kRevisions.size(), action.size() - kRevisions.size() - kRestore.size()));
        if (!revision) return not_found();
        auto restored = deps_.editorial.restore(who_->user, *id, *revision);
        if (!restored) return failure(restored.error());
        deps_.watcher.notify_local_change();
        return see_other("/admin/news/" + std::to_string(*id) + "?saved=1");
      }
    }
    return not_found();
  }

 private:
  bool authenticate() {
    const std::string secret = cookie_value(req_[beast_http::field::cookie], kSessionCookie);
    if (secret.empty()) return false;
    auto who = deps_.accounts.authenticate_session(secret);
    if (!who) return false;
    who_ = std::move(*who);
    return true;
  }

  map base(const std::string& heading) const {
    map ctx{{"language", deps_.site.language},
            {"dir", std::string(render::text_direction(deps_.site.language))},
            {"site_title", deps_.site.title},
            {"heading", heading},
            {"stylesheet", deps_.theme.asset_url("style.css")},
            {"admin_stylesheet", deps_.theme.asset_url("admin.css")},
            {"admin_script", deps_.theme.asset_url("admin.js")},
            {"user", who_.has_value()}};
    if (who_) {
      ctx["user_name"] = who_->user.name;
      ctx["user_role"] = std::string(model::role_name(who_->user.role));
      ctx["csrf"] = who_->csrf_token;
      ctx["is_admin"] = model::may(who_->user.role, model::Action::kManageSettings);
      ctx["may_categories"] = model::may(who_->user.role, model::Action::kManageCategories);
    }
    return ctx;
  }

  Response page(std::string_view tmpl, map ctx,
                beast_http::status status = beast_http::status::ok) const {
    auto html = deps_.theme.render(tmpl, std::move(ctx), "admin");
    if (!html) {
      spdlog::error("admin: {}", html.error().message);
      return text_response(beast_http::status::internal_server_error, "Internal Server Error");
    }
    Response res = respond::with_body(status, respond::kHtml, std::move(*html));
    res.set(beast_http::field::cache_control, "no-store");
    respond::secure_html(res);
    return res;
  }

  Response not_allowed(std::string_view allow) const {
    Response res = text_response(beast_http::status::method_not_allowed, "Method Not Allowed");
    res.set(beast_http::field::allow, allow);
    return res;
  }

  Response not_found() const {
    map ctx = base("Not found");
    ctx["error"] = std::string("There is nothing at this address.");
    return page("admin_message", std::move(ctx), beast_http::status::not_found);
  }

  Response failure(const Error& error) const {
    if (error.code == ErrorCode::kNotFound) return not_found();
    const auto status = respond::status_for(error.code);
    if (status == beast_http::status::internal_server_error)
      spdlog::error("admin: {}", error.message);
    return text_response(status, error.message);
  }

  Response login_page(const std::string& name, const std::string& error,
                      beast_http::status status) const {
    map ctx = base("Log in");
    ctx["name"] = name;
    if (!error.empty()) ctx["error"] = error;
    return page("admin_login", std::move(ctx), status);
  }

  Response login() {
    // Login CSRF: a browser names the page the form came from; it must be
    // this site. (Without an Origin header, SameSite=Lax still keeps the
    // session cookie out of other sites' requests.)
    const std::string_view origin = req_[beast_http::field::origin];
    const std::string_view host = req_[beast_http::field::host];
    if (!origin.empty() && origin != "null") {
      const auto scheme_end = origin.find("://");
      const std::string_view origin_host =
          scheme_end == std::string_view::npos ? origin : origin.substr(scheme_end + 3);
      if (origin_host != host) {
        return text_response(beast_http::status::forbidden, "Log in from this site's own form.");
      }
    }
    if (!is_form(req_))
      return login_page("", "Send the login form.", beast_http::status::bad_request);
    const std::string name = form_value("name");
    auto session = deps_.accounts.login(name, form_value("password"), req_[kClientAddressHeader]);
    if (!session) {
      if (session.error().code == ErrorCode::kTooManyRequests) {
        return login_page(name, "Too many failed attempts. Try again in 15 minutes.",
                          beast_http::status::too_many_requests);
      }
      if (session.error().code == ErrorCode::kUnauthorized) {
        return login_page(name, "Wrong name or password.", beast_http::status::unauthorized);
      }
      return failure(session.error());
    }
    Response res = see_other("/admin/");
    res.set(beast_http::field::set_cookie,
            session_cookie(deps_.site, session->secret, service::AccountService::kSessionSeconds));
    return res;
  }

  Response logout() {
    (void)deps_.accounts.logout(cookie_value(req_[beast_http::field::cookie], kSessionCookie));
    Response res = see_other("/admin/login");
    res.set(beast_http::field::set_cookie, session_cookie(deps_.site, "", 0));
    return res;
  }

  Response list() {
    service::NewsListQuery query;
    const std::string status = form_value_of_query("status");
    if (!status.empty()) query.status = status;
    query.text = form_value_of_query("q");
    query.per_page = kPerPage;
    if (auto p = query_param(req_.target(), "page")) query.page = parse_page_number(*p).value_or(1);
    auto result = deps_.editorial.list(who_->user, query);
    if (!result) return failure(result.error());
    map ctx = base("News");
    array statuses;
    for (const auto& [value, label] :
         std::vector<std::pair<std::string, std::string>>{{"", "Any"},
                                                          {"draft", "Draft"},
                                                          {"scheduled", "Scheduled"},
                                                          {"published", "Published"}}) {
      statuses.push_back(map{{"value", value}, {"label", label}, {"selected", value == status}});
    }
    ctx["statuses"] = statuses;
    ctx["query"] = query.text;
    ctx["count_label"] = std::to_string(result->total) + (result->total == 1 ? " item" : " items");
    const std::int64_t now = deps_.clock();
    array rows;
    for (const model::Item& item : result->items) {
      std::string categories;
      for (const auto& c : item.categories) categories += (categories.empty() ? "" : ", ") + c.name;
      rows.push_back(
          map{{"id", std::to_string(item.id)},
              {"title", item.title},
              {"status", service::public_status(item, now)},
              {"date", item.published_at ? render::display_date(deps_.site, *item.published_at)
                                         : std::string("—")},
              {"categories", categories},
              {"review", item.review_requested},
              {"embargo", item.embargoed}});
    }
    ctx["rows"] = rows;
    const int pages = static_cast<int>((result->total + kPerPage - 1) / kPerPage);
    if (pages > 1) {
      ctx["pagination"] =
          map{{"links", array{}},
              {"page", std::to_string(query.page)},
              {"pages", std::to_string(pages)},
              {"prev_url",
               query.page > 1 ? "/admin/?page=" + std::to_string(query.page - 1) : std::string()},
              {"next_url", query.page < pages ? "/admin/?page=" + std::to_string(query.page + 1)
                                              : std::string()}};
    }
    return page("admin_list", std::move(ctx));
  }

  std::string form_value_of_query(std::string_view name) const {
    return query_param(req_.target(), name).value_or("");
  }

  // The editor, for a new item (nullopt) or a stored one; `posted` refills
  // the fields after a failed save.
  Response editor(const std::optional<model::Item>& item, const std::string& flash,
                  const std::string& error, beast_http::status status = beast_http::status::ok) {
    const std::int64_t now = deps_.clock();
    model::Item shown = item.value_or(model::Item{});
    map ctx = base(item ? "Edit: " + shown.title : "Write news");
    if (!flash.empty()) ctx["flash"] = flash;
    if (!error.empty()) ctx["error"] = error;
    // Refilled from the item form only: a failed upload or translation
    // sends other fields.
    const bool posted = !error.empty() && req_.method() == beast_http::verb::post &&
                        query_param(form_query_, "title").has_value();
    auto field = [&](std::string_view name, const std::string& stored) {
      return posted ? form_value(name) : stored;
    };
    std::string categories;
    for (const auto& c : shown.categories) categories += (categories.empty() ? "" : ", ") + c.name;
    const std::string state = service::public_status(shown, now);
    ctx["action"] = item ? "/admin/news/" + std::to_string(shown.id) : std::string("/admin/news");
    ctx["id"] = std::to_string(shown.id);
    ctx["title"] = field("title", shown.title);
    ctx["slug"] = field("slug", shown.slug);
    ctx["teaser"] = field("teaser", shown.teaser);
    // An item written in HTML (through the API, or imported) is edited as
    // HTML; everything else as Markdown.
    const bool stored_html = shown.body_markdown.empty() && !shown.body_html.empty();
    const bool html = posted ? form_value("body_format") == "html" : stored_html;
    ctx["body"] = field("body", stored_html ? shown.body_html : shown.body_markdown);
    ctx["body_html_format"] = html;
    ctx["categories"] = field("categories", categories);
    ctx["lead_image_url"] = field("lead_image_url", shown.lead_image ? shown.lead_image->url : "");
    ctx["lead_image_alt"] = field("lead_image_alt", shown.lead_image ? shown.lead_image->alt : "");
    std::string related;
    for (const model::RelatedLink& link : shown.related_links) {
      related += link.url + (link.title.empty() ? "" : " " + link.title) + "\n";
    }
    ctx["related_links"] = field("related_links", related);
    ctx["contact_name"] = field("contact_name", shown.contact.name);
    ctx["contact_email"] = field("contact_email", shown.contact.email);
    ctx["contact_phone"] = field("contact_phone", shown.contact.phone);
    ctx["time_zone"] = deps_.site.time_zone;
    ctx["publish_at"] =
        field("publish_at", shown.published_at
                                ? local_input(deps_.site, shown.published_at->epoch_seconds)
                                : std::string());
    ctx["archive_on_expiry"] =
        posted ? form_value("expiry_action") == "archive" : shown.archive_on_expiry;
    ctx["expires_at"] =
        field("expires_at",
              shown.expires_at ? local_input(deps_.site, *shown.expires_at) : std::string());
    ctx["is_draft"] = state == "draft";
    ctx["is_published"] = state == "published";
    ctx["is_scheduled"] = state == "scheduled";
    ctx["embargo"] = shown.embargoed;
    ctx["review"] = shown.review_requested;
    ctx["may_publish"] = model::may(who_->user.role, model::Action::kPublish);
    ctx["may_delete"] = item.has_value() && model::may(who_->user.role, model::Action::kDeleteItem);
    if (item) {
      ctx["status_label"] = "Status: " + state;
      ctx["item_url"] = model::item_path(deps_.site, shown);
      ctx["public"] = state == "published";
      if (shown.embargoed && !shown.preview_token.empty() &&
          model::may(who_->user.role, model::Action::kShareEmbargoPreview)) {
        ctx["preview_url"] =
            model::absolute_url(deps_.site.base_url, "/preview/" + shown.preview_token + "/");
      }
      array files;
      for (const model::Attachment& a : shown.attachments) {
        files.push_back(
            map{{"name", a.name.empty() ? a.url : a.name},
                {"url", a.url},
                {"type", render::file_type_label(a.media_type, a.name)},
                {"size", a.length > 0 ? render::file_size_label(a.length) : std::string()}});
      }
      ctx["has_files"] = !files.empty();
      ctx["files"] = files;
      ctx["may_upload"] = true;
      ctx["upload_limit"] =
          render::file_size_label(static_cast<std::int64_t>(deps_.editorial.max_upload_bytes()));
      ctx["has_preview"] = !shown.body_html.empty();
      ctx["body_html"] = shown.body_html;
    }
    const std::vector<std::string> served = model::served_languages(deps_.site);
    if (served.size() > 1) {
      ctx["multilingual"] = true;
      const std::string language = field("language", shown.language);
      const std::string selected =
          language.empty() ? served.front() : model::canonical_language(language);
      array options;
      bool found = false;
      for (const std::string& l : served) {
        found = found || l == selected;
        options.push_back(
            map{{"value", l}, {"name", model::language_name(l)}, {"selected", l == selected}});
      }
      // A language the site does not serve (an import) stays choosable.
      if (!found && !selected.empty()) {
        options.push_back(
            map{{"value", selected}, {"name", model::language_name(selected)}, {"selected", true}});
      }
      ctx["language_options"] = options;
      if (item) {
        auto group = deps_.editorial.translations(who_->user, shown.id);
        if (!group) return failure(group.error());
        add_translations(ctx, shown, *group, now);
      }
    }
    return page("admin_edit", std::move(ctx), status);
  }

  // The item's translation group side by side: a column per served
  // language with the member's title, teaser, status and state, or a
  // button that makes the missing translation from the original.
  void add_translations(map& ctx, const model::Item& shown, const service::TranslationGroup& group,
                        std::int64_t now) const {
    const bool may_create = model::may(who_->user.role, model::Action::kCreateDraft);
    // The copy is made from the original when the user may see it.
    std::int64_t source = shown.id;
    std::string changed_on;
    for (const service::TranslationSlot& slot : group.slots) {
      if (slot.original && slot.item && slot.may_open) source = slot.item->id;
    }
    if (group.original) changed_on = render::display_date(deps_.site, group.original->updated_at);
    array columns;
    for (const service::TranslationSlot& slot : group.slots) {
      map column{{"language", slot.language},
                 {"language_name", model::language_name(slot.language)},
                 {"dir", std::string(render::text_direction(slot.language))},
                 {"present", slot.item.has_value()},
                 {"may_create", may_create},
                 {"source_id", std::to_string(source)}};
      if (slot.item) {
        const model::Item& m = *slot.item;
        column["id"] = std::to_string(m.id);
        column["current"] = m.id == shown.id;
        column["may_open"] = slot.may_open && m.id != shown.id;
        column["title"] = m.title;
        column["teaser"] = m.teaser;
        column["status"] = service::public_status(m, now);
        column["state"] = slot.original   ? std::string("Original")
                          : slot.outdated ? "Outdated — the original changed on " + changed_on
                                          : std::string("Up to date");
        column["state_class"] = std::string(slot.original   ? "original"
                                            : slot.outdated ? "outdated"
                                                            : "current");
        if (m.id == shown.id && !slot.original && group.original) {
          ctx["translation_of_id"] = std::to_string(group.original->id);
          ctx["translation_of_title"] = group.original->title;
        }
      }
      columns.push_back(std::move(column));
    }
    ctx["translations"] = columns;
    ctx["show_translations"] = true;
  }

  Response translate(std::int64_t id) {
    auto created = deps_.editorial.create_translation(who_->user, id, form_value("language"));
    if (!created) {
      if (created.error().code == ErrorCode::kNotFound) return not_found();
      auto item = deps_.editorial.get(who_->user, id);
      if (!item) return failure(item.error());
      std::string message = created.error().message;
      if (message.starts_with("editorial: ")) message = message.substr(11);
      return editor(*item, "", message, respond::status_for(created.error().code));
    }
    deps_.watcher.notify_local_change();
    return see_other("/admin/news/" + std::to_string(created->id) + "?translated=1");
  }

  service::NewsInput input_from_form() const {
    service::NewsInput in;
    in.title = form_value("title");
    const std::string slug = form_value("slug");
    if (!slug.empty()) in.slug = slug;
    in.teaser = form_value("teaser");
    // Sanitized on the way in whichever it is (EditorialService).
    (form_value("body_format") == "html" ? in.body_html : in.body_markdown) = form_value("body");
    std::vector<std::string> categories;
    const std::string list = form_value("categories");
    for (std::size_t start = 0; start <= list.size();) {
      const std::size_t comma = std::min(list.find(',', start), list.size());
      categories.push_back(list.substr(start, comma - start));
      start = comma + 1;
    }
    in.categories = categories;
    const std::string image = form_value("lead_image_url");
    in.lead_image = image.empty() ? std::optional<model::LeadImage>()
                                  : std::optional<model::LeadImage>(
                                        model::LeadImage{image, form_value("lead_image_alt")});
    std::vector<model::RelatedLink> links;
    const std::string related = form_value("related_links");
    for (std::size_t start = 0; start < related.size();) {
      const std::size_t end = std::min(related.find('\n', start), related.size());
      std::string line = related.substr(start, end - start);
      start = end + 1;
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (line.empty()) continue;
      const std::size_t space = line.find(' ');
      links.push_back(
          model::RelatedLink{space == std::string::npos ? std::string() : line.substr(space + 1),
                             line.substr(0, space)});
    }
    in.related_links = std::move(links);
    in.contact = model::MediaContact{form_value("contact_name"), form_value("contact_email"),
                                     form_value("contact_phone")};
    // Only a multilingual site's form has the field; elsewhere it stays.
    if (auto language = query_param(form_query_, "language")) in.language = *language;
    if (model::may(who_->user.role, model::Action::kPublish)) {
      in.status = form_value("status");
      if (in.status->empty()) in.status = "draft";
      in.publish_at = parse_local_input(deps_.site, form_value("publish_at"));
      if (*in.status == "draft") in.publish_at.reset();
      in.embargo = form_value("embargo") == "1";
      in.expires_at = parse_local_input(deps_.site, form_value("expires_at"));
      in.archive_on_expiry = form_value("expiry_action") == "archive";
    } else {
      in.review_requested = form_value("review_requested") == "1";
    }
    return in;
  }

  Response save(std::optional<std::int64_t> id) {
    std::optional<model::Item> stored;
    if (id) {
      auto item = deps_.editorial.get(who_->user, *id);
      if (!item) return failure(item.error());
      stored = std::move(*item);
    }
    service::NewsInput in = input_from_form();
    // The form shows times to the minute; an unchanged field must not cut
    // the seconds off a stored time (an imported 10:11:30 stays 10:11:30).
    if (stored && stored->published_at && in.publish_at &&
        form_value("publish_at") == local_input(deps_.site, stored->published_at->epoch_seconds)) {
      in.publish_at.reset();
    }
    if (stored && stored->expires_at && in.expires_at && *in.expires_at &&
        form_value("expires_at") == local_input(deps_.site, *stored->expires_at)) {
      in.expires_at.reset();
    }
    if (in.embargo && !*in.embargo && stored && !stored->embargoed) in.embargo.reset();
    auto saved = id ? deps_.editorial.update(who_->user, *id, in, /*partial=*/true)
                    : deps_.editorial.create(who_->user, in);
    if (!saved) {
      const auto status = respond::status_for(saved.error().code);
      if (saved.error().code == ErrorCode::kNotFound) return not_found();
      std::string message = saved.error().message;
      if (message.starts_with("editorial: ")) message = message.substr(11);
      return editor(stored, "", message, status);
    }
    deps_.watcher.notify_local_change();
    return see_other("/admin/news/" + std::to_string(saved->id) + "?saved=1");
  }

  Response categories(const std::string& flash) {
    if (!model::may(who_->user.role, model::Action::kManageCategories)) {
      return text_response(beast_http::status::forbidden, "You may not manage categories.");
    }
    auto all = deps_.editorial.categories();
    if (!all) return failure(all.error());
    map ctx = base("Categories");
    if (!flash.empty()) ctx["flash"] = flash;
    array rows;
    for (const model::Category& c : *all) {
      rows.push_back(map{
          {"id", std::to_string(c.id)}, {"name", c.name}, {"url", model::category_path(c.slug)}});
    }
    ctx["categories"] = rows;
    return page("admin_categories", std::move(ctx));
  }

  // Journalists' private feeds: list, create (the address shown once),
  // revoke.
  Response press(bool create, std::optional<std::int64_t> revoke) {
    if (!model::may(who_->user.role, model::Action::kManageJournalistFeeds)) {
      return text_response(beast_http::status::forbidden, "You may not manage press feeds.");
    }
    map ctx = base("Press feeds");
    if (create) {
      const std::string label = form_value("label");
      auto created = deps_.accounts.create_press_feed(label);
      if (!created) return failure(created.error());
      ctx["new_label"] = label;
      ctx["new_url"] =
          model::absolute_url(deps_.site.base_url, "/press/" + created->secret + "/rss.xml");
    }
    if (revoke) {
      if (auto r = deps_.accounts.revoke_press_feed(*revoke); !r) return failure(r.error());
      ctx["flash"] = std::string("Revoked.");
    }
    auto all = deps_.accounts.press_feeds();
    if (!all) return failure(all.error());
    array rows;
    for (const store::PressFeed& f : *all) {
      rows.push_back(map{{"id", std::to_string(f.id)},
                         {"label", f.label},
                         {"created", local_input(deps_.site, f.created_at)}});
    }
    ctx["feeds"] = rows;
    return page("admin_press", std::move(ctx));
  }

  // Accounts, for admins: list, add, delete.
  Response users(const std::string& flash, const std::string& error, beast_http::status status) {
    if (!model::may(who_->user.role, model::Action::kManageUsers)) {
      return text_response(beast_http::status::forbidden, "Only admins manage accounts.");
    }
    auto all = deps_.accounts.users();
    if (!all) return failure(all.error());
    map ctx = base("Accounts");
    if (!flash.empty()) ctx["flash"] = flash;
    if (!error.empty()) ctx["error"] = error;
    array rows;
    for (const model::User& u : *all) {
      rows.push_back(
          map{{"id", std::to_string(u.id)},
              {"name", u.name},
              {"role", std::string(model::role_name(u.role))},
              {"password", std::string(u.password_hash.empty() ? "none (API only)" : "set")},
              {"self", u.id == who_->user.id}});
    }
    ctx["users"] = rows;
    return page("admin_users", std::move(ctx), status);
  }

  Response add_user() {
    if (!model::may(who_->user.role, model::Action::kManageUsers)) {
      return text_response(beast_http::status::forbidden, "Only admins manage accounts.");
    }
    auto role = model::parse_role(form_value("role"));
    const std::string password = form_value("password");
    if (!role) return users("", "Choose a role.", beast_http::status::bad_request);
    if (password.size() < 12) {
      return users("", "A password needs at least 12 characters.", beast_http::status::bad_request);
    }
    auto added = deps_.accounts.add_user(form_value("name"), *role, password);
    if (!added) {
      std::string message = added.error().message;
      if (message.starts_with("accounts: ")) message = message.substr(10);
      if (message.starts_with("store/sqlite: insert user: ")) message = message.substr(27);
      return users("", message, respond::status_for(added.error().code));
    }
    return users("Added " + added->name + ".", "", beast_http::status::ok);
  }

  Response delete_user(std::int64_t id) {
    if (!model::may(who_->user.role, model::Action::kManageUsers)) {
      return text_response(beast_http::status::forbidden, "Only admins manage accounts.");
    }
    if (id == who_->user.id) {
      return users("", "You cannot delete your own account.", beast_http::status::bad_request);
    }
    auto all = deps_.accounts.users();
    if (!all) return failure(all.error());
    for (const model::User& u : *all) {
      if (u.id != id) continue;
      if (auto r = deps_.accounts.delete_user(u.name); !r) return failure(r.error());
      return users("Deleted " + u.name + "; its sessions and tokens no longer work.", "",
                   beast_http::status::ok);
    }
    return not_found();
  }

  Response settings(bool post) {
    if (!model::may(who_->user.role, model::Action::kManageSettings)) {
      return text_response(beast_http::status::forbidden, "Only admins change the settings.");
    }
    map ctx = base("Settings");
    auto stored = deps_.editorial.site_settings();
    if (!stored) return failure(stored.error());
    service::SiteSettings shown = *stored;
    auto status = beast_http::status::ok;
    if (post) {
      // A field the form leaves out keeps its value.
      shown.title = form_value_or("title", shown.title);
      shown.description = form_value_or("description", shown.description);
      shown.language = form_value_or("language", shown.language);
      shown.time_zone = form_value_or("time_zone", shown.time_zone);
      const std::string feed_items = form_value_or("feed_items", std::to_string(shown.feed_items));
      shown.feed_items = parse_page_number(feed_items).value_or(0);
      auto saved = deps_.editorial.save_site_settings(who_->user, shown);
      if (saved) {
        auto text = deps_.editorial.boilerplate();
        if (!text) return failure(text.error());
        saved = deps_.editorial.set_boilerplate(who_->user, form_value_or("boilerplate", *text));
      }
      if (!saved && saved.error().code != ErrorCode::kInvalid) return failure(saved.error());
      if (saved) {
        // Polling now (rather than within the watcher's interval) rebuilds
        // the site with the new settings before this response goes out.
        deps_.watcher.poll();
        ctx["flash"] = std::string("Saved. The site shows the new settings now.");
        if (auto now = deps_.editorial.site_settings()) shown = *now;
      } else {
        ctx["error"] = saved.error().message;
        status = beast_http::status::bad_request;
      }
    }
    auto text = deps_.editorial.boilerplate();
    if (!text) return failure(text.error());
    ctx["boilerplate"] =
        status == beast_http::status::ok ? *text : form_value_or("boilerplate", *text);
    ctx["s_title"] = shown.title;
    ctx["s_description"] = shown.description;
    ctx["s_language"] = shown.language;
    ctx["s_time_zone"] = shown.time_zone;
    ctx["s_feed_items"] = std::to_string(shown.feed_items);
    return page("admin_settings", std::move(ctx), status);
  }

  std::optional<std::vector<FormPart>> multipart_parts() const {
    const std::string boundary = multipart_boundary(req_[beast_http::field::content_type]);
    if (boundary.empty()) return std::nullopt;
    auto parts = parse_multipart(req_.body(), boundary);
    if (!parts) return std::nullopt;
    return std::move(*parts);
  }

  Response upload(std::int64_t id) {
    auto parts = multipart_parts();
    const FormPart* file = nullptr;
    if (parts) {
      for (const FormPart& part : *parts) {
        if (part.name == "file" && !part.filename.empty()) file = &part;
      }
    }
    auto item = deps_.editorial.get(who_->user, id);
    if (!item) return failure(item.error());
    if (file == nullptr)
      return editor(*item, "", "Choose a file to upload.", beast_http::status::bad_request);
    auto added = deps_.editorial.add_attachment(who_->user, id, file->filename, file->content_type,
                                                file->body);
    if (!added) {
      std::string message = added.error().message;
      if (message.starts_with("editorial: ")) message = message.substr(11);
      return editor(*item, "", message, respond::status_for(added.error().code));
    }
    deps_.watcher.notify_local_change();
    return see_other("/admin/news/" + std::to_string(id) + "?saved=1");
  }

  Response remove(std::int64_t id) {
    if (auto r = deps_.editorial.remove(who_->user, id); !r) return failure(r.error());
    deps_.watcher.notify_local_change();
    return see_other("/admin/");
  }

  Response revisions(std::int64_t id) {
    auto all = deps_.editorial.revisions(who_->user, id);
    if (!all) return failure(all.error());
    map ctx = base("Revisions");
    ctx["id"] = std::to_string(id);
    array rows;
    nlohmann::json previous;
    // Who saved each revision, looked up once for all of them.
    std::map<std::int64_t, std::string> names;
    if (auto users = deps_.accounts.users()) {
      for (const model::User& u : *users) names[u.id] = u.name;
    }
    // Oldest first to compute what each save changed, shown newest first.
    std::vector<map> ordered;
    for (auto it = all->rbegin(); it != all->rend(); ++it) {
      const nlohmann::json snap = nlohmann::json::parse(it->snapshot, nullptr, false);
      std::string changes;
      if (!previous.is_null() && snap.is_object()) {
        for (const auto& [key, value] : snap.items()) {
          if (key == "updated_at") continue;
          if (!previous.contains(key) || previous[key] != value) {
            changes += (changes.empty() ? "" : ", ") + key;
          }
        }
      }
      const auto author = names.find(it->user_id);
      const std::string user = author == names.end() ? "unknown" : author->second;
      ordered.push_back(
          map{{"revision_id", std::to_string(it->id)},
              {"saved_at", local_input(deps_.site, it->saved_at)},
              {"user", user},
              {"title", snap.is_object() ? snap.value("title", std::string()) : std::string()},
              {"changes", changes},
              {"created", previous.is_null()}});
      previous = snap;
    }
    for (auto it = ordered.rbegin(); it != ordered.rend(); ++it) rows.push_back(*it);
    ctx["revisions"] = rows;
    ctx["may_restore"] = model::may(who_->user.role, model::Action::kRestoreRevision);
    return page("admin_revisions", std::move(ctx));
  }

  // The editor's live preview: a body as it would be saved, as an
  // HTML fragment for admin.js to show. Sanitized like a saved body, and
  // never stored or cached.
  Response markdown_preview() {
    const std::string body = form_value("body");
    Response res = respond::ok(respond::kHtml, form_value("body_format") == "html"
                                                   ? deps_.editorial.render_html(body)
                                                   : deps_.editorial.render_markdown(body));
    res.set(beast_http::field::cache_control, "no-store");
    respond::secure_html(res);
    return res;
  }

  // What one save changed against the save before it: each changed field
  // as a line diff, long unchanged stretches folded.
  Response revision_changes(std::int64_t id, std::int64_t revision_id) {
    auto all = deps_.editorial.revisions(who_->user, id);
    if (!all) return failure(all.error());
    auto it = std::find_if(all->begin(), all->end(),
                           [&](const store::Revision& r) { return r.id == revision_id; });
    if (it == all->end()) return not_found();
    const nlohmann::json after = nlohmann::json::parse(it->snapshot, nullptr, false);
    const nlohmann::json before =
        std::next(it) == all->end()
            ? nlohmann::json::object()
            : nlohmann::json::parse(std::next(it)->snapshot, nullptr, false);
    if (!after.is_object() || !before.is_object()) {
      return failure(make_error(ErrorCode::kInternal, "a revision's snapshot is unreadable"));
    }
    // Strings as they are; anything else (lists, times, contacts) as JSON.
    const auto text_of = [](const nlohmann::json& v) {
      return v.is_null() ? std::string() : v.is_string() ? v.get<std::string>() : v.dump(2);
    };
    array fields;
    const auto compare = [&](const std::string& key) {
      if (key == "updated_at") return;
      const nlohmann::json old_value = before.value(key, nlohmann::json());
      const nlohmann::json new_value = after.value(key, nlohmann::json());
      if (old_value == new_value) return;
      fields.push_back(
          map{{"field", key}, {"lines", diff_lines(text_of(old_value), text_of(new_value))}});
    };
    for (const auto& [key, value] : after.items()) compare(key);
    for (const auto& [key, value] : before.items()) {
      if (!after.contains(key)) compare(key);
    }
    std::string user = "unknown";
    if (auto users = deps_.accounts.users()) {
      for (const model::User& u : *users) {
        if (u.id == it->user_id) user = u.name;
      }
    }
    map ctx = base("What this save changed");
    ctx["id"] = std::to_string(id);
    ctx["revision_id"] = std::to_string(revision_id);
    ctx["saved_at"] = local_input(deps_.site, it->saved_at);
    ctx["user"] = user;
    ctx["first"] = std::next(it) == all->end();
    ctx["fields"] = fields;
    ctx["may_restore"] = model::may(who_->user.role, model::Action::kRestoreRevision);
    return page("admin_revision_changes", std::move(ctx));
  }

  // A line diff for the template: {removed, added, text} per line, and
  // {folded: "N unchanged lines"} for unchanged runs longer than the two
  // lines of context kept on each side of a change.
  static array diff_lines(std::string_view before, std::string_view after) {
    constexpr std::size_t kContext = 2;
    const std::vector<text::DiffLine> diff = text::line_diff(before, after);
    array out;
    const auto line = [](const text::DiffLine& l) {
      return map{{"removed", l.op == text::DiffLine::Op::kRemoved},
                 {"added", l.op == text::DiffLine::Op::kAdded},
                 {"text", l.text}};
    };
    for (std::size_t i = 0; i < diff.size();) {
      if (diff[i].op != text::DiffLine::Op::kSame) {
        out.push_back(line(diff[i++]));
        continue;
      }
      std::size_t j = i;
      while (j < diff.size() && diff[j].op == text::DiffLine::Op::kSame) ++j;
      const std::size_t keep_head = i == 0 ? 0 : kContext;
      const std::size_t keep_tail = j == diff.size() ? 0 : kContext;
      if (j - i <= keep_head + keep_tail + 1) {
        for (std::size_t k = i; k < j; ++k) out.push_back(line(diff[k]));
      } else {
        for (std::size_t k = i; k < i + keep_head; ++k) out.push_back(line(diff[k]));
        const std::size_t folded = j - i - keep_head - keep_tail;
        out.push_back(
            map{{"folded", std::to_string(folded) + " unchanged line" + (folded == 1 ? "" : "s")}});
        for (std::size_t k = j - keep_tail; k < j; ++k) out.push_back(line(diff[k]));
      }
      i = j;
    }
    return out;
  }

  const AdminDeps& deps_;
  const Request& req_;
  std::optional<service::Authenticated> who_;
  // A urlencoded body as a query string, made once for every field read.
  const std::string form_query_;
};

}  // namespace

std::string cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
  }
  return std::string();
}

Handler make_admin_handler(AdminDeps deps) {
  return [deps](const Request& req) { return Admin(deps, req).dispatch(); };
}

}  // namespace newsdesk::http
