#include "jobs/neuroflash/neuroflash_kind.hpp"

#include "engine/run/coroutine.hpp"

#include <array>

namespace ab::nf {

namespace {
constexpr std::array<Column, 1> id_table = {{{"id", CellType::text, true}}};
constexpr Field kId = field(id_table, "id");
}  // namespace

std::span<const Column> id_columns() { return id_table; }

Validation id_task(const Row& row, const Fields& fields) {
  Task task;
  task.row = row.number();
  task.params["id"] = fields.text(kId);
  return task;
}

Awaitable<void> NeuroflashKind::run(std::vector<Task> tasks, Api& api, RowSink& sink) {
  for (auto& task : tasks) {
    const std::size_t row = task.row;
    sink.finish(row, co_await perform(std::move(task), api, sink));
  }
}

}  // namespace ab::nf
