#include "attune/discovery/join_target.hpp"

#include "attune/discovery/host_address.hpp"
#include "attune/discovery/invite_code.hpp"

namespace attune::discovery {

JoinTarget parse_join_target(std::string_view text) {
  JoinTarget out;
  if (looks_like_invite(text)) {
    const InviteParse parsed = parse_invite(text);
    if (!parsed.invite || parsed.invite->addresses.empty()) {
      out.error = describe(parsed.error == InviteError::None ? InviteError::NoAddress : parsed.error);
      return out;
    }
    out.host = parsed.invite->addresses.front();
    out.port = parsed.invite->port;
    out.code = parsed.invite->session_code;
    return out;
  }
  const AddressParse parsed = parse_host_address(text, 0);
  if (!parsed.address || parsed.address->port == 0) {
    out.error = parsed.error.empty() ? "Add the port too, like 192.168.1.20:47000." : parsed.error;
    return out;
  }
  out.host = parsed.address->host;
  out.port = parsed.address->port;
  return out;
}

}  // namespace attune::discovery
