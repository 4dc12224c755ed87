// The postbox for as long as a window or a headless peer runs (issue 17):
// invitations written here go out, and the partner's arrive, without
// `attune invite serve`. It runs on a thread of its own, so nothing it does
// (opening invitations.db, reading keys, listening) holds up a window's
// frame; start() returns at once.
//
// Until this device has a paired partner it only looks again now and then.
// It listens on the port it used last time in this data folder (so an
// address the partner remembered stays right); when another program (or a
// second Attune with another data folder) has that port, it says so in one
// plain log line and takes a free one for now. If it can't listen at all it
// says so and tries again a little later. It never brings the process down.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "discovery/partner_finder.hpp"

namespace attune::invite {

struct PostboxRunnerOptions {
  std::filesystem::path data_dir;
  std::string bind_address = "0.0.0.0";
  bool find_on_network = true;  // Partner beacons (off: only the remembered address).
  discovery::PartnerFinderOptions finder;
  std::chrono::milliseconds look_again{3000};  // No partner yet, or no port: how soon to try again.
  // The postbox's events (postbox_open, invitation_received, ...), called on
  // the postbox's own thread.
  std::function<void(const nlohmann::json&)> on_event;
};

class PostboxRunner {
 public:
  explicit PostboxRunner(PostboxRunnerOptions options);
  ~PostboxRunner();  // Stops, and waits for the thread.
  PostboxRunner(const PostboxRunner&) = delete;
  PostboxRunner& operator=(const PostboxRunner&) = delete;

  void start();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Where a data folder remembers its postbox's port.
std::filesystem::path postbox_port_file(const std::filesystem::path& data_dir);

}  // namespace attune::invite
