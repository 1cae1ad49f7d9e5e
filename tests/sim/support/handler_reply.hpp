// What a simulated API's handler answered, as its handler-level tests read it.
#pragma once

#include "sim/http/api_handler.hpp"

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace ab::sim::test {

struct HandlerReply {
  unsigned status = 0;
  boost::json::value body;  // null when the body is not JSON
  Response raw;

  // A header's value, "" when the answer has none.
  std::string header(std::string_view name) const {
    const auto it = raw.find(name);
    return it == raw.end() ? std::string() : std::string(it->value());
  }
};

}  // namespace ab::sim::test
