#include "app/net_launcher.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <charconv>

#include "attune/text.hpp"
#include "node.hpp"

namespace attune::app {

bool parse_address(const std::string& raw, std::string* host, uint16_t* port) {
  const std::string_view text = attune::trim(raw);
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return false;
  std::string_view h = text.substr(0, colon);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (h.find_first_of(" \t") != std::string_view::npos) return false;
  unsigned value = 0;
  const std::string_view digits = text.substr(colon + 1);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || value == 0 || value > 65535) return false;
  *host = std::string(h);
  *port = static_cast<uint16_t>(value);
  return true;
}

std::string local_address() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "127.0.0.1";
  std::string found;
  for (ifaddrs* it = list; it && found.empty(); it = it->ifa_next) {
    if (!it->ifa_addr || it->ifa_addr->sa_family != AF_INET) continue;
    const auto* in = reinterpret_cast<const sockaddr_in*>(it->ifa_addr);
    if ((ntohl(in->sin_addr.s_addr) >> 24) == 127) continue;
    char buf[INET_ADDRSTRLEN] = {};
    if (inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf)) found = buf;
  }
  freeifaddrs(list);
  return found.empty() ? "127.0.0.1" : found;
}

std::shared_ptr<NodeApi> NetLauncher::host(const HostRequest& request, std::string* error) {
  NodeOptions options;
  options.mode = NodeOptions::Mode::Host;
  options.data_dir = config_.data_dir;
  options.display_name = request.display_name;
  options.role = request.role;
  options.session_name = request.session_name;
  options.bind_address = config_.bind_address;
  options.port = config_.port;
  try {
    auto node = std::make_shared<Node>(options);
    node->start();
    hosting_ = node;
    return node;
  } catch (const std::exception& e) {
    if (error) *error = std::string("Couldn't start hosting here: ") + e.what();
    return nullptr;
  }
}

std::shared_ptr<NodeApi> NetLauncher::join(const JoinRequest& request, std::string* error) {
  NodeOptions options;
  options.mode = NodeOptions::Mode::Join;
  options.data_dir = config_.data_dir;
  options.display_name = request.display_name;
  options.role = request.role;
  if (!parse_address(request.target, &options.host, &options.port)) {
    if (error) *error = "That doesn't look like an address. It should look like 192.168.1.20:47000.";
    return nullptr;
  }
  try {
    auto node = std::make_shared<Node>(options);
    node->start();
    hosting_.reset();
    return node;
  } catch (const std::exception& e) {
    if (error) *error = std::string("Couldn't start joining: ") + e.what();
    return nullptr;
  }
}

std::string NetLauncher::invite() {
  const auto node = hosting_.lock();
  if (!node || node->port() == 0) return {};
  const std::string address = config_.bind_address == "0.0.0.0" || config_.bind_address == "::"
                                  ? local_address()
                                  : config_.bind_address;
  return address + ":" + std::to_string(node->port());
}

}  // namespace attune::app
