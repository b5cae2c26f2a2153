#include "render/mustache.h"

#include <cstdio>
#include <utility>

#include "core/strings.h"

namespace newsdesk::render::mustache {

// Outside an anonymous namespace because Template::Node (external linkage)
// holds them.
namespace detail {

enum class Kind : unsigned char {
  kText,
  kPrefix,  // where a standalone partial's indentation goes
  kVariable,
  kUnescaped,
  kSection,
  kInverted,
  kPartial,
  kComment,
  kDelimiters,
  kClose,
};

// A tag's name as mstch looks it up: "a.b.c" is `a` on the context stack,
// then b and c inside it (mstch splits at the last dot, recursively; a
// name that starts with ".." looks "." up on the stack).
struct Name {
  std::string base;               // looked up on the stack
  bool dot = false;               // base == "."
  std::vector<std::string> rest;  // then looked up in the node found
};

}  // namespace detail

using detail::Kind;
using detail::Name;

struct Template::Node {
  Kind kind = Kind::kText;
  std::string text;            // kText: the text; kPartial: its indentation
  Name name;                   // tags; a partial's name is name.base
  std::vector<Node> children;  // sections
  const Template* partial = nullptr;
};

Template::~Template() = default;
Template::Template(Template&&) noexcept = default;
Template& Template::operator=(Template&&) noexcept = default;

namespace {

using Node = Template::Node;

[[noreturn]] void undefined(const std::string& what) {
  throw Unsupported("mustache: " + what + " (mstch 1.0.2 reads out of bounds here)");
}

// A token of mstch's tokenizer.
struct Token {
  Kind kind = Kind::kText;
  std::string raw;  // text tokens: the text
  std::string name;
  std::string partial_prefix;
  bool eol = false;      // text that ends a line (or the mark after a final tag)
  bool ws_only = false;  // text of spaces, tabs, CR and LF only
};

Token text_token(std::string_view text) {
  Token t;
  t.raw = std::string(text);
  t.eol = !text.empty() && text.back() == '\n';
  t.ws_only = text.find_first_not_of(" \r\n\t") == std::string_view::npos;
  return t;
}

// mstch trims names of spaces only. First index in [b, e) that is not a
// space, else e.
std::size_t first_not_space(std::string_view s, std::size_t b, std::size_t e) {
  if (b > e) undefined("a tag too short for its delimiters");
  for (std::size_t i = b; i < e; ++i) {
    if (s[i] != ' ') return i;
  }
  return e;
}

// Last index in [lo, hi] that is not a space, else lo - 1 (as mstch's
// reverse search returns).
long long last_not_space(std::string_view s, long long hi, long long lo) {
  if (hi < lo - 1) undefined("a tag too short for its delimiters");
  for (long long i = hi; i >= lo; --i) {
    if (s[static_cast<std::size_t>(i)] != ' ') return i;
  }
  return lo - 1;
}

std::string name_between(std::string_view tag, std::size_t first, long long last) {
  if (last < static_cast<long long>(first)) {
    // mstch builds std::string(first, last), which throws length_error.
    throw std::runtime_error("mustache: tag '" + std::string(tag) + "' has no name");
  }
  return std::string(tag.substr(first, static_cast<std::size_t>(last) - first));
}

Kind kind_of(char sigil) {
  switch (sigil) {
    case '>':
      return Kind::kPartial;
    case '^':
      return Kind::kInverted;
    case '/':
      return Kind::kClose;
    case '&':
      return Kind::kUnescaped;
    case '#':
      return Kind::kSection;
    case '!':
      return Kind::kComment;
    default:
      return Kind::kVariable;
  }
}

// A tag: `tag` with its opening delimiter of `left` and closing one of
// `right` characters.
Token tag_token(std::string_view tag, std::size_t left, std::size_t right) {
  Token t;
  const std::size_t n = tag.size();
  if (n < left + right) undefined("overlapping delimiters");
  if (tag[left] == '=' && tag[n - right - 1] == '=') {
    t.kind = Kind::kDelimiters;
  } else if (tag[left] == '{' && tag[n - right - 1] == '}') {
    t.kind = Kind::kUnescaped;
    const std::size_t first = first_not_space(tag, left + 1, n - right);
    const long long last =
        last_not_space(tag, static_cast<long long>(n) - 2 - static_cast<long long>(right),
                       static_cast<long long>(left)) +
        1;
    t.name = name_between(tag, first, last);
  } else {
    std::size_t first = first_not_space(tag, left, n - right);
    t.kind = kind_of(tag[first]);
    if (t.kind != Kind::kVariable) first = first_not_space(tag, first + 1, n - right);
    const long long last =
        last_not_space(tag, static_cast<long long>(n) - 1 - static_cast<long long>(right),
                       static_cast<long long>(left)) +
        1;
    t.name = name_between(tag, first, last);
  }
  return t;
}

// Text between tags, one token per line.
void add_text(std::string_view text, std::vector<Token>& out) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || i + 1 == text.size()) {
      out.push_back(text_token(text.substr(start, i + 1 - start)));
      start = i + 1;
    }
  }
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::string open = "{{";
  std::string close = "}}";
  constexpr std::size_t npos = std::string_view::npos;
  // mstch reads the character after a delimiter, which may be the end.
  const auto at = [&](std::size_t i) { return i < text.size() ? text[i] : '\0'; };
  for (std::size_t cur = 0; cur < text.size();) {
    const std::size_t open_pos = text.find(open, cur);
    std::size_t close_pos = open_pos == npos ? npos : text.find(close, open_pos + 1);
    if (open_pos == npos || close_pos == npos) {
      add_text(text.substr(cur), tokens);
      break;
    }
    if (at(open_pos + open.size()) == '{' && at(close_pos + close.size()) == '}') ++close_pos;
    add_text(text.substr(cur, open_pos - cur), tokens);
    cur = close_pos + close.size();
    tokens.push_back(tag_token(text.substr(open_pos, cur - open_pos), open.size(), close.size()));
    if (cur == text.size()) {
      tokens.push_back(text_token(""));
      tokens.back().eol = true;
    }
    if (at(open_pos + open.size()) == '=' && at(close_pos - 1) == '=') {
      // {{=<% %>=}}: the new opening delimiter runs from the first non-space
      // to the next space of the text, the closing one back from the last
      // non-space to the space before it.
      const std::size_t begin = open_pos + open.size() + 1;
      const std::size_t end = close_pos - 1;
      if (begin > end) undefined("a set-delimiter tag without delimiters");
      const std::size_t front = first_not_space(text, begin, end);
      const long long back =
          last_not_space(text, static_cast<long long>(end) - 1, static_cast<long long>(begin));
      const std::size_t space = text.find(' ', front);
      if (space == npos) undefined("a set-delimiter tag with no space after its opening");
      const std::size_t before = text.rfind(' ', static_cast<std::size_t>(back));
      const std::size_t close_begin = before == npos ? 0 : before + 1;
      open = std::string(text.substr(front, space - front));
      close =
          std::string(text.substr(close_begin, static_cast<std::size_t>(back) + 1 - close_begin));
    }
  }
  return tokens;
}

