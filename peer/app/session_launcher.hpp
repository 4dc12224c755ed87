// How the start screen gets a session: host one, find one nearby, or join
// by invite or address. Each returns the NodeApi the views then drive.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/session_requests.hpp"
#include "node_api.hpp"

namespace attune::app {

class SessionLauncher {
 public:
  virtual ~SessionLauncher() = default;
  // Returns the node, or nullptr with a plain reason in *error.
  virtual std::shared_ptr<NodeApi> host(const HostRequest& request, std::string* error) = 0;
  virtual std::shared_ptr<NodeApi> join(const JoinRequest& request, std::string* error) = 0;
  virtual std::vector<NearbySession> nearby() = 0;
  // How others reach the session this launcher hosts ("" if none).
  virtual std::string invite() = 0;
  // The tag others nearby see for the session this launcher hosts ("" when
  // it isn't announced, or no longer is): announcements carry no names.
  virtual std::string nearby_tag() { return {}; }
  // The window let go of the session it hosted or joined (stop announcing).
  virtual void released() {}
  // Whether joining asks for the short code shown on the host (pairing).
  virtual bool wants_code() const { return false; }
  // Why the hosted session's code changed or stopped (after wrong guesses,
  // or after 10 minutes), for the lobby; "" when there is nothing to say.
  // Cleared when the host dismisses it or another device joins.
  virtual std::string code_notice() { return {}; }
  virtual void dismiss_code_notice() {}
  // After host/join failed because the saved session file is damaged (or
  // not ours, or newer): that file; "" otherwise.
  virtual std::string damaged_file() const { return {}; }
  // Moves that file aside (kept, renamed); true with a note saying where, or
  // false with the reason.
  virtual bool fresh_start(std::string* note) {
    if (note) *note = "There is nothing to start fresh from.";
    return false;
  }
  // Whether the hosted session's code is closed (it expired, or the seats
  // were full) while someone could still join: the lobby then offers
  // "Make a new code".
  virtual bool can_make_code() { return false; }
  // Opens a fresh code for the hosted session, replacing any open one. The
  // answer comes later: the new code in invite(), or why not in code_notice().
  virtual void make_code() {}
  // The hosted session was started by "Start now" for the paired partner:
  // who (the lobby waits for them, with no code to read aloud).
  virtual PartnerSession partner_session() { return {}; }
  // "Start now" on a reminder: the session with the partner's paired device,
  // with no code (hosts, or joins the partner, as the two paired). Returns
  // the node, or nullptr with a plain reason in *error.
  virtual std::shared_ptr<NodeApi> start_with_partner(const std::string& partner_device_id,
                                                      const std::string& display_name, std::string* error) {
    (void)partner_device_id;
    (void)display_name;
    if (error) *error = "Starting with your partner from here isn't available on this device.";
    return nullptr;
  }
};

}  // namespace attune::app
