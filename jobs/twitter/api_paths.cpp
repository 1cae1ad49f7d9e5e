#include "jobs/twitter/api_paths.hpp"

#include "jobs/twitter/percent_encoding.hpp"

namespace ab::tw {

Query& Query::add(std::string_view name, std::string_view value) {
  params_.emplace_back(name, value);
  return *this;
}

Query& Query::add_if(std::string_view name, std::string_view value) {
  if (!value.empty()) add(name, value);
  return *this;
}

std::string Query::str() const {
  std::string out;
  for (const auto& [name, value] : params_) {
    out += out.empty() ? '?' : '&';
    out += percent_encode(name);
    out += '=';
    out += percent_encode(value);
  }
  return out;
}

ApiPaths::ApiPaths(std::string_view api_base, std::string_view account, const ApiVersion& version)
    : version_(version), base_(api_base), account_(percent_encode(account)) {
  while (!base_.empty() && base_.back() == '/') base_.pop_back();
}

std::string ApiPaths::audiences(const Query& query) const {
  return base_ + "/accounts/" + account_ + "/" + std::string(version_.audiences) + query.str();
}

std::string ApiPaths::audience(std::string_view id, const Query& query) const {
  return base_ + "/accounts/" + account_ + "/" + std::string(version_.audiences) + "/" + percent_encode(id) + query.str();
}

// Built on audience(): where the audience's resource is named, its users are too.
std::string ApiPaths::audience_users(std::string_view id) const { return audience(id) + "/users"; }

std::string ApiPaths::batch_audiences() const {
  return base_ + "/batch/accounts/" + account_ + "/" + std::string(version_.audiences);
}

}  // namespace ab::tw
