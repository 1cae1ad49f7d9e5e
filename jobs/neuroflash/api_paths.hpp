// Where neuroflash requests go (API.md §A2-§A5). Ids are percent-encoded as
// path segments, so an id from a job file can never change the path.
#pragma once

#include <string>
#include <string_view>

namespace ab::nf {

class ApiPaths {
 public:
  // `api`: the base URL, e.g. https://app.neuroflash.com/api (a trailing / is ignored).
  explicit ApiPaths(std::string_view api);

  // A2: GET {api}/workspace-service/v1/workspaces
  std::string workspaces() const;
  // A3: POST .../workspaces/{ws}/target-audiences-url-imports
  std::string url_imports(std::string_view workspace) const;
  // A4: POST .../workspaces/{ws}/target-audiences
  std::string audiences(std::string_view workspace) const;
  // A5: GET/PUT/DELETE .../workspaces/{ws}/target-audiences/{id}
  std::string audience(std::string_view workspace, std::string_view id) const;

 private:
  std::string workspace_base(std::string_view workspace) const;
  std::string api_;
};

// Everything but RFC 3986 unreserved characters percent-encoded ("a/b c" ->
// "a%2Fb%20c"): safe as a path segment and as a form-encoded value.
std::string percent_encoded(std::string_view raw);

}  // namespace ab::nf
