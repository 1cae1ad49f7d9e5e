#include "engine/journal/echo_cells.hpp"

#include "engine/journal/journal.hpp"
#include "engine/text/near_names.hpp"

#include <algorithm>

namespace ab {

std::optional<std::string> echo_problem(std::span<const std::string> header, std::span<const std::string> names,
                                        std::span<const Column> columns) {
  for (const auto& name : names) {
    if (std::find(header.begin(), header.end(), name) == header.end()) {
      const std::vector<std::string_view> candidates(header.begin(), header.end());
      const auto near = near_names(name, candidates);
      return "--echo: the job file has no column '" + name + "'" +
             (near.empty() ? "; its columns are " + name_list(header) : " (did you mean " + name_list(near) + "?)");
    }
    const auto declared = std::find_if(columns.begin(), columns.end(), [&](const Column& c) { return c.name == name; });
    if (declared != columns.end() && declared->personal)
      return "--echo: '" + name + "' holds personal identifiers, which are only ever sent hashed and never written "
             "to the results file";
  }
  return std::nullopt;
}

std::string echo_mismatch(const std::filesystem::path& results, std::span<const std::string> columns) {
  std::string given;
  for (const auto& name : columns) given += (given.empty() ? "" : ",") + name;
  return results.string() + " was begun " + (columns.empty() ? "without --echo" : "with --echo " + given) +
         ": run again " + (columns.empty() ? "without --echo" : "with --echo " + given) +
         ", or give another --out for other columns";
}

EchoCells::EchoCells(std::span<const std::string> header, std::span<const std::string> names) {
  for (const auto& name : names)
    positions_.push_back(static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin()));
}

void EchoCells::keep(const CsvRecord& record) {
  if (positions_.empty()) return;
  std::string cells;
  const Row* row = std::get_if<Row>(&record);
  for (const std::size_t at : positions_) {
    cells += ',';
    if (row && at < row->size()) append_csv_field(cells, row->field(at));
  }
  widest_ = std::max(widest_, cells.size());
  cells_.insert_or_assign(record_row(record), std::move(cells));
}

std::string EchoCells::take(std::size_t row) {
  if (positions_.empty()) return {};
  const auto it = cells_.find(row);
  if (it == cells_.end()) return std::string(positions_.size(), ',');
  std::string cells = std::move(it->second);
  cells_.erase(it);
  return cells;
}

}  // namespace ab
