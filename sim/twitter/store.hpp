// The tailored audiences of the simulated ad account, in memory. Deleting
// only marks an audience (X answers with_deleted=true with it), so an
// audience, once added, stays where it is.
#pragma once

#include "sim/twitter/audience.hpp"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ab::sim::tw {

// What a client's create (B3 or a batch item) supplies.
struct NewAudience {
  std::string name;
  std::optional<std::string> description;
  std::string audience_type = "CRM";
  boost::json::value segments;  // normalised tree, for FLEXIBLE
};

enum class CreatedThrough { single, batch };

class Store {
 public:
  // `first_id` numbers the first audience's id; later ones count on from it.
  Store(std::string account_id, std::uint64_t first_id);

  const std::string& account_id() const { return account_id_; }

  // Adds a fully described audience (seed data), giving it its id.
  Audience& add(Audience audience);

  struct Created {
    Audience& audience;
    bool duplicate;  // a live audience of exactly this name was already created by a client
  };
  // A client's create: not targetable yet, still PROCESSING and TOO_SMALL, size unknown.
  Created create(NewAudience draft, SystemTime now, CreatedThrough through);

  // By id, in any case (X's ids are case-insensitive: the seed's batch
  // request names "TYIF", its answer "tyif"); deleted ones too.
  Audience* find(std::string_view id);
  const Audience* find(std::string_view id) const;

  void update(Audience& audience, std::optional<std::string> name, std::optional<std::string> description,
              SystemTime now);
  void remove(Audience& audience, SystemTime now);

  const std::deque<Audience>& audiences() const { return audiences_; }
  std::uint64_t live() const { return live_; }
  std::uint64_t creates() const { return creates_; }
  std::uint64_t batch_creates() const { return batch_creates_; }

 private:
  void forget_client_name(const Audience& audience);

  std::string account_id_;
  std::uint64_t first_id_;
  std::deque<Audience> audiences_;  // creation order; a deque keeps references valid as it grows
  std::unordered_map<std::string, std::uint64_t> live_client_names_;  // name -> live client-created audiences
  std::uint64_t live_ = 0;
  std::uint64_t creates_ = 0;
  std::uint64_t batch_creates_ = 0;
};

std::string lower_ascii(std::string_view text);

}  // namespace ab::sim::tw
