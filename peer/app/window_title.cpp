#include "app/window_title.hpp"

namespace attune::app {

std::string window_title(const std::string& base, const State* state) {
  if (!state || state->session_id().empty()) return base;
  // Session names come from another device: keep the title one short line.
  std::string name;
  for (const char c : state->session_name()) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) name += c;
  }
  if (name.size() > 64) {
    std::size_t cut = 64;  // Cut before a whole UTF-8 character, never inside one.
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
    name = name.substr(0, cut) + "\xE2\x80\xA6";
  }
  return (name.empty() ? std::string("A session") : name) + " \xE2\x80\x94 " + base;
}

}  // namespace attune::app
