#include "identity/seat_pins.hpp"

#include "identity/pinned_peer_store.hpp"

namespace attune::identity {

SeatPins::SeatPins(std::filesystem::path data_dir, std::string my_device_id)
    : data_dir_(std::move(data_dir)), my_id_(std::move(my_device_id)) {}

std::string SeatPins::saw(const v1::SessionState& view) {
  v1::Role mine = v1::ROLE_UNSPECIFIED;
  for (const auto& p : view.participants())
    if (p.id() == my_id_) mine = p.role();
  if (mine == v1::ROLE_UNSPECIFIED) return "";  // Not seated yet: nothing to say about the others.
  std::optional<PinnedPeerStore> pins;
  std::string problem;
  for (const auto& p : view.participants()) {
    if (p.id() == my_id_ || p.role() == v1::ROLE_UNSPECIFIED) continue;
    auto seen = std::make_tuple(p.id(), int{p.role()}, int{mine}, p.display_name());
    if (seen_.contains(seen)) continue;
    if (!pins) {
      pins.emplace(data_dir_);
      if (auto error = pins->load()) return *error;  // Try again with the next state.
    }
    // A device shows in the roster only after its handshake, whose pin is
    // written first; one that isn't pinned (the coach of the host, seen by
    // the other partner) stays unpinned, so it is settled as well.
    if (auto error = pins->note_seat(p.id(), p.role(), mine, p.display_name())) {
      problem = *error;
      continue;
    }
    seen_.insert(std::move(seen));
  }
  return problem;
}

}  // namespace attune::identity