// Removes standalone lines as mstch does: a line (up to a token that ends
// one) with a tag other than a variable and nothing but whitespace loses
// its whitespace tokens, newline included; a partial on it keeps the
// whitespace before it as its indentation.
void strip_standalone(std::vector<Token>& tokens) {
  std::size_t line_begin = 0;
  bool has_tag = false;
  bool non_space = false;
  // Unsigned wrap-around on purpose: i may become "line_begin - 1".
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Kind kind = tokens[i].kind;
    if (kind != Kind::kText && kind != Kind::kVariable && kind != Kind::kUnescaped) {
      has_tag = true;
    } else if (!tokens[i].ws_only) {
      non_space = true;
    }
    if (!tokens[i].eol) continue;
    if (has_tag && !non_space) {
      for (std::size_t c = line_begin; !tokens[c].eol; ++c) {
        if (tokens[c].kind == Kind::kPartial && c != line_begin && tokens[c - 1].ws_only) {
          tokens[c].partial_prefix = tokens[c - 1].raw;
        }
      }
      std::size_t c = line_begin;
      for (bool end = false; !end;) {
        end = tokens[c].eol;
        if (end) i = c - 1;
        if (tokens[c].ws_only) {
          tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(c));
        } else {
          ++c;
        }
      }
    }
    has_tag = non_space = false;
    line_begin = i + 1;
  }
}

Name parse_name(std::string_view s) {
  Name name;
  if (s != "." && s.find('.') != std::string_view::npos) {
    const std::size_t dot = s.rfind('.');
    name = parse_name(s.substr(0, dot));
    name.rest.emplace_back(s.substr(dot + 1));
  } else {
    name.base = std::string(s);
    name.dot = s == ".";
  }
  return name;
}

