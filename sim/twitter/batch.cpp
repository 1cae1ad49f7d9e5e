#include "sim/twitter/batch.hpp"

#include "sim/twitter/changes.hpp"
#include "sim/twitter/segments.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include <unordered_set>

namespace ab::sim::tw {

namespace {

enum class Operation { create, update, remove };

// One item, checked and ready to carry out.
struct Item {
  Operation operation = Operation::create;
  const boost::json::object* params = nullptr;
  NewAudience draft;           // create
  Audience* target = nullptr;  // update, remove
  std::optional<std::string> name;
  std::optional<std::string> description;
};

bool is_json(std::string_view content_type) {
  const std::string media = lower_ascii(content_type.substr(0, content_type.find(';')));
  const auto end = media.find_last_not_of(" \t");
  return media.substr(0, end == std::string::npos ? 0 : end + 1) == "application/json";
}

RuleError wrong_type(std::string parameter, std::string_view expected) {
  return {{code::invalid_parameter, parameter + " must be " + std::string(expected), parameter}, rule::invalid_body};
}

RuleError missing(std::string parameter) {
  return {{code::missing_parameter, parameter + " is required", parameter}, {}};
}

// An optional string parameter into `out`.
std::optional<RuleError> read_string(const boost::json::object& params, std::string_view key,
                                     std::optional<std::string>& out) {
  const auto* value = params.if_contains(key);
  if (!value) return std::nullopt;
  if (!value->is_string()) return wrong_type(std::string(key), "a string");
  out = std::string(value->get_string());
  return std::nullopt;
}

class Preparer {
 public:
  Preparer(Store& store, const Dialect& dialect) : store_(store), dialect_(dialect) {}

  std::optional<RuleError> prepare(Item& item) {
    switch (item.operation) {
      case Operation::create:
        return prepare_create(item);
      case Operation::update:
        return prepare_change(item, Change::update);
      case Operation::remove:
        return prepare_change(item, Change::remove);
    }
    return std::nullopt;
  }

 private:
  std::optional<RuleError> prepare_create(Item& item) {
    const auto& params = *item.params;
    std::optional<std::string> name;
    if (auto error = read_string(params, "name", name)) return error;
    if (!name) return missing("name");
    if (name->empty()) return RuleError{{code::invalid_parameter, "name must not be empty", "name"}, {}};
    std::optional<std::string> type;
    if (auto error = read_string(params, "audience_type", type)) return error;
    if (!type) return missing("audience_type");
    if (*type != "FLEXIBLE" && *type != "MOBILE_AUDIENCE")
      return RuleError{{code::invalid_parameter, "audience_type must be FLEXIBLE or MOBILE_AUDIENCE", "audience_type"},
                       {}};
    if (auto error = read_string(params, "description", item.draft.description)) return error;
    item.draft.name = std::move(*name);
    item.draft.audience_type = std::move(*type);

    const auto* segments = params.if_contains("segments");
    if (item.draft.audience_type != "FLEXIBLE") {
      if (segments) return RuleError{{code::invalid_parameter, "segments make a FLEXIBLE audience", "segments"}, {}};
      return std::nullopt;
    }
    if (!segments) return missing("segments");
    auto normalised = normalise_segments(*segments, [this](std::string_view id) { return usable(id); });
    if (auto* error = std::get_if<RuleError>(&normalised)) return *error;
    item.draft.segments = std::move(std::get<boost::json::value>(normalised));
    return std::nullopt;
  }

  std::optional<RuleError> prepare_change(Item& item, Change change) {
    const auto& params = *item.params;
    std::optional<std::string> id;
    if (auto error = read_string(params, item_id, id)) return error;
    if (!id) return missing(std::string(item_id));
    Audience* audience = usable(*id) ? store_.find(*id) : nullptr;
    if (auto refusal = refuse_change(audience, *id, change, dialect_, item_id)) return RuleError{refusal->error, {}};
    item.target = audience;
    if (change == Change::remove) {
      removed_.insert(audience->id);
      return std::nullopt;
    }
    if (auto error = read_string(params, "name", item.name)) return error;
    if (item.name && item.name->empty())
      return RuleError{{code::invalid_parameter, "name must not be empty", "name"}, {}};
    return read_string(params, "description", item.description);
  }

