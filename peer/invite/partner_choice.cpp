#include "invite/partner_choice.hpp"

#include <algorithm>
#include <vector>

#include "attune/text.hpp"
#include "identity/pinned_peer_store.hpp"

namespace attune::invite {

namespace {

using identity::PinnedPeer;
using Pin = std::pair<std::string, PinnedPeer>;

std::string label(const Pin& pin) {
  return pin.second.name.empty() ? pin.first : sanitize_display_text(pin.second.name) + " (" + pin.first + ")";
}

std::string listed(const std::vector<Pin>& pins) {
  std::string text;
  for (const auto& pin : pins) {
    text += "\n  " + pin.first + "  ";
    if (identity::seat_unknown(pin.second))
      text += "paired before (this computer didn't keep which seat it took then)";
    else
      text += (pin.second.name.empty() ? std::string("no name") : sanitize_display_text(pin.second.name)) + ", " +
              identity::seat_words(pin.second.role);
  }
  return text;
}

Partner partner(const Pin& pin) {
  return {{pin.first, pin.second.public_key}, pin.second.name, identity::seat_unknown(pin.second), {}};
}

std::variant<Partner, Problem> named(const std::vector<Pin>& all, const std::string& to) {
  std::vector<Pin> matches;
  for (const auto& pin : all) {
    if (pin.first == to) matches = {pin};
    if (pin.first == to) break;
    if (pin.first.starts_with(to)) matches.push_back(pin);
  }
  if (matches.empty())
    return Problem{"This computer hasn't paired with " + sanitize_display_text(to) +
                   ". Pair once in a session first; after that no code is needed."};
  if (matches.size() > 1)
    return Problem{"More than one paired device starts with " + sanitize_display_text(to) +
                   "; type a few more characters:" + listed(matches)};
  const Pin& pin = matches.front();
  if (pin.second.role == v1::ROLE_COACH)
    return Problem{label(pin) + " was paired as a coach's device. Invitations go only to your partner's device."};
  if (pin.second.my_role == v1::ROLE_COACH)
    return Problem{"This computer sat as a coach with " + label(pin) +
                   ", so it doesn't send invitations there; they go between the partners' own devices."};
  return partner(pin);
}

}  // namespace

std::variant<Partner, Problem> partner_of(const std::filesystem::path& data_dir, const std::string& to) {
  identity::PinnedPeerStore pins(data_dir);
  if (auto error = pins.load()) return Problem{*error};
  const auto all = pins.list();
  if (!to.empty()) return named(all, to);
  std::vector<Pin> partners, unknown;
  for (const auto& pin : all) {
    if (identity::paired_as_other_partner(pin.second)) partners.push_back(pin);
    if (identity::seat_unknown(pin.second)) unknown.push_back(pin);
  }
  if (partners.size() == 1) return partner(partners.front());
  if (partners.size() > 1) {
    partners.insert(partners.end(), unknown.begin(), unknown.end());
    return Problem{"This computer has paired with more than one partner's device. Say which one with --to "
                   "(attune invite send --to ID):" + listed(partners)};
  }
  if (unknown.size() == 1) return partner(unknown.front());
  if (unknown.size() > 1)
    return Problem{"This computer paired with these devices before it kept who sat where, so it can't tell which "
                   "is your partner's. Say which one with --to (attune invite send --to ID):" + listed(unknown)};
  const bool sat_as_coach =
      std::any_of(all.begin(), all.end(), [](const Pin& pin) { return pin.second.my_role == v1::ROLE_COACH; });
  if (sat_as_coach)
    return Problem{"This computer sat as a coach in its sessions, so it doesn't send invitations; they go between "
                   "the partners' own devices."};
  if (!all.empty())
    return Problem{"This computer has paired only with a coach's device. Invitations go to your partner's "
                   "device: pair with it once in a session first."};
  return Problem{"This computer hasn't paired with your partner's yet. Pair once in a session; after that "
                 "invitations need no code."};
}

std::variant<Partner, Problem> postbox_partner(const std::filesystem::path& data_dir) {
  auto chosen = partner_of(data_dir, "");
  if (std::holds_alternative<Partner>(chosen)) return chosen;
  identity::PinnedPeerStore pins(data_dir);
  if (pins.load()) return chosen;
  std::vector<Pin> partners;
  for (const auto& pin : pins.list())
    if (identity::paired_as_other_partner(pin.second)) partners.push_back(pin);
  if (partners.size() < 2) return chosen;
  const auto newest = std::max_element(partners.begin(), partners.end(), [](const Pin& a, const Pin& b) {
    if (a.second.pinned_at_ms != b.second.pinned_at_ms) return a.second.pinned_at_ms < b.second.pinned_at_ms;
    return a.first > b.first;
  });
  Partner p = partner(*newest);
  p.note = "This computer has paired with more than one partner's device. Invitations go to and come from " +
           label(*newest) + ", the one paired most recently. To use another, run attune invite serve --to ID.";
  return p;
}

PostboxChoice postbox_choice(const std::filesystem::path& data_dir, const std::string& to) {
  identity::PinnedPeerStore pins(data_dir);
  if (auto error = pins.load()) return {Problem{*error}, false};
  return {to.empty() ? postbox_partner(data_dir) : partner_of(data_dir, to), true};
}

PostboxStep follow_pins(const std::optional<crypto::PeerIdentity>& serving, const PostboxChoice& now) {
  const auto* partner = std::get_if<Partner>(&now.chosen);
  if (!now.read) return serving ? PostboxStep::Keep : PostboxStep::Wait;  // Look again later; change nothing.
  if (!serving) return partner ? PostboxStep::Open : PostboxStep::Wait;
  if (!partner) return PostboxStep::Close;
  return partner->peer == *serving ? PostboxStep::Keep : PostboxStep::Switch;
}

std::string now_serving_words(const Partner& partner) {
  const std::string who = partner.name.empty() ? "your partner's device " + partner.peer.device_id
                                               : sanitize_display_text(partner.name) + " (" + partner.peer.device_id + ")";
  return "Invitations now go to and come from " + who + ".";
}

std::optional<bool> still_pinned(const std::filesystem::path& data_dir, const crypto::PeerIdentity& peer) {
  identity::PinnedPeerStore pins(data_dir);
  if (pins.load()) return std::nullopt;
  for (const auto& pin : pins.list())
    if (pin.first == peer.device_id) return pin.second.public_key == peer.public_key;
  return false;
}

}  // namespace attune::invite
