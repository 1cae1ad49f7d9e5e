#include "jobs/twitter/audience_list.hpp"

#include "engine/run/coroutine.hpp"

#include "jobs/twitter/api_errors.hpp"
#include "jobs/twitter/text.hpp"

namespace ab::tw {

std::string ListPage::failure() const { return malformed.empty() ? describe_failure(answer) : malformed; }

ListPage read_list_page(ApiAnswer answer) {
  ListPage page;
  page.answer = std::move(answer);
  if (!page.answer.ok()) return page;
  const auto* body = page.answer.json.if_object();
  const auto* data = body ? body->if_contains("data") : nullptr;
  if (!data || !data->is_array()) {
    page.malformed = "HTTP " + std::to_string(page.answer.status) + ": the answer has no data array";
    return page;
  }
  page.audiences = data->get_array();
  if (const auto* cursor = body->if_contains("next_cursor"); cursor && cursor->is_string())
    page.next_cursor = std::string(cursor->get_string());
  if (const auto* total = body->if_contains("total_count")) {
    if (total->is_int64()) page.total_count = total->get_int64();
    else if (total->is_uint64()) page.total_count = static_cast<std::int64_t>(total->get_uint64());
  }
  return page;
}

Awaitable<ListPage> fetch_list_page(Api& api, ApiRequest request) {
  co_return read_list_page(co_await api.send(std::move(request)));
}

bool same_id(std::string_view a, std::string_view b) { return iequals(a, b); }

std::string audience_field(const boost::json::value& audience, std::string_view key) {
  const auto* obj = audience.if_object();
  const auto* value = obj ? obj->if_contains(key) : nullptr;
  return value && value->is_string() ? std::string(value->get_string()) : std::string{};
}

}  // namespace ab::tw
