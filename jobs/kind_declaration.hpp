// How a job kind is declared, once (docs/job-kinds.md): its name, its
// columns, the budgets its requests are charged to with their defaults, the
// API it talks to (endpoints, flags, the settings it needs) and its batch
// limits. The registry (jobs/registry.cpp) lists the declarations; the CLI,
// `check` and `run` learn about kinds from it alone.
#pragma once

#include "engine/input/columns.hpp"
#include "engine/run/job_kind.hpp"
#include "engine/run/run_options.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ab {

// A budget a kind's requests are charged to: what --rate may name.
struct BudgetDeclaration {
  std::string_view name;    // "tw.total_count"
  std::uint64_t limit = 0;  // the default: `limit` requests per `window`; 0: none unless --rate sets one
  Duration window{0};
};

// What every kind of one API shares.
struct ApiDeclaration {
  std::string_view name;    // "neuroflash", "X Ads API"
  std::string_view prefix;  // its kinds' names begin with it: "nf."
  // The CLI flags that set its endpoints ("nf-api", ...): given with another
  // API's kind they do nothing, and the CLI says so.
  std::span<const std::string_view> flags;
  // Where its requests go: checked (https, or loopback) before anything is sent.
  std::vector<std::string> (*urls)(const JobConfig& config);
  // Why a job of this API cannot start with `config` (one line), or "" when
  // it can; `sending`: a run, not a check. Not asked of the embedded simulator.
  std::string (*settings_problem)(const JobConfig& config, bool sending);
};

struct KindDeclaration {
  std::string_view name;                        // its --job name: "nf.create"
  const ApiDeclaration* api = nullptr;
  std::span<const Column> columns = {};             // checked and typed before validate()
  std::span<const BudgetDeclaration> budgets = {};  // every budget its requests are charged to
  BatchPolicy batch = {};                           // rows (and bytes) per request
  std::span<const std::string_view> flags = {};     // CLI flags only this kind reads ("create")
  std::unique_ptr<JobKind> (*make)(const JobConfig& config) = nullptr;
};

// A kind's name, columns and batch limits are its declaration's.
class DeclaredKind : public JobKind {
 public:
  explicit DeclaredKind(const KindDeclaration& declaration) : declaration_(declaration) {}
  std::string_view name() const final { return declaration_.name; }
  std::span<const Column> columns() const final { return declaration_.columns; }
  BatchPolicy batching() const final { return declaration_.batch; }

 private:
  const KindDeclaration& declaration_;
};

}  // namespace ab