  // Live, and not deleted by an earlier item of this batch.
  bool usable(std::string_view id) const {
    const Audience* audience = store_.find(id);
    return audience && !audience->deleted && !removed_.contains(audience->id);
  }

  // An Update or Delete item names its audience so in every version: nothing
  // X published says the batch body was renamed with the resource.
  static constexpr std::string_view item_id = "tailored_audience_id";

  Store& store_;
  const Dialect& dialect_;
  std::unordered_set<std::string> removed_;
};

std::optional<Operation> parse_operation(std::string_view text) {
  if (text == "Create") return Operation::create;
  if (text == "Update") return Operation::update;
  if (text == "Delete") return Operation::remove;
  return std::nullopt;
}

Answer request_error(const Call& call, XError error, std::string_view rule) {
  return error_answer(call, 400, std::move(error), rule);
}

Answer invalid_body(const Call& call, std::string message) {
  return request_error(call, {code::invalid_parameter, std::move(message), {}}, rule::invalid_body);
}

// What X echoes as "request" for a batch: each item's params with the account.
boost::json::array echo_items(const Call& call, const boost::json::array& items) {
  boost::json::array out;
  for (const auto& item : items) {
    boost::json::object params = item.at("params").as_object();
    params["account_id"] = call.account_id;
    out.emplace_back(boost::json::object{{"params", std::move(params)}, {"operation_type", item.at("operation_type")}});
  }
  return out;
}

}  // namespace

Answer batch_audiences(const Call& call, Store& store) {
  if (!is_json(call.content_type)) return invalid_body(call, "the batch endpoint takes Content-Type: application/json");
  boost::system::error_code parse_error;
  const boost::json::value body = boost::json::parse(call.body, parse_error);
  if (parse_error) return invalid_body(call, "the body is not JSON: " + parse_error.message());
  if (!body.is_array()) return invalid_body(call, "the body must be a JSON array of operations");
  const auto& items = body.get_array();
  if (items.empty()) return invalid_body(call, "the batch has no operations");
  if (items.size() > max_batch_items)
    return request_error(
        call, {code::too_many_operations, "at most 10 operations per batch, got " + std::to_string(items.size()), {}},
        rule::batch_over_10);

  std::vector<Item> prepared(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto* item = items[i].if_object();
    const auto* type = item ? item->if_contains("operation_type") : nullptr;
    const auto* params = item ? item->if_contains("params") : nullptr;
    if (!type || !type->is_string() || !params || !params->is_object())
      return invalid_body(call,
                          "operation " + std::to_string(i) + " needs a string operation_type and a params object");
    const auto operation = parse_operation(type->get_string());
    if (!operation)
      return invalid_body(call, "operation " + std::to_string(i) + ": operation_type must be Create, Update or Delete");
    prepared[i].operation = *operation;
    prepared[i].params = &params->get_object();
  }

  Preparer preparer(store, call.dialect);
  boost::json::array operation_errors;
  bool failed = false;
  for (std::size_t i = 0; i < prepared.size(); ++i) {
    boost::json::array errors;
    if (auto error = preparer.prepare(prepared[i])) {
      failed = true;
      if (!error->rule.empty()) call.referee.violation(error->rule);
      boost::json::object shown = error_json(error->error);
      shown["index"] = i;
      errors.emplace_back(std::move(shown));
    }
    operation_errors.emplace_back(std::move(errors));
  }
  if (failed)
    return {
        400, {{"operation_errors", std::move(operation_errors)}, {"request", echo_items(call, items)}}, std::nullopt};

  boost::json::array data;
  for (Item& item : prepared) {
    switch (item.operation) {
      case Operation::create: {
        const auto created = store.create(std::move(item.draft), call.now, CreatedThrough::batch);
        if (created.duplicate) call.referee.violation(rule::duplicate_create);
        item.target = &created.audience;
        break;
      }
      case Operation::update:
        store.update(*item.target, std::move(item.name), std::move(item.description), call.now);
        break;
      case Operation::remove:
        store.remove(*item.target, call.now);
        break;
    }
    data.emplace_back(audience_json(*item.target));
  }
  return {200, {{"data", std::move(data)}, {"request", echo_items(call, items)}}, std::nullopt};
}

}  // namespace ab::sim::tw
