#include "cli/devices_command.hpp"

#include <ctime>
#include <ostream>
#include <vector>

#include "attune/text.hpp"
#include "cli/headless.hpp"
#include "identity/coach_pins.hpp"
#include "identity/pinned_peer_store.hpp"

namespace attune::cli {
namespace {

std::string utc_date(std::int64_t ms) {
  if (ms <= 0) return "at an unknown time";
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &tm);
  return text;
}

int list(const identity::PinnedPeerStore& pins, std::ostream& out) {
  const auto peers = pins.list();
  if (peers.empty()) {
    out << "This computer hasn't paired with any device yet.\n";
    return static_cast<int>(ExitCode::Ok);
  }
  const auto host = pins.host();
  out << "Devices this computer has paired with (" << peers.size() << "):\n";
  for (const auto& [id, peer] : peers) {
    out << "  " << id << "   key " << crypto::key_fingerprint(peer.public_key) << "   paired "
        << utc_date(peer.pinned_at_ms);
    if (identity::seat_unknown(peer))
      out << "   paired before (which seat it took isn't known yet)";
    else
      out << "   " << (peer.name.empty() ? std::string("it") : sanitize_display_text(peer.name)) << " sat as "
          << identity::seat_words(peer.role) << ", this computer as " << identity::seat_words(peer.my_role);
    if (host && host->device_id == id) out << "   (the host this computer joins)";
    out << "\n";
  }
  out << "To forget one, so that it pairs with a code next time: attune devices forget <id or its first "
         "characters>\n";
  return static_cast<int>(ExitCode::Ok);
}

}  // namespace

int run_devices(const std::filesystem::path& data_dir, const std::optional<std::string>& forget_id,
                std::ostream& out, std::ostream& err) {
  identity::PinnedPeerStore pins(data_dir);
  if (auto problem = pins.load()) {
    err << "attune: " << *problem << "\n";
    return static_cast<int>(ExitCode::Storage);
  }
  if (!forget_id) return list(pins, out);
  const std::string& wanted = *forget_id;
  if (wanted.empty()) {
    err << "attune: say which device to forget. Run `attune devices` to see the list.\n";
    return static_cast<int>(ExitCode::Usage);
  }

  std::vector<std::string> matches;
  for (const auto& [id, peer] : pins.list()) {
    if (id == wanted) {
      matches = {id};
      break;
    }
    if (id.starts_with(wanted)) matches.push_back(id);
  }
  if (matches.empty()) {
    err << "attune: no paired device has an id starting with \"" << wanted
        << "\". Run `attune devices` to see the list.\n";
    return static_cast<int>(ExitCode::Usage);
  }
  if (matches.size() > 1) {
    err << "attune: more than one paired device starts with \"" << wanted
        << "\". Type a few more characters:\n";
    for (const auto& id : matches) err << "  " << id << "\n";
    return static_cast<int>(ExitCode::Usage);
  }
  if (auto problem = pins.forget(matches.front())) {
    err << "attune: " << *problem << "\n";
    return static_cast<int>(ExitCode::Storage);
  }
  // Its check numbers compared as a coach go too: nothing of it is kept.
  if (auto problem = identity::CoachPins(data_dir).forget_device(matches.front())) {
    err << "attune: " << *problem << "\n";
    return static_cast<int>(ExitCode::Storage);
  }
  out << "Forgot " << matches.front()
      << ". Next time it connects, it will need the code from the host's screen.\n"
         "If Attune is open on this computer, close it and start it again so it notices.\n";
  return static_cast<int>(ExitCode::Ok);
}

}  // namespace attune::cli
