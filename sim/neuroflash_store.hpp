// What the simulated neuroflash account holds: two workspaces, the audiences
// the client created, and a few audiences of another user ("Foreign …") that
// the client may read but not change (API.md §A5).
#pragma once

#include "sim/api_handler.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ab::sim {

struct Workspace {
  std::string id;
  std::string name;
};

struct Audience {
  std::string id;
  std::string workspace_id;
  std::string owner;            // user id: the client's, or a foreign user's
  boost::json::object profile;  // every profile field (see neuroflash_profile.hpp)
  SystemTime created_at;
  SystemTime updated_at;
};

class NeuroflashStore {
 public:
  static constexpr std::string_view client_user = "user-sim-client";
  static constexpr std::string_view foreign_user = "user-someone-else";

  explicit NeuroflashStore(std::uint64_t seed);

  const std::vector<Workspace>& workspaces() const { return workspaces_; }
  bool has_workspace(std::string_view id) const;
  // nullptr unless an audience with this id lives in this workspace.
  const Audience* find(std::string_view workspace_id, std::string_view id) const;
  // Whether the client already holds a live audience with exactly this profile.
  bool holds_identical(std::string_view workspace_id, const boost::json::object& profile) const;
  const Audience& create(std::string_view workspace_id, boost::json::object profile, SystemTime now);
  const Audience& replace(std::string_view id, boost::json::object profile, SystemTime now);
  void erase(std::string_view id);

  // The audience as the client sees it: profile, ids, times and its permissions.
  boost::json::object to_json(const Audience& audience) const;
  // {"nf_audiences": the client's live audiences, "nf_creates": n, "nf_foreign_ids": [...]}
  boost::json::object stats() const;

 private:
  std::string new_id();
  void seed_foreign_audiences();
  Audience& insert(Audience audience);
  void unindex(const Audience& audience);

  std::mt19937_64 random_;
  std::vector<Workspace> workspaces_;
  std::unordered_map<std::string, Audience> audiences_;
  std::unordered_multimap<std::string, std::string> ids_by_name_;  // workspace + '\n' + name -> id
  std::vector<std::string> foreign_ids_;
  std::uint64_t creates_ = 0;
};

}  // namespace ab::sim
