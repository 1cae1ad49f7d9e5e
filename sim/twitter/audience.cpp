#include "sim/twitter/audience.hpp"

#include "sim/iso_time.hpp"

#include <boost/json/array.hpp>

namespace ab::sim::tw {

namespace {

boost::json::array strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const auto& value : values) out.emplace_back(value);
  return out;
}

// The batch endpoint's answer carries a flexible audience's definition under
// "metadata", as the seed's example shows.
boost::json::array flexible_metadata(const Audience& audience) {
  boost::json::object entry{{"tailored_audience_id", audience.id},
                            {"account_id", audience.owner_account_id},
                            {"name", audience.name},
                            {"audience_source", "FLEXIBLE_AUDIENCE"},
                            {"upload_status", "UPLOADED"},
                            {"segments", audience.segments}};
  return boost::json::array{std::move(entry)};
}

}  // namespace

std::vector<std::string> targetable_types_for(std::string_view audience_type) {
  const std::string type(audience_type);
  return {type, "EXCLUDED_" + type};
}

boost::json::object audience_json(const Audience& audience) {
  boost::json::object out{
      {"id", audience.id},
      {"name", audience.name},
      {"description", audience.description ? boost::json::value(*audience.description) : boost::json::value(nullptr)},
      {"audience_type", audience.audience_type},
      {"targetable", audience.targetable},
      {"targetable_types", strings(audience.targetable_types)},
      {"reasons_not_targetable", strings(audience.reasons_not_targetable)},
      {"permission_level", audience.permission_level},
      {"owner_account_id", audience.owner_account_id},
      {"partner_source", audience.partner_source},
      {"deleted", audience.deleted},
      {"audience_size",
       audience.audience_size ? boost::json::value(*audience.audience_size) : boost::json::value(nullptr)},
      {"created_at", iso8601(audience.created_at)},
      {"updated_at", iso8601(audience.updated_at)},
  };
  if (audience.flexible() && !audience.segments.is_null()) out["metadata"] = flexible_metadata(audience);
  return out;
}

}  // namespace ab::sim::tw
