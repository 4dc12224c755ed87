// What this device sends: an invitation to the pinned partner, or an answer.
// Each is kept with the letter that carries it, in one transaction; the
// postbox delivers it. Shared by `attune invite` and the window.
#pragma once

#include <filesystem>
#include <string>
#include <variant>

#include "attune/crypto/device_identity.hpp"
#include "attune/invite/invitation.hpp"
#include "invite/invite_store.hpp"
#include "invite/partner_choice.hpp"

namespace attune::invite {

// Throws store::StoreError when the disk refuses (nothing kept).
std::variant<Invitation, Problem> send_invitation(InviteStore& store, const std::filesystem::path& data_dir,
                                                  const Draft& draft, const std::string& my_name,
                                                  const std::string& to, int64_t now_ms);
std::variant<Invitation, Problem> answer_invitation(InviteStore& store, const std::string& id, const Answer& answer,
                                                    const std::string& my_name);

}  // namespace attune::invite
