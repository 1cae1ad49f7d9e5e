#include "sim/neuroflash_store.hpp"

#include "sim/iso_time.hpp"
#include "sim/url_import.hpp"

#include <boost/json/array.hpp>

#include <array>
#include <cstdio>

namespace ab::sim {

namespace {

std::string name_key(std::string_view workspace_id, const boost::json::object& profile) {
  std::string key(workspace_id);
  key.push_back('\n');
  if (const auto* name = profile.if_contains("name"); name && name->is_string()) key.append(name->get_string());
  return key;
}

// The foreign user's audiences: brands another team of the account works for.
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> foreign_brands{{
    {"northwind-traders.com", "Foreign Northwind Traders shoppers"},
    {"contoso.de", "Foreign Contoso B2B buyers"},
    {"fabrikam.fr", "Foreign Fabrikam fashion fans"},
}};

const SystemTime foreign_created_at{std::chrono::seconds{1'704'067'200}};  // 2024-01-01T00:00:00Z

}  // namespace

NeuroflashStore::NeuroflashStore(std::uint64_t seed) : random_(seed) {
  workspaces_.push_back({new_id(), "Marketing"});
  workspaces_.push_back({new_id(), "Agency clients"});
  seed_foreign_audiences();
}

std::string NeuroflashStore::new_id() {
  // A version-4 UUID, the shape neuroflash's ids have.
  const std::uint64_t high = (random_() & ~0xf000ULL) | 0x4000ULL;
  const std::uint64_t low = (random_() & ~(0xcULL << 60)) | (0x8ULL << 60);
  char text[40];
  std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(high >> 32),
                static_cast<unsigned long long>((high >> 16) & 0xffff), static_cast<unsigned long long>(high & 0xffff),
                static_cast<unsigned long long>(low >> 48), static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

void NeuroflashStore::seed_foreign_audiences() {
  for (const auto& [host, name] : foreign_brands) {
    auto profile = profile_from_hosts({std::string(host)});
    profile["name"] = name;
    profile["shared"] = true;
    Audience audience{new_id(), workspaces_.front().id, std::string(foreign_user), std::move(profile),
                      foreign_created_at, foreign_created_at};
    foreign_ids_.push_back(insert(std::move(audience)).id);
  }
}

Audience& NeuroflashStore::insert(Audience audience) {
  ids_by_name_.emplace(name_key(audience.workspace_id, audience.profile), audience.id);
  std::string id = audience.id;
  return audiences_.insert_or_assign(std::move(id), std::move(audience)).first->second;
}

bool NeuroflashStore::has_workspace(std::string_view id) const {
  for (const auto& w : workspaces_)
    if (w.id == id) return true;
  return false;
}

const Audience* NeuroflashStore::find(std::string_view workspace_id, std::string_view id) const {
  auto it = audiences_.find(std::string(id));
  if (it == audiences_.end() || it->second.workspace_id != workspace_id) return nullptr;
  return &it->second;
}

bool NeuroflashStore::holds_identical(std::string_view workspace_id, const boost::json::object& profile) const {
  auto [first, last] = ids_by_name_.equal_range(name_key(workspace_id, profile));
  for (auto it = first; it != last; ++it) {
    const Audience& other = audiences_.at(it->second);
    if (other.owner == client_user && other.profile == profile) return true;
  }
  return false;
}

const Audience& NeuroflashStore::create(std::string_view workspace_id, boost::json::object profile, SystemTime now) {
  ++creates_;
  return insert(Audience{new_id(), std::string(workspace_id), std::string(client_user), std::move(profile), now, now});
}

const Audience& NeuroflashStore::replace(std::string_view id, boost::json::object profile, SystemTime now) {
  Audience& audience = audiences_.at(std::string(id));
  unindex(audience);
  audience.profile = std::move(profile);
  audience.updated_at = now;
  ids_by_name_.emplace(name_key(audience.workspace_id, audience.profile), audience.id);
  return audience;
}

void NeuroflashStore::erase(std::string_view id) {
  auto it = audiences_.find(std::string(id));
  if (it == audiences_.end()) return;
  unindex(it->second);
  audiences_.erase(it);
}

void NeuroflashStore::unindex(const Audience& audience) {
  auto [first, last] = ids_by_name_.equal_range(name_key(audience.workspace_id, audience.profile));
  for (auto named = first; named != last; ++named) {
    if (named->second == audience.id) {
      ids_by_name_.erase(named);
      return;
    }
  }
}

boost::json::object NeuroflashStore::to_json(const Audience& audience) const {
  const bool own = audience.owner == client_user;
  boost::json::object json;
  json["id"] = audience.id;
  for (const auto& member : audience.profile) json[member.key()] = member.value();
  json["workspaceId"] = audience.workspace_id;
  json["createdBy"] = audience.owner;
  json["createdAt"] = iso8601(audience.created_at);
  json["updatedAt"] = iso8601(audience.updated_at);
  json["permissions"] = boost::json::object{{"canUpdate", own}, {"canDelete", own}};
  return json;
}

boost::json::object NeuroflashStore::stats() const {
  boost::json::array foreign(foreign_ids_.begin(), foreign_ids_.end());
  // The client's own audiences: the foreign ones are listed apart.
  return {{"nf_audiences", audiences_.size() - foreign_ids_.size()}, {"nf_creates", creates_}, {"nf_foreign_ids", std::move(foreign)}};
}

}  // namespace ab::sim
