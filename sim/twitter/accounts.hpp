// B9: GET accounts and GET accounts/:account_id, the official SDKs' entry
// point (`client.accounts(id)`). The simulator serves one ad account.
#pragma once

#include "sim/twitter/call.hpp"

namespace ab::sim::tw {

// GET accounts: every account of the user (one), cursor-paged like B1.
Answer list_accounts(const Call& call, std::string_view account_id);
// GET accounts/:account_id, already known to be the simulated account.
Answer get_account(const Call& call);

}  // namespace ab::sim::tw
