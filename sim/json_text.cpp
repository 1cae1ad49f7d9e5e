#include "sim/json_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <type_traits>

namespace ab::sim {

namespace {

void append_string(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out.append(escaped);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

template <typename Number>
void append_number(std::string& out, Number n) {
  if constexpr (std::is_floating_point_v<Number>) {
    if (!std::isfinite(n)) {  // JSON has no infinity
      out.append("null");
      return;
    }
  }
  char digits[32];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  std::string_view text(digits, static_cast<std::size_t>(end - digits));
  out.append(text);
  // A double stays a double when read back ("1.0", not "1").
  if constexpr (std::is_floating_point_v<Number>)
    if (text.find_first_of(".e") == std::string_view::npos) out.append(".0");
}

}  // namespace

void append_json_text(std::string& out, const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null: out.append("null"); return;
    case boost::json::kind::bool_: out.append(value.get_bool() ? "true" : "false"); return;
    case boost::json::kind::int64: append_number(out, value.get_int64()); return;
    case boost::json::kind::uint64: append_number(out, value.get_uint64()); return;
    case boost::json::kind::double_: append_number(out, value.get_double()); return;
    case boost::json::kind::string: append_string(out, value.get_string()); return;
    case boost::json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& element : value.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_text(out, element);
      }
      out.push_back(']');
      return;
    }
    case boost::json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& member : value.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        append_string(out, member.key());
        out.push_back(':');
        append_json_text(out, member.value());
      }
      out.push_back('}');
      return;
    }
  }
}

void append_json_string(std::string& out, std::string_view text) { append_string(out, text); }

std::string to_json_text(const boost::json::value& value) {
  std::string out;
  append_json_text(out, value);
  return out;
}

}  // namespace ab::sim
