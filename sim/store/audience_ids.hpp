// neuroflash audience ids (version-4 UUIDs) that name their own slot: the
// n-th created audience's id is a keyed, invertible scramble of n, so the
// store finds an audience from its id without an id -> audience table
// (16 bytes of id and about 20 of table entry saved per audience). The ids
// look random, differ with the seed, and are checked in full on the way back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ab::sim {

class AudienceIds {
 public:
  static constexpr std::size_t text_size = 36;

  AudienceIds(std::uint64_t key_high, std::uint64_t key_low) : key_high_(key_high), key_low_(key_low) {}

  void append(std::string& out, std::uint64_t number) const;
  std::string text(std::uint64_t number) const;
  // The number whose id is exactly `id`, if it is one of ours.
  std::optional<std::uint64_t> number(std::string_view id) const;

 private:
  struct Bits {
    std::uint64_t high;
    std::uint64_t low;
  };
  Bits bits(std::uint64_t number) const;

  std::uint64_t key_high_;
  std::uint64_t key_low_;
};

}  // namespace ab::sim
