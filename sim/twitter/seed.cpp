#include "sim/twitter/seed.hpp"

#include <boost/json/array.hpp>

#include <array>
#include <string_view>

namespace ab::sim::tw {

namespace {

// Mixed case on purpose: q matches prefixes without regard to case.
constexpr std::array<std::string_view, 10> subjects{"Newsletter",      "newsletter",     "Lapsed buyers", "VIP",
                                                    "Cart abandoners", "App installers", "Webinar",       "loyalty",
                                                    "Trial users",     "Event"};
constexpr std::array<std::string_view, 8> qualifiers{"subscribers", "2019",           "EU",    "US",
                                                     "Q3 leads",    "lookalike seed", "de-DE", "retargeting"};
constexpr std::array<std::string_view, 2> sharing_accounts{"gq1a7c", "5ta9nw"};

// 2017-01-01T00:00:00Z: seeded audiences were made over the four years after.
constexpr std::chrono::seconds seed_epoch{1'483'228'800};
constexpr std::int64_t four_years = 4 * 365 * 24 * 3600;
constexpr std::int64_t thirty_days = 30 * 24 * 3600;

std::uint64_t draw(std::mt19937_64& rng, std::uint64_t below) { return rng() % below; }

std::chrono::seconds seconds_below(std::mt19937_64& rng, std::int64_t below) {
  return std::chrono::seconds(static_cast<std::int64_t>(draw(rng, static_cast<std::uint64_t>(below))));
}

Audience crm_audience(std::size_t index, std::mt19937_64& rng, const std::string& account_id) {
  Audience audience;
  audience.name = std::string(subjects[draw(rng, subjects.size())]) + " " +
                  std::string(qualifiers[draw(rng, qualifiers.size())]) + " #" + std::to_string(index + 1);
  if (draw(rng, 2) == 0) audience.description = "Seeded audience " + std::to_string(index + 1);
  audience.created_at = SystemTime(seed_epoch + seconds_below(rng, four_years));
  audience.updated_at = audience.created_at + seconds_below(rng, thirty_days);
  if (draw(rng, 3) != 0) {
    audience.targetable = true;
    audience.audience_size = 1'000 + draw(rng, 2'000'000);
  } else {
    audience.reasons_not_targetable = {"TOO_SMALL"};
  }
  const bool shared = index % 6 == 5;
  audience.owner_account_id = shared ? std::string(sharing_accounts[index % 2]) : account_id;
  audience.permission_level = shared ? "READ_ONLY" : "READ_WRITE";
  audience.deleted = index % 7 == 3;
  return audience;
}

// A flexible audience over two earlier audiences, in the normalised form the
// batch endpoint stores (every default spelt out).
boost::json::value two_leaf_segments(const std::string& first, const std::string& second) {
  const auto leaf = [](const std::string& id, std::string_view comparator) {
    return boost::json::object{
        {"tailored_audience_id", id},         {"lookback_window", 30}, {"frequency", 1},
        {"frequency_comparator", comparator}, {"negate", false},       {"child_segments", boost::json::array{}}};
  };
  return boost::json::object{{"boolean_operator", "OR"},
                             {"frequency", 1},
                             {"frequency_comparator", "NUM_GTE"},
                             {"negate", false},
                             {"child_segments", boost::json::array{leaf(first, "NUM_GTE"), leaf(second, "NUM_GT")}}};
}

}  // namespace

void seed_audiences(Store& store, std::mt19937_64& rng) {
  for (std::size_t index = 0; index < seeded_audiences; ++index) {
    Audience audience = crm_audience(index, rng, store.account_id());
    if (index == 12 || index == 26) {  // owned and live, by crm_audience's rules
      const auto& earlier = store.audiences();
      audience.audience_type = "FLEXIBLE";
      audience.segments = two_leaf_segments(earlier[index - 12].id, earlier[index - 11].id);
    }
    audience.targetable_types = targetable_types_for(audience.audience_type);
    store.add(std::move(audience));
  }
}

}  // namespace ab::sim::tw
