// The create body of the neuroflash seed (seeds/, "Schritt 4"), verbatim: the
// one profile both the simulator's tests and the job kinds' tests start from.
#pragma once

namespace ab::testing {

inline constexpr const char* neuroflash_seed_profile = R"({
  "country": "US",
  "genderDistribution": {"female": 0.5, "male": 0.4, "nonBinary": 0.07, "preferNotToSay": 0.03},
  "interests": ["AI", "content marketing"],
  "maxAge": 45, "minAge": 25,
  "name": "Marketing leaders",
  "nativeLanguage": "en",
  "needs": ["scale content production"],
  "painPoints": ["manual workflows"],
  "residence": "Berlin",
  "shared": true
})";

}  // namespace ab::testing
