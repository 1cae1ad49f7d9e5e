// Every job kind by its --job name.
#pragma once

#include "audience_batch/run.hpp"
#include "engine/run/job_kind.hpp"

#include <memory>
#include <span>
#include <string_view>

namespace ab {

// The kind named `name` ("nf.create", "tw.count", ...), or null when unknown.
std::unique_ptr<JobKind> make_job_kind(std::string_view name, const JobConfig& config);

// All names, in the order --help lists them.
std::span<const std::string_view> job_kind_names();

// Per API (jobs/neuroflash_kinds.cpp, jobs/twitter_kinds.cpp): null when not theirs.
std::unique_ptr<JobKind> make_neuroflash_kind(std::string_view name, const JobConfig& config);
std::unique_ptr<JobKind> make_twitter_kind(std::string_view name, const JobConfig& config);

}  // namespace ab
