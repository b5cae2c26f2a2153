#pragma once

#include <cstdint>
#include <string>

namespace newsdesk::model {

struct Category {
  std::int64_t id = 0;  // 0 until stored
  std::string slug;     // unique, URL-safe: "press-release"
  std::string name;     // shown to readers: "Press Release"

  friend bool operator==(const Category&, const Category&) = default;
};

}  // namespace newsdesk::model
