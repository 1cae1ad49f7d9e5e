// The parts of a request target ("/path?query").
#pragma once

#include <string_view>

namespace ab::sim {

inline std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

inline std::string_view query_of(std::string_view target) {
  const auto mark = target.find('?');
  return mark == std::string_view::npos ? std::string_view{} : target.substr(mark + 1);
}

}  // namespace ab::sim
