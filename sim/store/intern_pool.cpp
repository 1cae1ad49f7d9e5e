#include "sim/store/intern_pool.hpp"

#include <functional>

namespace ab::sim {

InternPool::Id InternPool::intern(std::string_view text) {
  const std::uint64_t hash = std::hash<std::string_view>{}(text);
  if (auto known = index_.find(hash, [&](Id id) { return this->text(id) == text; })) return *known;
  const Id id = static_cast<Id>(refs_.size());
  refs_.push_back(texts_.add(text));
  index_.insert(id, hash, [this](Id other) { return std::hash<std::string_view>{}(this->text(other)); });
  return id;
}

}  // namespace ab::sim
