// Which paired device an invitation goes to: only one seen as the other
// partner (the pins keep the seats, identity/pinned_peer_store.hpp), never a
// coach's. `--to` is needed only when more than one could be meant; then the
// words list them by name. A pin kept before seats were ("paired before")
// is offered, named as such, and used alone only when it is the one device
// this computer knows.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <variant>

#include "attune/crypto/device_identity.hpp"
#include "attune/invite/invitation.hpp"

namespace attune::invite {

struct Partner {
  crypto::PeerIdentity peer;
  std::string name;            // Its name then, as typed (sanitize to show); "" if not known.
  bool paired_before = false;  // Its seat isn't known: say where the invitation goes.
  // postbox_partner: why this one, when it was chosen among several (plain words).
  std::string note;
};

// `to`: a device id or its first characters, or "" to let the pins decide.
std::variant<Partner, Problem> partner_of(const std::filesystem::path& data_dir, const std::string& to);

// The partner the postbox of `attune host`/`join` and the window serves
// (proto/INVITE.md, section 1): partner_of without --to, except that with
// several partners' pins the one paired most recently (then the smallest
// device id) is chosen, and `note` says so.
std::variant<Partner, Problem> postbox_partner(const std::filesystem::path& data_dir);

// True while `peer` (id and key) is still among the pins in `data_dir`;
// nullopt when the pins can't be read just now.
std::optional<bool> still_pinned(const std::filesystem::path& data_dir, const crypto::PeerIdentity& peer);

}  // namespace attune::invite
