#include "sim/http/wire_format.hpp"

namespace ab::sim {

void write_head(const Response& response, std::string& out) {
  out.assign(response.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  const unsigned status = response.result_int();
  out.push_back(static_cast<char>('0' + status / 100 % 10));
  out.push_back(static_cast<char>('0' + status / 10 % 10));
  out.push_back(static_cast<char>('0' + status % 10));
  out.push_back(' ');
  out.append(response.reason());
  out.append("\r\n");
  for (const auto& field : response) {
    out.append(field.name_string());
    out.append(": ");
    out.append(field.value());
    out.append("\r\n");
  }
  out.append("\r\n");
}

}  // namespace ab::sim
