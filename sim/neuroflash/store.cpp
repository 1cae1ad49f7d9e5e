#include "sim/neuroflash/store.hpp"

#include "sim/iso_time.hpp"
#include "sim/json_text.hpp"
#include "sim/neuroflash/profile.hpp"
#include "sim/neuroflash/url_import.hpp"

#include <boost/json/array.hpp>

#include <cstdio>
#include <functional>
#include <limits>
#include <stdexcept>

namespace ab::sim {

namespace {

namespace json = boost::json;

// The profile's text fields kept as pool numbers, in PackedProfile::texts order.
constexpr std::array<std::string_view, 7> pooled_fields{"country",  "genderDistribution", "interests", "nativeLanguage",
                                                        "needs",    "painPoints",         "residence"};

// The foreign user's audiences: brands another team of the account works for.
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> foreign_brands{{
    {"northwind-traders.com", "Foreign Northwind Traders shoppers"},
    {"contoso.de", "Foreign Contoso B2B buyers"},
    {"fabrikam.fr", "Foreign Fabrikam fashion fans"},
}};

const SystemTime foreign_created_at{std::chrono::seconds{1'704'067'200}};  // 2024-01-01T00:00:00Z

std::uint64_t mix(std::uint64_t h, std::uint64_t value) {
  h ^= value + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  return h ^ (h >> 31);
}

const json::value& field(const json::object& profile, std::string_view name) {
  static const json::value null;
  const auto* value = profile.if_contains(name);
  return value ? *value : null;
}

// "name":…,"country":…,…,"shared":… (no braces), from check_profile's object, in answer order.
void append_profile_object(std::string& out, const json::object& profile) {
  bool first = true;
  for (auto name : profile_fields) {
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, name);
    out.push_back(':');
    append_json_text(out, field(profile, name));
  }
}

void append_key(std::string& out, std::string_view key) {
  out.push_back(',');
  append_json_string(out, key);
  out.push_back(':');
}

std::int8_t packed_age(const json::value& age) {
  return age.is_int64() ? static_cast<std::int8_t>(age.get_int64()) : std::int8_t{-1};
}

}  // namespace

NeuroflashStore::NeuroflashStore(std::uint64_t seed, SimStore mode)
    : mode_(mode), random_(seed), ids_(0, 0) {
  workspaces_.push_back({new_random_id(), "Marketing"});
  workspaces_.push_back({new_random_id(), "Agency clients"});
  seed_foreign_audiences();
  const std::uint64_t key_high = random_();
  ids_ = AudienceIds(key_high, random_());
}

std::string NeuroflashStore::new_random_id() {
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
  // Read-only for the client, so their answers never change: kept as text.
  for (const auto& [host, name] : foreign_brands) {
    json::object json;
    json["id"] = new_random_id();
    for (auto& member : profile_from_hosts({std::string(host)})) json[member.key()] = member.value();
    json["name"] = name;
    json["shared"] = true;
    json["workspaceId"] = workspaces_.front().id;
    json["createdBy"] = foreign_user;
    json["createdAt"] = iso8601(foreign_created_at);
    json["updatedAt"] = iso8601(foreign_created_at);
    json["permissions"] = json::object{{"canUpdate", false}, {"canDelete", false}};
    seeded_.push_back({std::string(json["id"].as_string()), 0, to_json_text(json)});
  }
}

std::optional<std::uint8_t> NeuroflashStore::workspace_index(std::string_view id) const {
  for (std::size_t i = 0; i < workspaces_.size(); ++i)
    if (workspaces_[i].id == id) return static_cast<std::uint8_t>(i);
  return std::nullopt;
}

std::optional<NeuroflashStore::Ref> NeuroflashStore::find(std::string_view workspace_id, std::string_view id) const {
  const auto workspace = workspace_index(workspace_id);
  if (!workspace) return std::nullopt;
  if (auto number = ids_.number(id); number && *number < flags_.size()) {
    const auto slot = static_cast<std::uint32_t>(*number);
    if (live(slot) && workspace_of(slot) == *workspace) return Ref{false, slot};
    return std::nullopt;
  }
  for (std::uint32_t i = 0; i < seeded_.size(); ++i)
    if (seeded_[i].id == id && seeded_[i].workspace == *workspace) return Ref{true, i};
  return std::nullopt;
}

std::string NeuroflashStore::id(Ref audience) const {
  return audience.seeded ? seeded_[audience.index].id : ids_.text(audience.index);
}

NeuroflashStore::PackedProfile NeuroflashStore::pack(const json::object& profile) {
  PackedProfile packed;
  packed.name = names_.add(field(profile, "name").is_string() ? std::string_view(field(profile, "name").get_string())
                                                               : std::string_view());
  std::string text;
  for (std::size_t i = 0; i < pooled_fields.size(); ++i) {
    text.clear();
    append_json_text(text, field(profile, pooled_fields[i]));
    packed.texts[i] = values_.intern(text);
  }
  packed.max_age = packed_age(field(profile, "maxAge"));
  packed.min_age = packed_age(field(profile, "minAge"));
  const auto& shared = field(profile, "shared");
  packed.shared = shared.is_bool() && shared.get_bool();
  return packed;
}

void NeuroflashStore::append_profile(std::string& out, const PackedProfile& packed) const {
  auto age = [&](std::string_view key, std::int8_t years) {
    append_key(out, key);
    if (years < 0) out.append("null");
    else out.append(std::to_string(years));
  };
  append_json_string(out, "name");
  out.push_back(':');
  append_json_string(out, names_.get(packed.name));
  append_key(out, "country");
  out.append(values_.text(packed.texts[0]));
  append_key(out, "genderDistribution");
  out.append(values_.text(packed.texts[1]));
  append_key(out, "interests");
  out.append(values_.text(packed.texts[2]));
  age("maxAge", packed.max_age);
  age("minAge", packed.min_age);
  for (std::size_t i = 3; i < pooled_fields.size(); ++i) {
    append_key(out, pooled_fields[i]);
    out.append(values_.text(packed.texts[i]));
  }
  append_key(out, "shared");
  out.append(packed.shared ? "true" : "false");
}

std::uint64_t NeuroflashStore::packed_hash(std::uint8_t workspace, const PackedProfile& packed) const {
  std::uint64_t h = mix(workspace, std::hash<std::string_view>{}(names_.get(packed.name)));
  for (auto text : packed.texts) h = mix(h, text);
  const auto small = static_cast<std::uint64_t>(static_cast<std::uint8_t>(packed.max_age)) |
                     static_cast<std::uint64_t>(static_cast<std::uint8_t>(packed.min_age)) << 8 |
                     static_cast<std::uint64_t>(packed.shared) << 16;
  return mix(h, small);
}

bool NeuroflashStore::same_profile(const PackedProfile& a, const PackedProfile& b) const {
  return a.texts == b.texts && a.max_age == b.max_age && a.min_age == b.min_age && a.shared == b.shared &&
         names_.get(a.name) == names_.get(b.name);
}

std::uint64_t NeuroflashStore::slot_hash(std::uint32_t slot) const {
  return mode_ == SimStore::ids ? fingerprints_[slot] : packed_hash(workspace_of(slot), profiles_[slot]);
}

std::string NeuroflashStore::render(std::uint32_t slot, std::string_view profile_text,
                                    std::optional<std::int64_t> created, std::int64_t updated) const {
  std::string out;
  out.reserve(160 + profile_text.size());
  out.append(R"({"id":")");
  ids_.append(out, slot);
  out.append(R"(",)");
  out.append(profile_text);
  append_key(out, "workspaceId");
  append_json_string(out, workspaces_[workspace_of(slot)].id);
  append_key(out, "createdBy");
  append_json_string(out, client_user);
  if (created) {
    out.append(R"(,"createdAt":")");
    append_iso8601(out, *created);
    out.push_back('"');
  }
  out.append(R"(,"updatedAt":")");
  append_iso8601(out, updated);
  out.push_back('"');
  out.append(R"(,"permissions":{"canUpdate":true,"canDelete":true}})");
  return out;
}

NeuroflashStore::Written NeuroflashStore::create(std::string_view workspace_id, const json::object& profile,
                                                 SystemTime now) {
  const auto workspace = workspace_index(workspace_id);
  if (!workspace) throw std::invalid_argument("no such workspace");
  if (flags_.size() >= std::numeric_limits<std::uint32_t>::max() - 1)
    throw std::length_error("simulator store full (4 billion audiences)");
  const auto slot = static_cast<std::uint32_t>(flags_.size());
  const std::int64_t created = seconds_since_epoch(now);
  Written written{{false, slot}, false, {}};
  std::string profile_text;
  std::uint64_t hash = 0;
  if (mode_ == SimStore::ids) {
    append_profile_object(profile_text, profile);
    hash = mix(*workspace, std::hash<std::string_view>{}(profile_text));
    written.duplicate = duplicates_.find(hash, [&](std::uint32_t other) {
      return fingerprints_[other] == hash && workspace_of(other) == *workspace;
    }).has_value();
    fingerprints_.push_back(hash);
  } else {
    const PackedProfile packed = pack(profile);
    hash = packed_hash(*workspace, packed);
    written.duplicate = duplicates_.find(hash, [&](std::uint32_t other) {
      return workspace_of(other) == *workspace && same_profile(profiles_[other], packed);
    }).has_value();
    profiles_.push_back(packed);
    created_.push_back(created);
    append_profile(profile_text, packed);
  }
  flags_.push_back(static_cast<std::uint8_t>(live_flag | (*workspace << 1)));
  duplicates_.insert(slot, hash, [this](std::uint32_t s) { return slot_hash(s); });
  ++creates_;
  ++live_;
  written.answer = render(slot, profile_text, created, created);
  return written;
}

NeuroflashStore::Written NeuroflashStore::replace(Ref audience, const json::object& profile, SystemTime now) {
  if (audience.seeded) throw std::invalid_argument("a seeded audience is read-only");
  const std::uint32_t slot = audience.index;
  const std::uint8_t workspace = workspace_of(slot);
  auto hash_of = [this](std::uint32_t s) { return slot_hash(s); };
  duplicates_.erase(slot, slot_hash(slot), hash_of);
  const std::int64_t updated = seconds_since_epoch(now);
  std::string profile_text;
  std::optional<std::int64_t> created;  // ids mode keeps none: the answer leaves createdAt out
  if (mode_ == SimStore::ids) {
    append_profile_object(profile_text, profile);
    fingerprints_[slot] = mix(workspace, std::hash<std::string_view>{}(profile_text));
  } else {
    profiles_[slot] = pack(profile);
    updated_[slot] = updated;
    created = created_[slot];
    append_profile(profile_text, profiles_[slot]);
  }
  duplicates_.insert(slot, slot_hash(slot), hash_of);
  return {audience, false, render(slot, profile_text, created, updated)};
}

void NeuroflashStore::erase(Ref audience) {
  if (audience.seeded || !live(audience.index)) return;
  duplicates_.erase(audience.index, slot_hash(audience.index), [this](std::uint32_t s) { return slot_hash(s); });
  flags_[audience.index] &= static_cast<std::uint8_t>(~live_flag);
  --live_;
}

std::int64_t NeuroflashStore::updated_at(std::uint32_t slot) const {
  auto it = updated_.find(slot);
  return it == updated_.end() ? created_[slot] : it->second;
}

std::optional<std::string> NeuroflashStore::answer(Ref audience) const {
  if (audience.seeded) return seeded_[audience.index].answer;
  if (mode_ == SimStore::ids) return std::nullopt;
  const std::uint32_t slot = audience.index;
  std::string profile_text;
  append_profile(profile_text, profiles_[slot]);
  return render(slot, profile_text, created_[slot], updated_at(slot));
}

std::size_t NeuroflashStore::bytes() const {
  const std::size_t updated_nodes = updated_.size() * (sizeof(std::pair<const std::uint32_t, std::int64_t>) + 16) +
                                    updated_.bucket_count() * sizeof(void*);
  return flags_.bytes() + duplicates_.bytes() + fingerprints_.bytes() + profiles_.bytes() + created_.bytes() +
         updated_nodes + names_.bytes() + values_.bytes();
}

json::object NeuroflashStore::stats() const {
  json::array foreign;
  for (const auto& s : seeded_) foreign.emplace_back(s.id);
  const std::size_t stored = flags_.size();
  return {{"nf_audiences", live_},
          {"nf_creates", creates_},
          {"nf_foreign_ids", std::move(foreign)},
          {"nf_store", mode_ == SimStore::ids ? "ids" : "full"},
          {"nf_store_bytes", bytes()},
          {"nf_bytes_per_audience", stored == 0 ? 0.0 : static_cast<double>(bytes()) / static_cast<double>(stored)}};
}

}  // namespace ab::sim
