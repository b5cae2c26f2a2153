// The importer corpus (tests/feed/corpus/README.md): each input beside the
// JSON that `newsdesk import --dry-run --json` must print for it, written by
// hand from the specifications, or beside the error it must give.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "feed/import/parsed_feed.h"
#include "feed/import/parser.h"

namespace newsdesk::feed {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpusDir = fs::path(NEWSDESK_SOURCE_DIR) / "tests" / "feed" / "corpus";

bool is_input(const fs::path& p) {
  const std::string ext = p.extension().string();
  if (ext != ".xml" && ext != ".json" && ext != ".rss" && ext != ".atom") return false;
  // NAME.expected.json is an expectation, not an input.
  return p.stem().extension() != ".expected";
}

std::vector<std::string> corpus_inputs() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(kCorpusDir, ec)) {
    if (e.is_regular_file() && is_input(e.path())) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string trimmed(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

// NAME.xml -> NAME: expectations share the input's name without extension.
std::string stem_of(const std::string& file) { return fs::path(file).stem().string(); }

class Corpus : public testing::TestWithParam<std::string> {};

TEST_P(Corpus, MatchesExpectation) {
  const std::string file = GetParam();
  const std::string stem = stem_of(file);
  const fs::path expected_json = kCorpusDir / (stem + ".expected.json");
  const fs::path expected_error = kCorpusDir / (stem + ".expected-error.txt");
  const fs::path base_file = kCorpusDir / (stem + ".base.txt");
  const bool wants_json = fs::exists(expected_json);
  const bool wants_error = fs::exists(expected_error);
  ASSERT_NE(wants_json, wants_error) << file << ": needs exactly one of " << stem
                                     << ".expected.json and " << stem << ".expected-error.txt";

  const std::string bytes = read_file(kCorpusDir / file);
  const std::string base = fs::exists(base_file) ? trimmed(read_file(base_file)) : "";
  const Result<ParsedFeed> feed = parse_feed(bytes, base);

  if (wants_error) {
    const std::string needle = trimmed(read_file(expected_error));
    ASSERT_FALSE(feed.has_value())
        << file << ": parsed, but should fail with \"" << needle << "\"; got\n"
        << nlohmann::json::parse(to_json(*feed)).dump(2);
    EXPECT_NE(feed.error().message.find(needle), std::string::npos)
        << file << ": error \"" << feed.error().message << "\" lacks \"" << needle << "\"";
    return;
  }
  ASSERT_TRUE(feed.has_value()) << file << ": " << feed.error().message;
  const nlohmann::json actual = nlohmann::json::parse(to_json(*feed));
  nlohmann::json expected;
  try {
    expected = nlohmann::json::parse(read_file(expected_json));
  } catch (const nlohmann::json::exception& e) {
    FAIL() << stem << ".expected.json: " << e.what();
  }
  EXPECT_TRUE(actual == expected) << file << ": expected -> actual, as a JSON patch:\n"
                                  << nlohmann::json::diff(expected, actual).dump(2) << "\nactual:\n"
                                  << actual.dump(2);
}

std::string test_name(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, Corpus, testing::ValuesIn(corpus_inputs()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Corpus);

TEST(CorpusSize, HasAtLeastSixtyInputs) { EXPECT_GE(corpus_inputs().size(), 60u); }

// Every expectation belongs to an input: a renamed input would otherwise
// leave its golden file behind, silently untested.
TEST(CorpusSize, EveryExpectationHasItsInput) {
  const std::vector<std::string> inputs = corpus_inputs();
  std::vector<std::string> stems;
  for (const std::string& f : inputs) stems.push_back(stem_of(f));
  for (const fs::directory_entry& e : fs::directory_iterator(kCorpusDir)) {
    const std::string name = e.path().filename().string();
    for (const std::string suffix : {".expected.json", ".expected-error.txt", ".base.txt"}) {
      if (name.size() > suffix.size() && name.ends_with(suffix)) {
        const std::string stem = name.substr(0, name.size() - suffix.size());
        EXPECT_NE(std::find(stems.begin(), stems.end(), stem), stems.end())
            << name << " has no input";
      }
    }
  }
}

}  // namespace
}  // namespace newsdesk::feed
