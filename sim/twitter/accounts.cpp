#include "sim/twitter/accounts.hpp"

#include <boost/json/array.hpp>

#include <charconv>

namespace ab::sim::tw {

namespace {

boost::json::object account_json(std::string_view id) {
  return {{"id", id},
          {"name", "Simulated ad account"},
          {"business_name", "audience-batch simulator"},
          {"timezone", "America/New_York"},
          {"timezone_switch_at", "2017-01-31T05:00:00Z"},
          {"approval_status", "ACCEPTED"},
          {"deleted", false},
          {"created_at", "2017-01-31T08:00:00Z"},
          {"updated_at", "2017-01-31T08:00:00Z"}};
}

std::optional<RuleError> check_count(const Call& call) {
  const auto* count = call.param("count");
  if (!count) return std::nullopt;
  unsigned value = 0;
  const auto [end, error] = std::from_chars(count->data(), count->data() + count->size(), value);
  if (error == std::errc() && end == count->data() + count->size() && value >= 1 && value <= 1000)
    return std::nullopt;
  return RuleError{{code::invalid_parameter, "count must be an integer from 1 to 1000", "count"},
                   rule::count_out_of_range};
}

}  // namespace

Answer list_accounts(const Call& call, std::string_view account_id) {
  if (auto error = check_count(call)) return error_answer(call, 400, error->error, error->rule);
  // One account fits on the first page: no cursor this list handed out can follow it.
  if (call.param("cursor"))
    return error_answer(call, 400, {code::invalid_parameter, "cursor names no page of this list", "cursor"});
  return data_answer(call, boost::json::array{account_json(account_id)},
                     {{"next_cursor", nullptr}, {"data_type", "account"}});
}

Answer get_account(const Call& call) { return data_answer(call, account_json(call.account_id), {{"data_type", "account"}}); }

}  // namespace ab::sim::tw
