// Fuzzes the host's intent handling: a script of (actor, clock step, intent
// bytes) records goes through attune::apply exactly as the host applies what
// arrives from the wire, and the session's invariants are checked after each.
//
// Input: [host role][records: actor, seconds to advance, u16 length, Intent bytes]...
#include <array>
#include <string>

#include "attune/engine.hpp"
#include "fuzz_support.hpp"

namespace {

using attune::State;
namespace v1 = attune::v1;

// Ids as the session driver and the seed generator use them.
constexpr std::array<const char*, 5> kActors = {"device-a", "device-b", "device-coach", "device-coach-2",
                                                "stranger"};
constexpr int kMaxRecords = 4000;  // Keeps one input well under a second.

void check_invariants(const State& s) {
  // At most one floor holder, and only a partner who is seated.
  FUZZ_CHECK(s.floor() == v1::ROLE_UNSPECIFIED || attune::is_partner(s.floor()));
  if (s.floor() != v1::ROLE_UNSPECIFIED) FUZZ_CHECK(attune::find_role(s, s.floor()) != nullptr);

  int a = 0, b = 0, coaches = 0;
  for (const auto& p : s.participants()) {
    a += p.role() == v1::ROLE_PARTNER_A;
    b += p.role() == v1::ROLE_PARTNER_B;
    coaches += p.role() == v1::ROLE_COACH;
    // A coach sees content only after both partners accepted it.
    if (p.role() == v1::ROLE_COACH) FUZZ_CHECK(p.admitted() == (p.accepted_by_a() && p.accepted_by_b()));
    FUZZ_CHECK(p.display_name().size() <= attune::kMaxNameBytes);
  }
  FUZZ_CHECK(a <= 1 && b <= 1 && coaches <= attune::kMaxCoaches);
  FUZZ_CHECK(s.gestures_size() <= attune::kMaxGestures);

  // Nobody's copy says who is above the threshold; devices still waiting to
  // be let in see no content.
  for (const auto& p : s.participants()) {
    const State v = attune::view_for(s, p.id());
    FUZZ_CHECK(!v.gate().above_a() && !v.gate().above_b());
    if (!p.admitted()) {
      FUZZ_CHECK(v.rounds_size() == 0);
      FUZZ_CHECK(v.gestures_size() == 0);
    }
  }
  const State outsider = attune::view_for(s, "stranger-not-seated");
  FUZZ_CHECK(outsider.rounds_size() == 0);

  // The state survives protobuf unchanged (it is stored and replicated).
  std::string bytes;
  FUZZ_CHECK(s.SerializeToString(&bytes));
  State back;
  FUZZ_CHECK(back.ParseFromString(bytes));
  FUZZ_CHECK(back.SerializeAsString() == bytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  attune::fuzz::ByteReader in(data, size);
  const bool coach_hosts = (in.byte() & 1) != 0;
  attune::TimePoint now = attune::from_ms(1'790'000'000'000);
  State state = attune::new_session("fuzz", "Fuzz", attune::default_settings(),
                                    coach_hosts ? "device-coach" : "device-a", "Host",
                                    coach_hosts ? v1::ROLE_COACH : v1::ROLE_PARTNER_A, now);
  check_invariants(state);

  for (int i = 0; i < kMaxRecords && !in.empty(); ++i) {
    const std::uint8_t who = in.byte();
    now += std::chrono::seconds(in.byte());
    const std::string_view bytes = in.record();
    v1::Intent intent;
    if (!intent.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) continue;
    const attune::Actor actor =
        who % 6 == 5 ? attune::Actor::shell() : attune::Actor::participant(kActors[who % 6]);

    const attune::Result r = attune::apply(state, intent, actor, now);
    if (!r.accepted()) {
      // A refusal has words for the UI and changes nothing.
      FUZZ_CHECK(!r.refusal->message().empty());
      FUZZ_CHECK(r.refusal->code() != v1::REFUSAL_CODE_UNSPECIFIED);
      FUZZ_CHECK(r.state.SerializeAsString() == state.SerializeAsString());
      FUZZ_CHECK(r.effects.empty());
      continue;
    }
    FUZZ_CHECK(r.state.version() == state.version() + 1);
    // Only the host's shell may report presence or fire timers.
    if (intent.has_set_presence() || intent.has_timer_fired()) FUZZ_CHECK(actor.system);
    check_invariants(r.state);
    state = r.state;
  }
  return 0;
}
