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

// The partner a running postbox should serve, read from the pins now: with
// `to`, exactly that device (partner_of); without, postbox_partner. `read`
// is false when the pins couldn't be read just then (`chosen` says why).
struct PostboxChoice {
  std::variant<Partner, Problem> chosen;
  bool read = true;
};
PostboxChoice postbox_choice(const std::filesystem::path& data_dir, const std::string& to);

// What a running postbox does when it looks at the pins again
// (proto/INVITE.md, section 1, "Pins change while it runs"). One decision
// for the postbox of `attune host`/`join` and the window (postbox_runner)
// and for `attune invite serve`.
enum class PostboxStep {
  Keep,    // Serving the partner the pins name (or the pins can't be read just now).
  Open,    // None open, and now a partner to serve: open for it.
  Switch,  // The pins name another partner: close (with close frames), open for it.
  Close,   // The one served is gone and no one else is named: close, and wait.
  Wait,    // None open and still no one to serve.
};
// `serving`: the partner the open postbox carries letters for (nullopt:
// none open). Pure: it only compares.
PostboxStep follow_pins(const std::optional<crypto::PeerIdentity>& serving, const PostboxChoice& now);

// One plain sentence for a postbox that follows the pins to `partner`:
// "Invitations now go to and come from NAME (ID)."
std::string now_serving_words(const Partner& partner);

// True while `peer` (id and key) is still among the pins in `data_dir`;
// nullopt when the pins can't be read just now.
std::optional<bool> still_pinned(const std::filesystem::path& data_dir, const crypto::PeerIdentity& peer);

}  // namespace attune::invite
