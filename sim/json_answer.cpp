#include "sim/json_answer.hpp"

#include "sim/json_text.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/object.hpp>

namespace ab::sim {

Response json_text_answer(const Request& request, http::status status, std::string body) {
  Response response(status, request.version());
  response.set(http::field::content_type, "application/json");
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response json_answer(const Request& request, http::status status, const boost::json::value& body) {
  return json_text_answer(request, status, to_json_text(body));
}

Response empty_answer(const Request& request, http::status status) {
  Response response(status, request.version());
  response.keep_alive(request.keep_alive());
  // RFC 9110 §8.6: a 204 carries no Content-Length at all.
  if (status != http::status::no_content) response.content_length(0);
  return response;
}

boost::json::value error_body(std::string_view message, std::string_view code) {
  return boost::json::object{{"error", message}, {"code", code}};
}

}  // namespace ab::sim