// Builds the tree of tokens [b, e) into out, grouping sections as mstch's
// states do: a section ends at the first close tag with its name while no
// other section opened since is unclosed, counting every open tag and
// every other close tag. False when a section is still open at e (mstch
// renders nothing of it, nor anything after it).
bool group(const std::vector<Token>& tokens, std::size_t b, std::size_t e, std::vector<Node>& out) {
  for (std::size_t i = b; i < e; ++i) {
    const Token& t = tokens[i];
    switch (t.kind) {
      case Kind::kText:
        if (t.raw.empty()) break;
        if (!out.empty() && out.back().kind == Kind::kText) {
          out.back().text += t.raw;
        } else {
          Node node;
          node.text = t.raw;
          out.push_back(std::move(node));
        }
        break;
      case Kind::kPrefix:
      case Kind::kVariable:
      case Kind::kUnescaped: {
        Node node;
        node.kind = t.kind;
        if (t.kind != Kind::kPrefix) node.name = parse_name(t.name);
        out.push_back(std::move(node));
        break;
      }
      case Kind::kPartial: {
        Node node;
        node.kind = Kind::kPartial;
        node.name.base = t.name;
        node.text = t.partial_prefix;
        out.push_back(std::move(node));
        break;
      }
      case Kind::kSection:
      case Kind::kInverted: {
        int open = 0;
        std::size_t j = i + 1;
        for (; j < e; ++j) {
          const Kind k = tokens[j].kind;
          if (k == Kind::kClose) {
            if (open == 0 && tokens[j].name == t.name) break;
            --open;
          } else if (k == Kind::kSection || k == Kind::kInverted) {
            ++open;
          }
        }
        if (j == e) return false;
        Node node;
        node.kind = t.kind;
        node.name = parse_name(t.name);
        group(tokens, i + 1, j, node.children);  // an open section inside: dropped
        out.push_back(std::move(node));
        i = j;
        break;
      }
      case Kind::kComment:
      case Kind::kDelimiters:
      case Kind::kClose:
        break;  // a close tag outside its section is ignored
    }
  }
  return true;
}

void link_nodes(std::vector<Node>& nodes, const Partials& partials) {
  for (Node& node : nodes) {
    if (node.kind == Kind::kPartial) {
      const auto it = partials.find(node.name.base);
      node.partial = it == partials.end() ? nullptr : &it->second;
    }
    link_nodes(node.children, partials);
  }
}

const mstch::node kNull{nullptr};

[[noreturn]] void unsupported_node(const Name& name) {
  std::string full = name.base;
  for (const std::string& part : name.rest) full += "." + part;
  throw std::runtime_error("mustache: '" + full +
                           "' is a lambda or an object, which this engine does not render");
}

bool callable(const mstch::node& node) {
  return boost::get<mstch::lambda>(&node) != nullptr ||
         boost::get<std::shared_ptr<mstch::object>>(&node) != nullptr;
}

// mstch's is_node_empty.
bool empty(const mstch::node& node) {
  if (const auto* s = boost::get<std::string>(&node)) return s->empty();
  if (const auto* b = boost::get<bool>(&node)) return !*b;
  if (const auto* a = boost::get<mstch::array>(&node)) return a->empty();
  if (const auto* i = boost::get<int>(&node)) return *i == 0;
  if (const auto* d = boost::get<double>(&node)) return *d == 0;
  return boost::get<std::nullptr_t>(&node) != nullptr;
}

}  // namespace

class Renderer {
 public:
  explicit Renderer(std::string& out) : out_(out) { stack_.reserve(16); }

  void run(const Template& t, const mstch::node& root, const mstch::node* under) {
    if (under != nullptr) stack_.push_back(under);
    stack_.push_back(&root);
    nodes(t.nodes_, {});
  }

 private:
  void nodes(const std::vector<Node>& list, std::string_view prefix) {
    for (const Node& node : list) {
      switch (node.kind) {
        case Kind::kText:
          out_ += node.text;
          break;
        case Kind::kPrefix:
          out_ += prefix;
          break;
        case Kind::kVariable:
          value(find(node.name), true);
          break;
        case Kind::kUnescaped:
          value(find(node.name), false);
          break;
        case Kind::kSection:
          section(node, prefix);
          break;
        case Kind::kInverted:
          if (empty(find(node.name))) {
            stack_.push_back(&kNull);
            nodes(node.children, prefix);
            stack_.pop_back();
          }
          break;
        case Kind::kPartial:
          partial(node);
          break;
        default:
          break;
      }
    }
  }

  void section(const Node& node, std::string_view prefix) {
    const mstch::node& value = find(node.name);
    if (empty(value)) return;
    if (const auto* items = boost::get<mstch::array>(&value)) {
      for (const mstch::node& item : *items) {
        if (callable(item)) unsupported_node(node.name);
        stack_.push_back(&item);
        nodes(node.children, prefix);
        stack_.pop_back();
      }
      return;
    }
    stack_.push_back(&value);
    nodes(node.children, prefix);
    stack_.pop_back();
  }

