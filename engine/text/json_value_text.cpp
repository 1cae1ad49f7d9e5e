#include "engine/text/json_value_text.hpp"

namespace ab {

void write_json_value(JsonText& out, const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null: out.null(); break;
    case boost::json::kind::bool_: out.boolean(value.get_bool()); break;
    case boost::json::kind::int64: out.number(value.get_int64()); break;
    case boost::json::kind::uint64: out.number(value.get_uint64()); break;
    case boost::json::kind::double_: out.number(value.get_double()); break;
    case boost::json::kind::string: out.string(value.get_string()); break;
    case boost::json::kind::array:
      out.begin_array();
      for (const auto& item : value.get_array()) write_json_value(out, item);
      out.end_array();
      break;
    case boost::json::kind::object:
      out.begin_object();
      for (const auto& [key, item] : value.get_object()) {
        out.key(key);
        write_json_value(out, item);
      }
      out.end_object();
      break;
  }
}

}  // namespace ab
