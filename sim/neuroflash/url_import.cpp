#include "sim/neuroflash/url_import.hpp"

#include <boost/json/array.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

namespace ab::sim {

namespace {

namespace json = boost::json;

struct Country {
  std::string_view tld;
  std::string_view code;
  std::string_view language;
  std::array<std::string_view, 3> cities;
};

constexpr std::array<Country, 13> countries{{
    {"de", "DE", "de", {"Berlin", "Munich", "Hamburg"}},
    {"at", "AT", "de", {"Vienna", "Graz", "Linz"}},
    {"ch", "CH", "de", {"Zurich", "Basel", "Bern"}},
    {"fr", "FR", "fr", {"Paris", "Lyon", "Marseille"}},
    {"es", "ES", "es", {"Madrid", "Barcelona", "Valencia"}},
    {"it", "IT", "it", {"Milan", "Rome", "Turin"}},
    {"nl", "NL", "nl", {"Amsterdam", "Rotterdam", "Utrecht"}},
    {"uk", "GB", "en", {"London", "Manchester", "Bristol"}},
    {"us", "US", "en", {"New York", "Austin", "San Francisco"}},
    {"ca", "CA", "en", {"Toronto", "Vancouver", "Montreal"}},
    {"au", "AU", "en", {"Sydney", "Melbourne", "Brisbane"}},
    {"br", "BR", "pt", {"São Paulo", "Rio de Janeiro", "Belo Horizonte"}},
    {"jp", "JP", "ja", {"Tokyo", "Osaka", "Yokohama"}},
}};

// Where a .com, .io or an IP address points to: the big English and German markets.
constexpr std::array<std::size_t, 5> generic_countries{8, 7, 0, 9, 10};

constexpr std::array<std::string_view, 16> interests{
    "AI", "content marketing", "e-commerce", "sustainability", "travel", "fitness", "personal finance", "gaming",
    "fashion", "home improvement", "online education", "cooking", "photography", "startups", "remote work",
    "electric mobility"};
constexpr std::array<std::string_view, 10> needs{
    "scale content production", "save time on routine tasks", "reach new customers", "grow brand awareness",
    "improve conversion rates", "trustworthy product information", "better value for money", "faster delivery",
    "expert advice", "a consistent brand voice"};
constexpr std::array<std::string_view, 10> pain_points{
    "manual workflows", "tight budgets", "too little time", "inconsistent messaging", "information overload",
    "hidden costs", "slow customer service", "complex tools", "unreliable suppliers", "low engagement"};

// FNV-1a then splitmix64: stable across compilers and platforms, unlike the
// standard distributions.
class HostHash {
 public:
  explicit HostHash(const std::vector<std::string>& hosts) {
    for (const auto& host : hosts) {
      for (unsigned char c : host) state_ = (state_ ^ c) * 0x100000001b3ULL;
      state_ = (state_ ^ '\n') * 0x100000001b3ULL;
    }
  }
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

 private:
  std::uint64_t state_ = 0xcbf29ce484222325ULL;
};

template <std::size_t N>
json::array pick(HostHash& hash, const std::array<std::string_view, N>& pool, std::size_t count) {
  std::array<bool, N> taken{};
  json::array picked;
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t at = hash.below(N);
    while (taken[at]) at = (at + 1) % N;
    taken[at] = true;
    picked.emplace_back(pool[at]);
  }
  return picked;
}

const Country& country_of(std::string_view host, HostHash& hash) {
  const std::string_view tld = host.substr(host.rfind('.') + 1);
  for (const auto& country : countries)
    if (country.tld == tld) return country;
  return countries[generic_countries[hash.below(generic_countries.size())]];
}

// Whole percents: a split whose decimal sum is exactly 1.
json::object gender_split(HostHash& hash) {
  const auto female = static_cast<std::int64_t>(35 + hash.below(26));
  const auto non_binary = static_cast<std::int64_t>(1 + hash.below(5));
  const auto prefer_not_to_say = static_cast<std::int64_t>(1 + hash.below(4));
  const auto male = 100 - female - non_binary - prefer_not_to_say;
  auto share = [](std::int64_t percent) { return static_cast<double>(percent) / 100.0; };
  return {{"female", share(female)},
          {"male", share(male)},
          {"nonBinary", share(non_binary)},
          {"preferNotToSay", share(prefer_not_to_say)}};
}

std::string host_of(const boost::urls::url_view& url) {
  std::string host(url.encoded_host());
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (host.starts_with("www.")) host.erase(0, 4);
  return host;
}

}  // namespace

UrlImportCheck check_url_import(const json::value& body) {
  UrlImportCheck check;
  if (!body.is_object()) {
    check.errors.push_back({"body", "must be a JSON object"});
    return check;
  }
  const auto& fields = body.get_object();
  const auto* model = fields.if_contains("audienceModelId");
  if (!model || !model->is_string())
    check.errors.push_back({"audienceModelId", "is required"});
  else if (model->get_string() != known_audience_model)
    check.errors.push_back({"audienceModelId", "is not a known audience model"});

  const auto* urls = fields.if_contains("urls");
  if (!urls || !urls->is_array() || urls->get_array().empty()) {
    check.errors.push_back({"urls", "must be a non-empty list of URLs"});
    return check;
  }
  const auto& list = urls->get_array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string field = "urls[" + std::to_string(i) + "]";
    if (!list[i].is_string()) {
      check.errors.push_back({field, "must be a string"});
      continue;
    }
    auto url = boost::urls::parse_absolute_uri(list[i].get_string());
    if (!url || (url->scheme_id() != boost::urls::scheme::http && url->scheme_id() != boost::urls::scheme::https) ||
        url->encoded_host().empty()) {
      check.errors.push_back({field, "must be an absolute http(s) URL"});
      continue;
    }
    check.hosts.push_back(host_of(*url));
  }
  return check;
}

json::object profile_from_hosts(const std::vector<std::string>& hosts) {
  HostHash hash(hosts);
  const Country& country = country_of(hosts.front(), hash);
  const auto min_age = static_cast<std::int64_t>(18 + hash.below(20));
  const auto max_age = min_age + static_cast<std::int64_t>(15 + hash.below(20));
  std::string name = "Visitors of " + hosts.front();
  if (hosts.size() > 1) name += " and " + std::to_string(hosts.size() - 1) + " more";
  if (name.size() > 255) name.resize(255);  // still a valid create body (hosts are ASCII)
  json::object profile;
  profile["name"] = name;
  profile["country"] = country.code;
  profile["genderDistribution"] = gender_split(hash);
  profile["interests"] = pick(hash, interests, 3);
  profile["maxAge"] = max_age;
  profile["minAge"] = min_age;
  profile["nativeLanguage"] = country.language;
  profile["needs"] = pick(hash, needs, 2);
  profile["painPoints"] = pick(hash, pain_points, 2);
  profile["residence"] = country.cities[hash.below(country.cities.size())];
  profile["shared"] = false;
  return profile;
}

}  // namespace ab::sim
