#include "sim/twitter/call.hpp"

#include <boost/json/array.hpp>

namespace ab::sim::tw {

boost::json::object error_json(const XError& error) {
  boost::json::object out{{"code", error.code}, {"message", error.message}};
  if (!error.parameter.empty()) out["parameter"] = error.parameter;
  return out;
}

std::optional<bool> parse_x_bool(std::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return std::nullopt;
}

const std::string* find_param(const oauth1::Params& params, std::string_view name) {
  for (const auto& [key, value] : params)
    if (key == name) return &value;
  return nullptr;
}

boost::json::object Call::echo() const {
  boost::json::object out;
  for (const auto& [key, value] : params)
    if (!out.contains(key)) out[key] = value;
  if (!account_id.empty()) out["account_id"] = account_id;
  if (!audience_id.empty()) out[dialect.audience_id] = audience_id;
  return out;
}

Answer data_answer(const Call& call, boost::json::value data, boost::json::object extra) {
  extra["data"] = std::move(data);
  extra["request"] = boost::json::object{{"params", call.echo()}};
  return {200, std::move(extra), std::nullopt};
}

Answer error_answer(const Call& call, unsigned status, XError error, std::string_view rule) {
  if (!rule.empty()) call.referee.violation(rule);
  return {
      status,
      {{"errors", boost::json::array{error_json(error)}}, {"request", boost::json::object{{"params", call.echo()}}}},
      std::nullopt};
}

}  // namespace ab::sim::tw
