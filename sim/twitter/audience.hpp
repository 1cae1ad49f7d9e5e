// One X Ads tailored audience as the simulator keeps it, and its JSON form
// with every field of API.md §B, in the seed's formats.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ab::sim::tw {

using SystemTime = std::chrono::system_clock::time_point;

struct Audience {
  std::string id;  // lower-case base 36, as X's ids ("2906h")
  std::string name;
  std::optional<std::string> description;
  std::string audience_type = "CRM";  // CRM, FLEXIBLE, MOBILE_AUDIENCE
  bool targetable = false;
  std::vector<std::string> targetable_types{"CRM", "EXCLUDED_CRM"};
  std::vector<std::string> reasons_not_targetable;
  std::string permission_level = "READ_WRITE";  // READ_ONLY for audiences shared with the account
  std::string owner_account_id;
  std::string partner_source = "OTHER";
  bool deleted = false;
  std::optional<std::uint64_t> audience_size;
  SystemTime created_at{};
  SystemTime updated_at{};
  boost::json::value segments;  // a flexible audience's normalised tree; null otherwise
  bool created_by_client = false;
  std::uint64_t sequence = 0;  // creation order: the last tie-break of every sort

  bool flexible() const { return audience_type == "FLEXIBLE"; }
};

// What an audience of this type can be targeted as: CRM -> CRM, EXCLUDED_CRM.
std::vector<std::string> targetable_types_for(std::string_view audience_type);

boost::json::object audience_json(const Audience& audience);

}  // namespace ab::sim::tw
