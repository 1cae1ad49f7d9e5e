// Building JSON answers: the status, the body text, and the connection
// semantics copied from the request (HTTP version, keep-alive).
#pragma once

#include "sim/http/api_handler.hpp"

#include <boost/beast/http/status.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace ab::sim {

namespace http = boost::beast::http;

// An answer to `request` with a JSON body (Content-Type application/json).
Response json_answer(const Request& request, http::status status, const boost::json::value& body);
// The same from ready-made JSON text (answers served from a cache).
Response json_text_answer(const Request& request, http::status status, std::string body);
// An answer without a body (204 No Content: without Content-Length).
Response empty_answer(const Request& request, http::status status);

// neuroflash's error shape (API.md §A6), used for every non-validation error
// the simulator itself produces: {"error": message, "code": code}.
boost::json::value error_body(std::string_view message, std::string_view code);

}  // namespace ab::sim
