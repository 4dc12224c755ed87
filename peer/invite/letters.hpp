// Between the pure invitation rules and the wire: an invitation or an
// answer as the letter that carries it (proto/attune/v1/invite.proto), and
// what a letter from the partner does to the invitation it concerns.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "attune/invite/invitation.hpp"
#include "attune/v1/invite.pb.h"

namespace attune::invite {

// A fresh random id (32 hex digits) for an invitation or a letter.
std::string random_id();

v1::InviteLetter invitation_letter(const Invitation& invitation, const std::string& letter_id,
                                   const std::string& my_name);
v1::InviteLetter answer_letter(const std::string& invitation_id, const Answer& answer, const std::string& letter_id,
                               const std::string& my_name);

// The invitation as it should be kept after `letter` arrived from the
// partner `partner_device_id`, or why the letter can't be taken (a letter
// about an invitation this device doesn't have, an answer not allowed now,
// a damaged letter).
std::variant<Invitation, Problem> arrived(const v1::InviteLetter& letter, const std::optional<Invitation>& current,
                                          const std::string& partner_device_id);

// The invitation a letter concerns.
std::string invitation_id_of(const v1::InviteLetter& letter);

}  // namespace attune::invite
