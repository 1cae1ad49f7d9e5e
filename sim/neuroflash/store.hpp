// What the simulated neuroflash account holds: two workspaces, the audiences
// the client created, and a few audiences of another user ("Foreign …") that
// the client may read but not change (API.md §A5).
//
// Built for rehearsals of millions of rows (issue 22): no JSON document is
// kept per audience. A created audience is a slot number, its id a scramble
// of that number (audience_ids.hpp); its answers are rendered when asked.
// What a slot keeps depends on the store mode:
//   full  the whole profile, packed: the name's bytes in an arena, every other
//         text field (country, gender split, lists) as a number into a pool of
//         distinct values, the ages and `shared` inline, the creation time;
//         about 75 bytes an audience. Every answer is as before.
//   ids   what later calls of the same job can ask about: that the id exists,
//         its workspace, whether it is live, and a 64-bit fingerprint of its
//         profile for the duplicate-create rule; about 20 bytes an audience.
//         Create answers are complete (rendered from the request), a PUT's
//         lacks createdAt, and a GET of a created audience is refused (409).
#pragma once

#include "audience_batch/simulator.hpp"
#include "sim/http/api_handler.hpp"
#include "sim/store/audience_ids.hpp"
#include "sim/store/chunked_vector.hpp"
#include "sim/store/hash_slots.hpp"
#include "sim/store/intern_pool.hpp"
#include "sim/store/text_arena.hpp"

#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <optional>
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

class NeuroflashStore {
 public:
  static constexpr std::string_view client_user = "user-sim-client";
  static constexpr std::string_view foreign_user = "user-someone-else";

  // An audience: a created one's slot, or one of the seeded foreign ones.
  struct Ref {
    bool seeded = false;
    std::uint32_t index = 0;
  };

  // An answer to a create or a PUT, and what it did.
  struct Written {
    Ref audience;
    bool duplicate = false;  // create: the client already held a live audience with exactly this profile
    std::string answer;      // the audience as JSON text
  };

  explicit NeuroflashStore(std::uint64_t seed, SimStore mode = SimStore::full);

  const std::vector<Workspace>& workspaces() const { return workspaces_; }
  bool has_workspace(std::string_view id) const { return workspace_index(id).has_value(); }
  // The audience with this id in this workspace, if any (live).
  std::optional<Ref> find(std::string_view workspace_id, std::string_view id) const;
  bool client_owns(Ref audience) const { return !audience.seeded; }
  std::string id(Ref audience) const;

  // `profile` is check_profile's: every profile field, valid.
  Written create(std::string_view workspace_id, const boost::json::object& profile, SystemTime now);
  Written replace(Ref audience, const boost::json::object& profile, SystemTime now);
  void erase(Ref audience);

  // The audience as the client sees it (JSON text): profile, ids, times and
  // its permissions; nullopt in ids mode for a created one (not kept).
  std::optional<std::string> answer(Ref audience) const;

  // {"nf_audiences": the client's live audiences, "nf_creates": n, "nf_foreign_ids": [...],
  //  "nf_store": "full"|"ids", "nf_store_bytes": n, "nf_bytes_per_audience": n}
  boost::json::object stats() const;
  // What the created audiences' store occupies, its pools and tables included.
  std::size_t bytes() const;

 private:
  // A full-mode profile: the name in names_, the other texts in values_.
  struct PackedProfile {
    TextArena::Ref name = 0;
    std::array<InternPool::Id, 7> texts{};  // country, genderDistribution, interests, nativeLanguage, needs, painPoints, residence
    std::int8_t max_age = -1;               // -1: null
    std::int8_t min_age = -1;
    bool shared = false;
  };
  struct Seeded {
    std::string id;
    std::uint8_t workspace;
    std::string answer;
  };

  std::optional<std::uint8_t> workspace_index(std::string_view id) const;
  std::string new_random_id();
  void seed_foreign_audiences();

  PackedProfile pack(const boost::json::object& profile);
  void append_profile(std::string& out, const PackedProfile& packed) const;
  bool same_profile(const PackedProfile& a, const PackedProfile& b) const;  // names compared as text
  std::uint64_t packed_hash(std::uint8_t workspace, const PackedProfile& packed) const;
  // The duplicates_ key of a slot, as it is stored now.
  std::uint64_t slot_hash(std::uint32_t slot) const;
  bool live(std::uint32_t slot) const { return flags_[slot] & live_flag; }
  std::uint8_t workspace_of(std::uint32_t slot) const { return flags_[slot] >> 1; }
  // The answer: id, the profile's members (JSON text without braces), workspace, owner, times, permissions.
  std::string render(std::uint32_t slot, std::string_view profile_text, std::optional<std::int64_t> created,
                     std::int64_t updated) const;
  std::int64_t updated_at(std::uint32_t slot) const;

  static constexpr std::uint8_t live_flag = 1;  // bits 1..7: the workspace's index

  SimStore mode_;
  std::mt19937_64 random_;
  std::vector<Workspace> workspaces_;
  std::vector<Seeded> seeded_;
  AudienceIds ids_;
  std::uint64_t creates_ = 0;
  std::uint64_t live_ = 0;

  ChunkedVector<std::uint8_t, 16384> flags_;           // every slot
  HashSlots duplicates_;                               // live slots, by profile hash
  ChunkedVector<std::uint64_t, 16384> fingerprints_;   // ids mode: a hash of the profile's text
  ChunkedVector<PackedProfile, 16384> profiles_;       // full mode
  ChunkedVector<std::int64_t, 16384> created_;         // full mode: seconds since 1970
  std::unordered_map<std::uint32_t, std::int64_t> updated_;  // full mode: slots a PUT changed
  TextArena names_;
  InternPool values_;
};

}  // namespace ab::sim
