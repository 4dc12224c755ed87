// A port number this device keeps in a private file of its data folder
// (postbox-port: where invitations arrive; last_host_port: where it hosted
// last). Neither is trusted on the way back in: a file that is missing,
// empty, garbage, out of range, far too large, a link, a folder, unreadable
// or another user's is no port (a debug line says why) and the caller picks
// one afresh. Writing goes through write_private_file: a temp file, 0600,
// renamed over the old one, so a half-written file is never read and a
// link planted in its place is replaced, never followed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace attune::identity {

// Where a device keeps the port it hosted a session on last, window or
// headless alike, so a partner's remembered address stays right.
inline std::filesystem::path last_host_port_file(const std::filesystem::path& data_dir) {
  return data_dir / "last_host_port";
}

std::optional<std::uint16_t> read_port_file(const std::filesystem::path& file);

// An error text, or nullopt when the port is kept.
std::optional<std::string> write_port_file(const std::filesystem::path& file, std::uint16_t port);

}  // namespace attune::identity
