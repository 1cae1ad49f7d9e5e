// Every kind's declaration, declared from the one list jobs/kinds.def: what
// the registry's table, the kinds' own files and their tests name.
#pragma once

#include "jobs/neuroflash/neuroflash_kind.hpp"
#include "jobs/twitter/kinds.hpp"

namespace ab {

#define AB_KIND(api, name) \
  namespace api {          \
  extern const Declaration name##_declaration; \
  }
#include "jobs/kinds.def"
#undef AB_KIND

}  // namespace ab
