#include "invite/outgoing.hpp"

#include "attune/text.hpp"
#include "identity/pinned_peer_store.hpp"
#include "invite/letters.hpp"

namespace attune::invite {

namespace {

void keep(InviteStore& store, const Invitation& inv, const v1::InviteLetter& letter) {
  store.keep_with_letter(inv, {letter.letter_id(), inv.partner_device_id, letter.SerializeAsString()});
}

}  // namespace

std::variant<crypto::PeerIdentity, Problem> partner_of(const std::filesystem::path& data_dir, const std::string& to) {
  identity::PinnedPeerStore pins(data_dir);
  if (auto error = pins.load()) return Problem{*error};
  if (!to.empty()) {
    const auto found = pins.find(to);
    if (!found) return Problem{"This computer hasn't paired with " + sanitize_display_text(to) +
                               ". Pair once in a session first; after that no code is needed."};
    return crypto::PeerIdentity{to, found->public_key};
  }
  const auto all = pins.list();
  if (all.empty())
    return Problem{"This computer hasn't paired with your partner's yet. Pair once in a session; after that "
                   "invitations need no code."};
  if (all.size() > 1) return Problem{"This computer has paired with more than one device: say which is your "
                                     "partner's with --to (attune devices lists them)."};
  return crypto::PeerIdentity{all.front().first, all.front().second.public_key};
}

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
  inv.partner_device_id = std::get<crypto::PeerIdentity>(partner).device_id;
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
