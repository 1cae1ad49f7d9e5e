// The RowResults the tw.* kinds report, built one way everywhere.
#pragma once

#include "engine/send/api.hpp"
#include "engine/run/job_kind.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace ab::tw {

RowResult row_ok(unsigned http_status, std::string id, unsigned attempts);
RowResult row_failed(unsigned http_status, std::string error, unsigned attempts);
// From a request that did not succeed: its status and the API's reason (or
// `error`). A stopped request gives a `stopped` row, kept for the next run.
RowResult row_failed(const ApiAnswer& answer, unsigned attempts);
RowResult row_failed(const ApiAnswer& answer, std::string error, unsigned attempts);
RowResult row_unknown(unsigned http_status, std::string error, unsigned attempts);

// The answer's "data" (the audience) as the row's --responses line, if it has one.
void respond_with_data(RowSink& sink, std::size_t row, const ApiAnswer& answer);

// A text value of Task::params ("" when absent).
std::string param(const boost::json::object& params, std::string_view key);

}  // namespace ab::tw
