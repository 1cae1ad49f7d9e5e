// One page of B1 (GET accounts/:id/tailored_audiences), split into what the
// kinds read: the audiences, the next cursor, the total count.
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/send/api.hpp"
#include "jobs/twitter/context.hpp"

#include <boost/json/array.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ab::tw {

// The largest page B1 gives (API.md §C.4).
inline constexpr const char* kMaxPageSize = "1000";

struct ListPage {
  ApiAnswer answer;
  boost::json::array audiences;            // "data"
  std::string next_cursor;                 // "" on the last page
  std::optional<std::int64_t> total_count;
  std::string malformed;                   // a 2xx answer we cannot read

  bool ok() const { return answer.ok() && malformed.empty(); }
  // Why the page is not usable (only when !ok()).
  std::string failure() const;
};

// Reads a list answer (exposed for tests).
ListPage read_list_page(ApiAnswer answer);

// Sends `request` (a B1 list request) and reads its answer.
Awaitable<ListPage> fetch_list_page(Api& api, ApiRequest request);

// Audience ids compare without regard to case (the API may answer "tyif" for "TYIF").
bool same_id(std::string_view a, std::string_view b);

// The string value of `key` in an audience object ("" when absent).
std::string audience_field(const boost::json::value& audience, std::string_view key);

}  // namespace ab::tw
