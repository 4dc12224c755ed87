#include "attune/discovery/join_target.hpp"

#include "attune/discovery/invite_code.hpp"

namespace attune::discovery {

namespace {

JoinTarget from_invite(std::string_view text) {
  JoinTarget out;
  const InviteParse parsed = parse_invite(text);
  if (!parsed.invite) {
    out.error = describe(parsed.error);
    return out;
  }
  for (const auto& address : parsed.invite->addresses) {
    if (auto p = parse_host_address(address, parsed.invite->port); p.address) out.candidates.push_back(*p.address);
  }
  for (const auto& name : parsed.invite->host_names)
    out.candidates.push_back(HostAddress{HostAddress::Kind::Name, name, parsed.invite->port});
  if (out.candidates.empty()) {
    out.error = describe(InviteError::NoAddress);
    return out;
  }
  out.code = parsed.invite->session_code;
  return out;
}

}  // namespace

JoinTarget parse_join_target(std::string_view text, uint16_t default_port) {
  JoinTarget out;
  if (looks_like_invite(text)) {
    out = from_invite(text);
  } else {
    const AddressParse parsed = parse_host_address(text, default_port);
    if (!parsed.address || parsed.address->port == 0) {
      out.error = parsed.error.empty() ? "Add the port too, like 192.168.1.20:47000." : parsed.error;
      return out;
    }
    out.candidates.push_back(*parsed.address);
  }
  if (!out.error.empty()) return out;
  out.host = out.candidates.front().host;
  out.port = out.candidates.front().port;
  return out;
}

}  // namespace attune::discovery
