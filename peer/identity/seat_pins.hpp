// Keeps the seats on the pins: shown each session state this device sees
// (as host or joiner), it records on the pin of every paired device in the
// roster the seat it took, the seat this device took, and its name. It reads
// and writes the pin file only when the roster shows something it hasn't
// seen yet, so a session's many changes cost nothing here.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <tuple>

#include "attune/v1/session.pb.h"

namespace attune::identity {

class SeatPins {
 public:
  SeatPins(std::filesystem::path data_dir, std::string my_device_id);
  // Returns a problem worth a log line (the pin file couldn't be written), or "".
  std::string saw(const v1::SessionState& view);

 private:
  std::filesystem::path data_dir_;
  std::string my_id_;
  std::set<std::tuple<std::string, int, int, std::string>> seen_;  // (device, its seat, my seat, its name).
};

}  // namespace attune::identity
