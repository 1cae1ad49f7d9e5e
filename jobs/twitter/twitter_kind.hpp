// The part every tw.* job kind has in common: the context, and a start that
// refuses to begin without an account and credentials, then proves them with
// one cheap request so that bad credentials end the run (exit 2) before any row.
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/run/job_kind.hpp"
#include "jobs/kind_declaration.hpp"
#include "jobs/twitter/context.hpp"

namespace ab::tw {

class TwitterKind : public DeclaredKind {
 public:
  TwitterKind(const KindDeclaration& declaration, Context context)
      : DeclaredKind(declaration), context_(std::move(context)) {}
  // Nothing is opened ahead for a version start() will refuse.
  std::string rows_server() const final { return context_.version_error.empty() ? context_.endpoints.api : ""; }
  Awaitable<StartResult> start(Api& api) override;

 protected:
  const Context& context() const { return context_; }

 private:
  Context context_;
};

// The settings a tw.* run lacks, by the names users set them with; empty when complete.
std::string missing_settings(const TwitterEndpoints& endpoints);

// A 401 or 403: the API refused these credentials for the account.
bool credentials_refused(const ApiAnswer& answer);
// Why the run ends (exit 2), naming the account, never a secret.
std::string refused_credentials(const Context& context, const ApiAnswer& answer);

}  // namespace ab::tw