  void partial(const Node& node) {
    if (node.partial == nullptr) return;  // mstch renders nothing
    const Template& t = *node.partial;
    if (!t.error_.empty()) {
      if (t.unsupported_) throw Unsupported(t.error_);
      throw std::runtime_error(t.error_);
    }
    if (t.leaves_open_) {
      throw std::runtime_error("mustache: partial '" + node.name.base +
                               "' leaves a section open at its end");
    }
    if (++depth_ > kMaxPartialDepth) {
      throw std::runtime_error("mustache: partials nested more than " +
                               std::to_string(kMaxPartialDepth) + " deep (at '" + node.name.base +
                               "')");
    }
    nodes(t.nodes_, node.text);
    --depth_;
  }

  // mstch's find_node: the innermost node on the stack that has the name
  // (a map with the key; any other node for "."), then the rest inside it.
  const mstch::node& find(const Name& name) const {
    const mstch::node* found = &kNull;
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
      if (const auto* map = boost::get<mstch::map>(*it)) {
        if (const auto entry = map->find(name.base); entry != map->end()) {
          found = &entry->second;
          break;
        }
      } else if (name.dot) {
        found = *it;
        break;
      }
    }
    for (const std::string& key : name.rest) {
      if (callable(*found)) unsupported_node(name);
      const auto* map = boost::get<mstch::map>(found);
      if (map == nullptr) {
        found = &kNull;  // a key is never "."
        break;
      }
      const auto entry = map->find(key);
      found = entry == map->end() ? &kNull : &entry->second;
    }
    if (callable(*found)) unsupported_node(name);
    return *found;
  }

  // mstch's render_node.
  void value(const mstch::node& node, bool escape) {
    if (const auto* s = boost::get<std::string>(&node)) {
      if (escape) {
        append_escaped(out_, *s);
      } else {
        out_ += *s;
      }
    } else if (const auto* i = boost::get<int>(&node)) {
      out_ += std::to_string(*i);
    } else if (const auto* d = boost::get<double>(&node)) {
      // What `std::ostream << double` writes with default flags.
      char buf[64];
      const int n = std::snprintf(buf, sizeof buf, "%g", *d);
      if (n > 0) out_.append(buf, static_cast<std::size_t>(n));
    } else if (const auto* b = boost::get<bool>(&node)) {
      out_ += *b ? "true" : "false";
    }
    // null, maps and arrays: nothing.
  }

  std::string& out_;
  std::vector<const mstch::node*> stack_;
  int depth_ = 0;
};

Template::Template(std::string_view text) : text_size_(text.size()) {
  try {
    std::vector<Token> tokens = tokenize(text);
    strip_standalone(tokens);
    // mstch renders a partial's indentation as a text token before every
    // token that starts a line: mark those places.
    std::vector<Token> marked;
    marked.reserve(tokens.size() * 2);
    bool line_start = true;
    for (Token& t : tokens) {
      if (line_start) marked.emplace_back().kind = Kind::kPrefix;
      line_start = t.eol;
      marked.push_back(std::move(t));
    }
    leaves_open_ = !group(marked, 0, marked.size(), nodes_);
  } catch (const Unsupported& e) {
    error_ = e.what();
    unsupported_ = true;
    nodes_.clear();
  } catch (const std::exception& e) {
    error_ = e.what();
    nodes_.clear();
  }
}

void Template::link(const Partials& partials) { link_nodes(nodes_, partials); }

void Template::render(const mstch::node& root, std::string& out, const mstch::node* under) const {
  if (!error_.empty()) {
    if (unsupported_) throw Unsupported(error_);
    throw std::runtime_error(error_);
  }
  Renderer(out).run(*this, root, under);
}

std::string Template::render(const mstch::node& root, const mstch::node* under) const {
  std::string out;
  out.reserve(text_size_ + text_size_ / 2 + 64);
  render(root, out, under);
  return out;
}

std::string render(std::string_view text, const mstch::node& root,
                   const std::map<std::string, std::string>& partials) {
  Partials compiled;
  for (const auto& [name, content] : partials) {
    const Template& p = compiled.try_emplace(name, content).first->second;
    // mstch parses every partial it is handed before rendering.
    if (!p.error().empty()) p.render(root);  // throws the compile error
  }
  for (auto& [name, t] : compiled) t.link(compiled);
  Template t(text);
  t.link(compiled);
  return t.render(root);
}

}  // namespace newsdesk::render::mustache
