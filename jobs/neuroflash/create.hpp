// Creating a target audience (API.md §A4), shared by nf.create and
// nf.url-import --create. A create is never sent twice: the API offers no way
// to look an audience up by name, so a create whose answer was lost ends
// `unknown` with what to check (SPEC.md §5).
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/run/job_kind.hpp"
#include "jobs/neuroflash/session.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <string_view>

namespace ab::nf {

// The `unknown` result for a create that may have been applied.
RowResult unknown_create(std::string_view name, std::string_view workspace, unsigned http_status = 0,
                         unsigned attempts = 0);

// POSTs `json_body` (the JSON text of audience `name`) once for `row`: ok
// with the new id, failed with the API's words, or unknown when the answer
// was lost. The created audience is stored in `created` when given. `name`
// is referenced until the returned awaitable completes.
Awaitable<RowResult> create_audience(Session& session, Api& api, std::size_t row, std::string json_body,
                                                  std::string_view name, boost::json::value* created = nullptr);

}  // namespace ab::nf
