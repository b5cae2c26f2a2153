// The OpenAPI description of /api/v1/, served at /api/v1/openapi.json. Kept
// beside the handlers (api.cc) it describes; tests/http/api_test.cc checks
// that every path it names answers.

#include "http/api.h"

namespace newsdesk::http {

std::string_view openapi_json() {
  return R"json({
  "openapi": "3.1.0",
  "info": {
    "title": "newsdesk API",
    "version": "1",
    "description": "News items of a newsdesk news centre. Authenticate with a bearer token from `newsdesk token create NAME`. Errors are application/problem+json (RFC 9457)."
  },
  "servers": [{"url": "/api/v1"}],
  "security": [{"bearer": []}],
  "components": {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    "schemas": {
      "NewsInput": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "title": {"type": "string"},
          "slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
          "teaser": {"type": "string"},
          "body_markdown": {"type": "string"},
          "body_html": {"type": "string", "description": "sanitized on the way in"},
          "language": {"type": "string", "description": "a BCP 47 tag, stored in its canonical case (fr_ca becomes fr-CA); \"\" for the site's default language; no two items of a translation group share one"},
          "translation_of": {"type": ["integer", "null"], "description": "the id of an item this one translates (any member of its group; the group's original is stored); null to leave the group; unchanged when not sent, also by PUT"},
          "categories": {"type": "array", "items": {"type": "string"}},
          "status": {"type": "string", "enum": ["draft", "published", "scheduled"]},
          "publish_at": {"type": "string", "format": "date-time"},
          "embargo": {"type": "boolean"},
          "expires_at": {"type": ["string", "null"], "format": "date-time"},
          "expiry_action": {"type": "string", "enum": ["take_down", "archive"],
                            "description": "at expires_at: leave the site, or leave the lists and feeds but keep the page in the archive"},
          "lead_image": {"type": ["object", "null"],
                         "properties": {"url": {"type": "string"}, "alt": {"type": "string"}},
                         "required": ["url", "alt"]},
          "related_links": {"type": "array", "items": {"type": "object",
                            "properties": {"title": {"type": "string"}, "url": {"type": "string"}},
                            "required": ["url"]}},
          "contact": {"type": "object", "properties": {"name": {"type": "string"},
                      "email": {"type": "string"}, "phone": {"type": "string"}}},
          "review_requested": {"type": "boolean"}
        }
      },
      "News": {
        "type": "object",
        "properties": {
          "id": {"type": "integer"},
          "guid": {"type": "string"},
          "slug": {"type": "string"},
          "url": {"type": "string"},
          "title": {"type": "string"},
          "teaser": {"type": "string"},
          "body_html": {"type": "string"},
          "language": {"type": "string"},
          "translation_of": {"type": ["integer", "null"], "description": "the original of the item's translation group; null for an original or an item without translations"},
          "translations": {"type": "array", "description": "GET /news/{id} only: every member of the item's translation group, itself included, in the order of the site's languages; [] without translations. outdated: the original changed after the translation",
                           "items": {"type": "object", "properties": {"id": {"type": "integer"}, "language": {"type": "string"},
                             "slug": {"type": "string"}, "status": {"type": "string"}, "original": {"type": "boolean"}, "outdated": {"type": "boolean"}}}},
          "status": {"type": "string", "enum": ["draft", "published", "scheduled"]},
          "published_at": {"type": ["string", "null"], "format": "date-time"},
          "updated_at": {"type": "string", "format": "date-time"},
          "categories": {"type": "array", "items": {"type": "string"}},
          "embargo": {"type": "boolean"},
          "expires_at": {"type": ["string", "null"], "format": "date-time"},
          "expiry_action": {"type": "string", "enum": ["take_down", "archive"],
                            "description": "at expires_at: leave the site, or leave the lists and feeds but keep the page in the archive"},
          "lead_image": {"type": ["object", "null"]},
          "related_links": {"type": "array", "items": {"type": "object"}},
          "attachments": {"type": "array", "items": {"type": "object"}},
          "contact": {"type": "object"},
          "review_requested": {"type": "boolean"}
        }
      },
      "Problem": {
        "type": "object",
        "properties": {"type": {"type": "string"}, "title": {"type": "string"},
                       "status": {"type": "integer"}, "detail": {"type": "string"}}
      }
    },
    "responses": {
      "Problem": {"description": "an error",
                  "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    }
  },
  "paths": {
    "/news": {
      "get": {
        "summary": "List or search news, newest first, 20 a page (authors see their own only)",
        "parameters": [
          {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "full-text search; any text is safe"},
          {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["draft", "published", "scheduled"]}},
          {"name": "category", "in": "query", "schema": {"type": "string"}},
          {"name": "language", "in": "query", "schema": {"type": "string"}, "description": "a BCP 47 tag: items in it or an extension of it (fr takes fr-CA); the default language takes items without one"},
          {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}}
        ],
        "responses": {"200": {"description": "a page of news"}, "401": {"$ref": "#/components/responses/Problem"}}
      },
      "post": {
        "summary": "Create a news item",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewsInput"}}}},
        "responses": {
          "201": {"description": "created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/News"}}}},
          "400": {"$ref": "#/components/responses/Problem"},
          "401": {"$ref": "#/components/responses/Problem"},
          "403": {"$ref": "#/components/responses/Problem"},
          "409": {"$ref": "#/components/responses/Problem"}
        }
      }
    },
    "/categories": {
      "get": {"summary": "Every category: slug and name", "responses": {"200": {"description": "categories"}, "401": {"$ref": "#/components/responses/Problem"}}}
    },
    "/news/{id}": {
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
      "get": {"summary": "One news item, with its translations", "responses": {"200": {"description": "the item", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/News"}}}}, "404": {"$ref": "#/components/responses/Problem"}}},
      "put": {"summary": "Replace a news item (fields not sent go back to their defaults; language and translation_of stay)",
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewsInput"}}}},
              "responses": {"200": {"description": "the item"}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}}},
      "patch": {"summary": "Change some fields of a news item",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewsInput"}}}},
                "responses": {"200": {"description": "the item"}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}}},
      "delete": {"summary": "Delete a news item (its address answers 410 Gone)",
                 "responses": {"204": {"description": "deleted"}, "403": {"$ref": "#/components/responses/Problem"}}}
    },
    "/news/{id}/attachments": {
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
      "post": {"summary": "Attach a file (PDF, office document, image; at most [server] max_upload_bytes, 20 MiB by default; type checked from the content)",
               "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {"type": "object",
                 "properties": {"file": {"type": "string", "format": "binary"}}, "required": ["file"]}}}},
               "responses": {"201": {"description": "the attachment: id, name, type, length, url"},
                             "400": {"$ref": "#/components/responses/Problem"},
                             "413": {"description": "larger than the limit"},
                             "415": {"$ref": "#/components/responses/Problem"}}}
    },
    "/news/{id}/translations": {
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
      "post": {"summary": "Start a translation of the item: a new draft in the language, copied from the item (title, teaser, body, categories, lead image, related links, contact, attachments), in the item's translation group, with the slug of the title plus the language",
               "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false,
                 "properties": {"language": {"type": "string", "description": "a language the site serves"}}, "required": ["language"]}}}},
               "responses": {"201": {"description": "the new draft", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/News"}}}},
                             "400": {"$ref": "#/components/responses/Problem"},
                             "403": {"$ref": "#/components/responses/Problem"},
                             "404": {"$ref": "#/components/responses/Problem"},
                             "409": {"$ref": "#/components/responses/Problem"}}}
    },
    "/news/{id}/revisions": {
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
      "get": {"summary": "Every saved state of the item, newest first", "responses": {"200": {"description": "revisions"}}}
    },
    "/news/{id}/revisions/{revision}/restore": {
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
                     {"name": "revision", "in": "path", "required": true, "schema": {"type": "integer"}}],
      "post": {"summary": "Make an earlier revision's content current again (a new revision)",
               "responses": {"200": {"description": "the item"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}}}
    }
  }
}
)json";
}

}  // namespace newsdesk::http
