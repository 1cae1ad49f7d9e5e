// The audiences an ad account already has when the simulator starts: a few
// dozen, some deleted, some shared by other accounts, two flexible, with
// names and dates drawn from `rng`, so that a seed always gives the same account.
#pragma once

#include "sim/twitter/store.hpp"

#include <random>

namespace ab::sim::tw {

inline constexpr std::size_t seeded_audiences = 36;

void seed_audiences(Store& store, std::mt19937_64& rng);

}  // namespace ab::sim::tw
