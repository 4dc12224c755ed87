#include "attune/discovery/diagnosis.hpp"

#include <algorithm>

namespace attune::discovery {

namespace {

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += (i + 1 == parts.size()) ? " and " : ", ";
    out += parts[i];
  }
  return out;
}

std::string interface_line(const InterfaceReport& r) {
  std::string line = r.name;
  if (!r.addresses.empty()) line += " (" + r.addresses.front() + ")";
  if (!r.joined) return line + ": could not listen" + (r.join_error.empty() ? "" : " (" + r.join_error + ")");
  line += ": sent " + std::to_string(r.sent);
  if (r.send_errors > 0) line += ", " + std::to_string(r.send_errors) + " failed (" + r.last_send_error + ")";
  line += ", heard " + std::to_string(r.heard_others) + " from other devices";
  line += r.heard_own > 0 ? ", own messages came back" : ", own messages did not come back";
  return line;
}

const char* kInviteAdvice =
    "Ask the host to copy their invite and send it to you in a chat, then paste it here. This works across "
    "VPNs and "
    "networks that keep devices apart.";

}  // namespace

std::string verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::Found:
      return "found";
    case Verdict::StillLooking:
      return "still_looking";
    case Verdict::NoNetwork:
      return "no_network";
    case Verdict::CannotListen:
      return "cannot_listen";
    case Verdict::CannotSend:
      return "cannot_send";
    case Verdict::OtherVersionsOnly:
      return "other_versions_only";
    case Verdict::NobodyHosting:
      return "nobody_hosting";
    case Verdict::BlockedHere:
      return "blocked_here";
    case Verdict::NothingHeard:
      return "nothing_heard";
  }
  return "unknown";
}

namespace {

struct Totals {
  std::vector<std::string> names;
  uint64_t sent = 0, errors = 0, own = 0, others = 0;
  bool any_joined = false;
};

// Adds up what each interface saw, and lists what was checked, in words.
Totals what_was_checked(const DiagnosisInput& in, Diagnosis& d) {
  Totals t;
  for (const auto& r : in.interfaces) {
    d.checked.push_back(interface_line(r));
    t.names.push_back(r.name);
    t.sent += r.sent;
    t.errors += r.send_errors;
    t.own += r.heard_own;
    t.others += r.heard_others;
    t.any_joined = t.any_joined || r.joined;
  }
  if (!in.socket_problem.empty()) d.checked.push_back("Discovery port: " + in.socket_problem);
  if (in.other_version > 0)
    d.checked.push_back("Heard " + std::to_string(in.other_version) +
                        " messages from a different Attune version");
  if (in.malformed > 0) d.checked.push_back("Ignored " + std::to_string(in.malformed) + " damaged messages");
  for (const auto& c : in.direct) {
    d.checked.push_back("Tried " + c.address + " directly: " + (c.reachable ? "it answered" : c.detail));
  }
  return t;
}

// A host used before that answers directly is worth naming.
void advise_direct(const DiagnosisInput& in, Diagnosis& d) {
  const auto reachable =
      std::find_if(in.direct.begin(), in.direct.end(), [](const auto& c) { return c.reachable; });
  if (reachable != in.direct.end())
    d.advice.push_back("A host you used before answers at " + reachable->address +
                       ". You can join it by address.");
}

}  // namespace

Diagnosis diagnose(const DiagnosisInput& in) {
  Diagnosis d;
  const Totals t = what_was_checked(in, d);
  const auto& names = t.names;
  const uint64_t sent = t.sent, errors = t.errors, own = t.own, others = t.others;
  const bool any_joined = t.any_joined;
  const auto add_direct_advice = [&] { advise_direct(in, d); };

  if (in.hosts_listed > 0) {
    d.verdict = Verdict::Found;
    d.headline = in.hosts_listed == 1 ? "Found a session nearby." : "Found sessions nearby.";
    return d;
  }
  if (!in.socket_problem.empty() && !any_joined) {
    d.verdict = Verdict::CannotListen;
    d.headline = "Attune could not listen for sessions on this device.";
    d.advice.push_back(
        "Another program may be using Attune's discovery port. Closing other copies of Attune may help.");
    add_direct_advice();
    d.advice.push_back(kInviteAdvice);
    return d;
  }
  if (in.interfaces.empty() || !any_joined) {
    d.verdict = Verdict::NoNetwork;
    d.headline = "This device does not seem to be on a network right now.";
    d.advice.push_back("Check that Wi-Fi or the network cable is connected, then look again.");
    d.advice.push_back(kInviteAdvice);
    return d;
  }
  if (in.listening_for < kPatience) {
    d.verdict = Verdict::StillLooking;
    d.headline = "Looking for sessions nearby...";
    return d;
  }
  if (sent > 0 && errors >= sent) {
    d.verdict = Verdict::CannotSend;
    d.headline = "Attune could not send anything on " + join(names) + ".";
    d.advice.push_back(
        "A firewall on this device may be blocking Attune. Allowing it on private networks may help.");
    add_direct_advice();
    d.advice.push_back(kInviteAdvice);
    return d;
  }
  if (in.other_version > 0) {
    d.verdict = Verdict::OtherVersionsOnly;
    d.headline = "A session is nearby, but it uses a different version of Attune.";
    d.advice.push_back("Update Attune on both devices to the same version, then look again.");
    return d;
  }
  if (others > 0) {
    d.verdict = Verdict::NobodyHosting;
    d.headline = "Other Attune devices are nearby, but none is hosting a session yet.";
    d.advice.push_back("One of you starts the session; the other opens the join list.");
    add_direct_advice();
    return d;
  }
  if (own == 0) {
    d.verdict = Verdict::BlockedHere;
    d.headline = "No sessions found. Attune's messages do not even reach this device itself.";
    d.advice.push_back(
        "A firewall on this device is likely in the way. Allowing Attune on private networks may help.");
  } else {
    d.verdict = Verdict::NothingHeard;
    d.headline = "No sessions found on " + join(names) + ".";
    d.advice.push_back(
        "Attune asked around and nobody answered. The network may keep devices apart (guest Wi-Fi often "
        "does, and "
        "VPNs always do), or a firewall on the host may be in the way.");
    d.advice.push_back(
        "Check that both devices are on the same Wi-Fi and that the host has started the session.");
  }
  add_direct_advice();
  d.advice.push_back(kInviteAdvice);
  return d;
}

}  // namespace attune::discovery
