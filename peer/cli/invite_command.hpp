// `attune invite ...`: repair invitations to the partner's paired device.
// send/answer/list/agreed only touch this device's invitations.db; `serve`
// runs the postbox that carries them, sealed, to the partner's device and
// takes in what it sends, for as long as it runs. With --headless every
// answer and every postbox event is one JSON line (invite_event_list()).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "cli/reference.hpp"

namespace attune::cli {

struct InviteCli {
  CLI::App* command = nullptr;
  CLI::App* send = nullptr;
  CLI::App* answer = nullptr;
  CLI::App* list = nullptr;
  CLI::App* agreed = nullptr;
  CLI::App* serve = nullptr;
  std::string to;  // The partner's device id; may be left out when only one device is paired.
  std::string day;
  std::vector<std::string> at;  // Offered times.
  bool offer_now = false;
  std::string words;
  std::string name;  // How this person likes to be called by the partner.
  std::string id;    // answer: the invitation.
  int pick = -1;     // answer: 1-based offered time.
  bool answer_now = false;
  std::string other;
  bool not_yet = false;
  bool accept = false;
  std::string bind_address = "0.0.0.0";
  uint16_t port = 0;
  std::string partner;  // serve: the partner's address, host:port (remembered for next time).
  int64_t now_ms = 0;   // Tests inject the clock (hidden); 0: the wall clock.
  bool beacon_loopback = false;  // Tests: partner beacons on loopback only (hidden).
  uint16_t beacon_port = 0;       // Tests: their own group port (hidden).
  bool no_beacon = false;
  std::string crash_at;  // Tests: serve dies at a point of the exchange (hidden; see PostboxConfig).
};

void define_invite_cli(CLI::App& app, InviteCli& values);

// Runs the parsed invite command against data_dir. Returns an exit code.
int run_invite(const std::filesystem::path& data_dir, const InviteCli& values, bool json, std::ostream& out,
               std::ostream& err);

// The JSON events `attune --headless invite` prints.
const std::vector<EventInfo>& invite_event_list();

}  // namespace attune::cli
