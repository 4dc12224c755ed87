#include "invite/outgoing.hpp"

#include "attune/text.hpp"
#include "invite/letters.hpp"

namespace attune::invite {

namespace {

void keep(InviteStore& store, const Invitation& inv, const v1::InviteLetter& letter) {
  store.keep_with_letter(inv, {letter.letter_id(), inv.partner_device_id, letter.SerializeAsString()});
}

}  // namespace

std::variant<Invitation, Problem> send_invitation(InviteStore& store, const std::filesystem::path& data_dir,
                                                  const Draft& draft, const std::string& my_name,
                                                  const std::string& to, int64_t now_ms) {
  const auto partner = partner_of(data_dir, to);
  if (const auto* p = std::get_if<Problem>(&partner)) return *p;
  auto accepted = accept_draft(draft, now_ms);
  if (const auto* p = std::get_if<Problem>(&accepted)) return *p;
  Invitation inv = std::get<Invitation>(accepted);
  inv.id = random_id();
  inv.side = Side::Sent;
  inv.partner_device_id = std::get<Partner>(partner).peer.device_id;
  keep(store, inv, invitation_letter(inv, random_id(), clean_name(repair_utf8(my_name))));
  return inv;
}

std::variant<Invitation, Problem> answer_invitation(InviteStore& store, const std::string& id, const Answer& answer,
                                                    const std::string& my_name) {
  const auto found = store.find(id);
  if (!found) return Problem{"There is no invitation " + sanitize_display_text(id) + " here."};
  if (auto p = answer_problem(*found, answer, found->side)) return *p;
  const Invitation next = apply_answer(*found, answer);
  keep(store, next, answer_letter(next.id, answer, random_id(), clean_name(repair_utf8(my_name))));
  return next;
}

}  // namespace attune::invite
