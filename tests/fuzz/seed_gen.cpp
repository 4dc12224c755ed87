// Writes the fuzz targets' seed corpora: small valid inputs (a whole repair
// session, a full handshake in both directions, real beacons and invites) so
// the fuzzers start deep instead of at the first parse error.
//   usage: fuzz_seed_gen <tests/fuzz/corpus>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "attune/discovery/invite_code.hpp"
#include "attune/discovery/packet_codec.hpp"
#include "attune/frame_decoder.hpp"
#include "fuzz_support.hpp"
#include "handshake_setup.hpp"
#include "session_driver.hpp"

namespace fs = std::filesystem;
using namespace attune;
namespace make = attune::test::make;

namespace {

fs::path g_root;
int g_problems = 0;

void write_seed(const std::string& target, const std::string& name, const std::string& bytes) {
  fs::create_directories(g_root / target);
  std::ofstream out(g_root / target / ("seed-" + name), std::ios::binary);
  out << bytes;
}

// ---- engine_intents: scripts that the engine accepts step by step.
class Script {
 public:
  explicit Script(bool coach_hosts) {
    bytes_.push_back(coach_hosts ? 1 : 0);
    state_ = new_session("fuzz", "Fuzz", default_settings(), coach_hosts ? "device-coach" : "device-a",
                         "Host", coach_hosts ? v1::ROLE_COACH : v1::ROLE_PARTNER_A, now_);
  }
  // actor: 0 A, 1 B, 2 coach, 3 coach 2, 4 stranger, 5 shell.
  void add(int actor, const Intent& intent, int advance_s = 0) {
    bytes_.push_back(static_cast<char>(actor));
    bytes_.push_back(static_cast<char>(advance_s));
    fuzz::put_record(bytes_, intent.SerializeAsString());
    now_ += std::chrono::seconds(advance_s);
    static const char* ids[] = {"device-a", "device-b", "device-coach", "device-coach-2", "stranger"};
    const Actor who = actor == 5 ? Actor::shell() : Actor::participant(ids[actor]);
    const Result r = apply(state_, intent, who, now_);
    if (r.accepted()) {
      state_ = r.state;
    } else {
      std::fprintf(stderr, "seed step refused (%s): %s\n", intent.ShortDebugString().c_str(),
                   r.refusal->message().c_str());
      ++g_problems;
    }
  }
  void calm() {
    add(0, make::check_in(false));
    add(1, make::check_in(false));
  }
  const State& state() const { return state_; }
  TimePoint now() const { return now_; }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
  State state_;
  TimePoint now_ = from_ms(1'790'000'000'000);
};

void lobby(Script& s) {
  s.add(1, make::join("Blake", v1::ROLE_PARTNER_B));
  s.add(0, make::admit("device-b"));
  s.add(2, make::join("Casey", v1::ROLE_COACH));
  s.add(0, make::admit("device-coach"));
  s.add(1, make::admit("device-coach"));
  s.add(0, make::share_with_coach(true));
  s.add(0, make::ready());
  s.add(1, make::ready());
}

void to_share(Script& s) {
  lobby(s);
  s.add(0, make::confirm());
  s.add(1, make::confirm());
  s.calm();
  s.add(0, make::confirm());
  s.add(1, make::confirm());
  s.calm();
  s.add(0, make::offer_first());
  s.add(1, make::accept_first());
  s.calm();
}

void engine_seeds() {
  {  // The whole session, with a clarify loop, to completion.
    Script s(false);
    to_share(s);
    s.add(0, make::write("I felt alone when the call ended early."), 30);
    s.add(0, make::pass_floor());
    s.calm();
    s.add(1, make::write("You felt alone when I hung up."), 20);
    s.add(1, make::ask_more());
    s.add(0, make::answer_more(false));
    s.add(1, make::finish_validation());
    s.add(1, make::finish_reflection());
    s.add(0, make::not_quite());
    s.add(0, make::pass_floor());
    s.add(1, make::ask_more());
    s.add(0, make::answer_more(false));
    s.add(1, make::finish_validation());
    s.add(1, make::finish_reflection());
    s.add(0, make::heard());
    s.calm();
    s.add(1, make::pass_floor());
    s.calm();
    s.add(0, make::ask_more());
    s.add(1, make::answer_more(false));
    s.add(0, make::finish_validation());
    s.add(0, make::finish_reflection());
    s.add(1, make::heard());
    s.calm();
    s.add(0, make::write("When I feel cornered I go quiet."));
    s.add(0, make::pass_floor());
    s.add(1, make::pass_floor());
    s.calm();
    s.add(0, make::pass_floor());
    s.add(1, make::pass_floor());
    s.calm();
    s.add(0, make::propose_gesture("A walk together"));
    const uint32_t id = s.state().gestures_size() > 0 ? s.state().gestures(0).id() : 1;
    s.add(1, make::accept_gesture(id));
    if (s.state().phase() != v1::PHASE_COMPLETE) {
      std::fprintf(stderr, "full-session seed did not complete\n");
      ++g_problems;
    }
    write_seed("engine_intents", "full-session", s.bytes());
  }
  {  // Gate pause, a called pause, a long break, a dropped connection, an exit.
    Script s(false);
    to_share(s);
    s.add(0, make::pass_floor());
    s.add(0, make::check_in(true, true));
    s.add(1, make::check_in(false));
    s.add(1, make::propose_long_break(to_ms(s.now()) + 3'600'000));
    s.add(0, make::accept_long_break());
    s.add(1, make::return_from_break(), 120);
    s.add(0, make::return_from_break());  // Both say they're back.
    s.calm();
    s.add(2, make::pause());
    s.add(2, make::extend(60));
    s.add(5, make::presence("device-b", false));
    s.add(5, make::presence("device-b", true));
    s.add(5, make::timer(to_ms(s.now()) + 600'000), 255);
    s.add(1, make::exit());
    write_seed("engine_intents", "pauses-and-exit", s.bytes());
  }
  {  // The coach hosts; partners ask the coach who goes first.
    Script s(true);
    s.add(0, make::join("Alex", v1::ROLE_PARTNER_A));
    s.add(1, make::join("Blake", v1::ROLE_PARTNER_B));
    s.add(1, make::admit("device-a"));
    s.add(0, make::admit("device-b"));
    s.add(1, make::admit("device-coach"));
    s.add(0, make::admit("device-coach"));
    s.add(0, make::ready());
    s.add(1, make::ready());
    s.add(0, make::confirm());
    s.add(1, make::confirm());
    s.calm();
    s.add(0, make::confirm());
    s.add(1, make::confirm());
    s.calm();
    s.add(0, make::ask_coach());
    s.add(1, make::accept_first());
    s.add(2, make::assign_first(v1::ROLE_PARTNER_B));
    s.add(2, make::confirm());  // Refused: coaches never confirm (kept on purpose).
    --g_problems;
    write_seed("engine_intents", "coach-hosts", s.bytes());
  }
}

// ---- handshake: record a real conversation between the two links.
void handshake_seeds(bool pinned) {
  fuzz::HostSide host;
  if (host.pairing.on_connect(fuzz::kConnection, "127.0.0.1", fuzz::kHandshakeNow)) {
    std::fprintf(stderr, "host refused the connection\n");
    ++g_problems;
    return;
  }
  auto host_link = pairing::SecureLink::for_host(host.pairing, fuzz::kConnection);
  auto joiner_link = pairing::SecureLink::for_joiner(fuzz::joiner_handshake(pinned));
  std::string to_host(1, static_cast<char>(pinned ? 2 : 0));
  std::string to_joiner(1, static_cast<char>(pinned ? 3 : 1));

  std::vector<std::string> pending{*joiner_link.opening_payload()};
  for (int round = 0; round < 8 && !pending.empty(); ++round) {
    std::vector<std::string> back;
    for (const auto& p : pending) {
      fuzz::put_record(to_host, p);
      for (auto& s : host_link.on_payload(p, fuzz::kHandshakeNow).send) back.push_back(std::move(s));
    }
    pending.clear();
    for (const auto& p : back) {
      fuzz::put_record(to_joiner, p);
      for (auto& s : joiner_link.on_payload(p, fuzz::kHandshakeNow).send) pending.push_back(std::move(s));
    }
  }
  if (!host_link.established() || !joiner_link.established()) {
    std::fprintf(stderr, "seed handshake did not finish (pinned=%d)\n", pinned);
    ++g_problems;
    return;
  }
  // Then a message and a goodbye each way, through the channel.
  fuzz::put_record(to_host, *joiner_link.seal("hello host"));
  fuzz::put_record(to_host, *joiner_link.seal_close());
  fuzz::put_record(to_joiner, *host_link.seal("hello joiner"));
  fuzz::put_record(to_joiner, *host_link.seal_close());
  const std::string mode = pinned ? "pinned" : "code";
  write_seed("handshake", "host-" + mode, to_host);
  write_seed("handshake", "joiner-" + mode, to_joiner);
}

// ---- frame_decoder: a few frames, fed in odd chunk sizes.
void frame_seeds() {
  std::string s(1, '\0');
  s += std::string("\x01\x02\x03\x05\x07\x0b\x0d\x11", 8);
  for (const std::string& p :
       std::vector<std::string>{"a", "hello", std::string(300, 'x'), std::string(5, '\0')})
    s += *encode_frame(p);
  write_seed("frame_decoder", "frames", s);
  std::string big(1, '\0');
  big += std::string(8, '\x40');
  big += std::string("\x00\x01\x00\x01", 4);  // Over the 16-byte limit when the selector picks it.
  big += std::string(65537, 'y');
  big[0] = 1;
  write_seed("frame_decoder", "too-large", big);
}

// ---- discovery_packet: each kind of datagram.
void discovery_seeds() {
  v1::Beacon b;
  b.set_protocol_version(discovery::kDiscoveryVersion);
  b.set_session_name("Sunday talk");
  b.set_host_name("Alex's laptop");
  b.set_port(48123);
  b.set_open_seats(2);
  b.set_instance_id(0x1234567890abcdefULL);
  b.set_interval_ms(2000);
  write_seed("discovery_packet", "beacon", discovery::encode_beacon(b));
  write_seed("discovery_packet", "beacon-v2", discovery::encode_beacon(b, 2));
  // What the app sends now (no names), and an older sender's name cut mid-character.
  v1::Beacon nameless = b;
  nameless.clear_session_name();
  nameless.clear_host_name();
  write_seed("discovery_packet", "beacon-nameless", discovery::encode_beacon(nameless));
  b.set_session_name(std::string(63, 'a') + "\xc3");
  b.set_host_name("Jos\xe9");
  write_seed("discovery_packet", "beacon-cut-mid-character", discovery::encode_beacon(b));
  write_seed("discovery_packet", "query", discovery::encode_query(42));
  write_seed("discovery_packet", "goodbye", discovery::encode_goodbye(0x1234567890abcdefULL));
}

// ---- invite: what a host would paste, and the ways chats mangle it.
void invite_seeds() {
  discovery::InviteInfo info;
  info.addresses = {"127.0.0.1", "::1"};
  info.host_names = {"alex-laptop.local"};
  info.port = 48123;
  info.session_code = "123456";
  const auto enc = discovery::encode_invite(info);
  if (enc.error != discovery::InviteError::None) {
    std::fprintf(stderr, "invite seed did not encode\n");
    ++g_problems;
    return;
  }
  write_seed("invite", "full", enc.text);
  std::string upper = enc.text;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  write_seed("invite", "upper-wrapped", upper.substr(0, 20) + "-\n " + upper.substr(20));
  discovery::InviteInfo small;
  small.addresses = {"10.0.0.2"};
  small.port = 1;
  write_seed("invite", "small", discovery::encode_invite(small).text);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus-dir>\n", argv[0]);
    return 2;
  }
  if (!crypto::init_crypto()) return 1;
  g_root = argv[1];
  engine_seeds();
  handshake_seeds(false);
  handshake_seeds(true);
  frame_seeds();
  discovery_seeds();
  invite_seeds();
  if (g_problems != 0) std::fprintf(stderr, "%d seed problems\n", g_problems);
  return g_problems == 0 ? 0 : 1;
}
