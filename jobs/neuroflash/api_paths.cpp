#include "jobs/neuroflash/api_paths.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace ab::nf {

ApiPaths::ApiPaths(std::string_view api) : api_(api) {
  while (!api_.empty() && api_.back() == '/') api_.pop_back();
}

std::string percent_encoded(std::string_view raw) {
  return boost::urls::encode(raw, boost::urls::unreserved_chars);
}

std::string ApiPaths::workspaces() const { return api_ + "/workspace-service/v1/workspaces"; }

std::string ApiPaths::workspace_base(std::string_view workspace) const {
  return api_ + "/audience-service/v1/workspaces/" + percent_encoded(workspace);
}

std::string ApiPaths::url_imports(std::string_view workspace) const {
  return workspace_base(workspace) + "/target-audiences-url-imports";
}

std::string ApiPaths::audiences(std::string_view workspace) const {
  return workspace_base(workspace) + "/target-audiences";
}

std::string ApiPaths::audience(std::string_view workspace, std::string_view id) const {
  return audiences(workspace) + "/" + percent_encoded(id);
}

}  // namespace ab::nf
