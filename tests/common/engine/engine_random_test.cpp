// Seeded randomized test: applies many random intents from random actors and
// checks the session's invariants after every one. Same seed, same run.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <random>

#include "attune/engine.hpp"
#include "session_driver.hpp"

namespace attune::test {
namespace {

constexpr int kIntents = 100'000;

struct RunStats {
  uint64_t digest = 1469598103934665603ULL;
  int accepted = 0;
  int completed = 0;
  int completed_quick = 0;     // Finished as a quick repair.
  int completed_escalated = 0; // Started quick, finished as the nine steps.
  int ended = 0;
  int gates_passed = 0;
  int pauses = 0;
  std::array<int, v1::Step_ARRAYSIZE> steps_seen{};
  std::array<int, v1::ListenStage_ARRAYSIZE> listening_seen{};
};

class RandomSession {
 public:
  explicit RandomSession(uint64_t seed) : rng_(seed) { reset(); }

  RunStats run(int n) {
    for (int i = 0; i < n && !::testing::Test::HasFatalFailure(); ++i) step();
    return stats_;
  }

 private:
  void reset() {
    now_ += std::chrono::minutes(5);
    ++sessions_;
    state_ = new_session("s" + std::to_string(sessions_), "Random", random_settings(false), kA, "Alex",
                         v1::ROLE_PARTNER_A, now_);
    fresh_ = {};
  }

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  // Valid settings, or (when `nonsense_ok`) sometimes settings the engine must refuse.
  v1::Settings random_settings(bool nonsense_ok) {
    v1::Settings s = default_settings();
    if (chance(0.5)) {
      s.set_threshold(static_cast<uint32_t>(1 + pick(9)));
      s.set_min_pause_seconds(static_cast<uint32_t>(30 + pick(300)));
      s.set_long_break_at_level(std::min<uint32_t>(10, s.threshold() + 1 + static_cast<uint32_t>(pick(5))));
    }
    if (chance(0.5)) {
      s.set_kind(v1::REPAIR_KIND_QUICK);
      s.set_repairer(chance(0.5) ? v1::ROLE_PARTNER_A : v1::ROLE_PARTNER_B);
    }
    if (nonsense_ok && chance(0.1)) s.set_threshold(static_cast<uint32_t>(pick(20)));
    if (nonsense_ok && chance(0.05)) s.set_repairer(random_role());
    return s;
  }

  std::string random_text() {
    static const std::array<std::string, 6> texts = {
        "", "I felt small when the call ended.", "You always do this", "  ", "\xff\xfe", "Tea on the porch"};
    if (chance(0.01)) return std::string(kMaxTextBytes + 1, 'x');
    return texts[static_cast<std::size_t>(pick(static_cast<int>(texts.size())))];
  }

  std::string random_actor() {
    static const std::array<const char*, 5> actors = {kA, kB, kCoach, "device-coach-2", "stranger"};
    const int i = pick(12);
    if (i < 5) return kA;
    if (i < 10) return kB;
    return actors[static_cast<std::size_t>(2 + pick(3))];
  }

  std::string random_id() {
    static const std::array<const char*, 5> ids = {kA, kB, kCoach, "device-coach-2", "nobody"};
    return ids[static_cast<std::size_t>(pick(5))];
  }

  v1::Role random_role() { return static_cast<v1::Role>(pick(4)); }

  // A random intent of any kind, with random (often wrong) arguments.
  Intent random_intent(const std::string& actor, int& level) {
    level = -1;
    switch (pick(35)) {
      case 0:
        return make::join(chance(0.9) ? "Sam" : "", random_role());
      case 1:
        return make::admit(random_id());
      case 2:
        return make::decline(random_id());
      case 3:
        return make::settings(random_settings(true));
      case 4:
        return make::ready(chance(0.8));
      case 5:
        return make::share_with_coach(chance(0.5));
      case 6:
        return make::confirm();
      case 7:
        return check_in_for(actor, level);
      case 8:
        return make::offer_first();
      case 9:
        return make::request_draw();
      case 10:
        return make::ask_coach();
      case 11:
        return make::accept_first();
      case 12:
        return make::assign_first(random_role());
      case 13:
        return make::write(random_text());
      case 14:
        return make::pass_floor();
      case 15:
        return make::finish_reflection();
      case 16:
        return make::heard();
      case 17:
        return make::not_quite();
      case 18:
        return make::propose_gesture(random_text());
      case 19:
        return make::accept_gesture(static_cast<uint32_t>(pick(4)));
      case 20:
        return make::pause();
      case 21:
        return make::extend(static_cast<uint32_t>(pick(4000)));
      case 22:
        return make::propose_long_break(to_ms(now_) + static_cast<int64_t>(pick(30)) * 3'600'000);
      case 23:
        return make::accept_long_break();
      case 24:
        return make::return_from_break();
      case 25:
        return chance(0.1) ? make::exit() : make::pause();
      case 26:
        return make::leave();
      case 27:
        return make::presence(random_id(), chance(0.5));
      case 28:
        return make::skip_part();
      case 29:
        return make::whole_conversation();
      case 30:
        return make::ask_more();
      case 31:
        return make::answer_more(chance(0.5));
      case 32:
        return make::write_listening(random_text(), random_text());
      case 33:
        return make::finish_validation();
      default:
        return Intent{};
    }
  }

  Intent check_in_for(const std::string& actor, int& level) {
    // Mostly calm, sometimes activated, so both gate outcomes happen.
    level = chance(0.8) ? pick(std::min(10, static_cast<int>(state_.settings().threshold())) + 1) : pick(11);
    const auto ci = make_check_in(level, state_.settings());
    (void)actor;
    return make::check_in(*ci);
  }

  // A move that usually makes progress from where the session is.
  std::pair<std::string, Intent> guided(int& level) {
    level = -1;
    const State& s = state_;
    const std::string partner = chance(0.5) ? kA : kB;
    switch (s.phase()) {
      case v1::PHASE_LOBBY: {
        if (find_role(s, v1::ROLE_PARTNER_B) == nullptr) return {kB, make::join("Blake", v1::ROLE_PARTNER_B)};
        if (find_participant(s, kCoach) == nullptr && chance(0.3))
          return {kCoach, make::join("Casey", v1::ROLE_COACH)};
        for (const auto& p : s.participants()) {
          if (!p.admitted()) return {partner, make::admit(p.id())};
        }
        return {partner, make::ready()};
      }
      case v1::PHASE_CHECK_IN:
        return {partner, check_in_for(partner, level)};
      case v1::PHASE_PAUSED:
        if (chance(0.1)) return {partner, make::propose_long_break(to_ms(now_) + 3'600'000)};
        if (chance(0.1)) return {partner, make::accept_long_break()};
        now_ = std::max(now_, from_ms(s.pause().min_until_ms()));
        return {"", make::timer(to_ms(now_))};
      case v1::PHASE_LONG_BREAK:
        return {partner, make::return_from_break()};
      case v1::PHASE_ACTIVE:
        if (s.settings().kind() == v1::REPAIR_KIND_QUICK && chance(0.01)) {
          return {partner, make::whole_conversation()};
        }
        break;
      case v1::PHASE_COMPLETE:
      case v1::PHASE_ENDED:
      case v1::PHASE_UNSPECIFIED:
      case v1::Phase_INT_MIN_SENTINEL_DO_NOT_USE_:
      case v1::Phase_INT_MAX_SENTINEL_DO_NOT_USE_:
        return {partner, make::confirm()};
    }
    const std::string floor = s.floor() == v1::ROLE_PARTNER_A ? kA : kB;
    switch (s.step()) {
      case v1::STEP_WHO_FIRST: {
        const int k = pick(6);
        if (k == 0) return {partner, make::offer_first()};
        if (k == 1) return {partner, make::request_draw()};
        if (k == 2) return {partner, make::ask_coach()};
        if (k == 3)
          return {kCoach, make::assign_first(chance(0.5) ? v1::ROLE_PARTNER_A : v1::ROLE_PARTNER_B)};
        return {partner, make::accept_first()};
      }
      case v1::STEP_SHARE:
      case v1::STEP_OWN_PATTERN:
      case v1::STEP_REASSURE:
        return {floor, chance(0.3) ? make::write(random_text()) : make::pass_floor()};
      case v1::STEP_REFLECT: {
        const auto& round = s.rounds(s.rounds_size() - 1);
        const std::string speaker = round.speaker() == v1::ROLE_PARTNER_A ? kA : kB;
        const std::string listener = speaker == kA ? kB : kA;
        if (round.reflected()) return {speaker, chance(0.7) ? make::heard() : make::not_quite()};
        switch (round.listening()) {
          case v1::LISTEN_STAGE_MORE:
            return {speaker, make::answer_more(chance(0.4))};
          case v1::LISTEN_STAGE_ADDING:
            return {speaker, chance(0.3) ? make::write(random_text()) : make::pass_floor()};
          case v1::LISTEN_STAGE_VALIDATE:
            if (chance(0.3)) return {listener, make::write_listening(random_text(), round.empathy_text())};
            // Now and then a try at skipping empathy, which must be refused.
            return {listener, chance(0.9) ? make::finish_validation() : make::finish_reflection()};
          case v1::LISTEN_STAGE_EMPATHISE:
            if (chance(0.3)) return {listener, make::write_listening(round.validation_text(), random_text())};
            return {listener, make::finish_reflection()};
          default:
            break;
        }
        if (chance(0.3)) return {listener, make::write(random_text())};
        // Now and then a try at skipping "Is there more?", which must be refused.
        return {listener, chance(0.8) ? make::ask_more() : make::finish_reflection()};
      }
      case v1::STEP_ACKNOWLEDGE:
        if (!s.quick().acknowledged())
          return {floor, chance(0.3) ? make::write(random_text()) : make::pass_floor()};
        return {floor, chance(0.7) ? make::heard() : make::not_quite()};
      case v1::STEP_OWN_PART:
        return {floor, chance(0.3) ? make::write(random_text()) : make::pass_floor()};
      case v1::STEP_OTHER_PART:
        if (chance(0.3)) return {floor, make::write(random_text())};
        return {floor, chance(0.5) ? make::pass_floor() : make::skip_part()};
      case v1::STEP_RECONNECT:
        if (s.gestures_size() == 0 || chance(0.2)) return {partner, make::propose_gesture("A walk together")};
        return {partner, make::accept_gesture(s.gestures(pick(s.gestures_size())).id())};
      case v1::STEP_UNSPECIFIED:
      case v1::STEP_LOBBY:
      case v1::STEP_NAME_IT:
      case v1::STEP_GAUGE:
      case v1::STEP_BENEFIT:
      case v1::STEP_COMPLETE:
      case v1::Step_INT_MIN_SENTINEL_DO_NOT_USE_:
      case v1::Step_INT_MAX_SENTINEL_DO_NOT_USE_:
        break;
    }
    return {partner, make::confirm()};
  }

  void step() {
    if (state_.phase() == v1::PHASE_COMPLETE || state_.phase() == v1::PHASE_ENDED) {
      (state_.phase() == v1::PHASE_COMPLETE ? stats_.completed : stats_.ended)++;
      if (state_.phase() == v1::PHASE_COMPLETE && state_.settings().kind() == v1::REPAIR_KIND_QUICK) {
        (state_.quick().escalated() ? stats_.completed_escalated : stats_.completed_quick)++;
      }
      reset();
    }
    if (chance(0.3)) now_ += std::chrono::seconds(pick(90));

    int level = -1;
    std::string actor;
    Intent intent;
    if (chance(0.75)) {
      std::tie(actor, intent) = guided(level);
    } else {
      actor = chance(0.05) ? "" : random_actor();
      intent = random_intent(actor, level);
    }
    const bool shell = actor.empty();
    const Actor who = shell ? Actor::shell() : Actor::participant(actor);
    const State prev = state_;
    const Result r = apply(prev, intent, who, now_);

    if (!r.accepted()) {
      ASSERT_FALSE(r.refusal->message().empty());
      ASSERT_EQ(r.state.SerializeAsString(), prev.SerializeAsString()) << "a refusal changed the state";
      ASSERT_TRUE(r.effects.empty());
    } else {
      ++stats_.accepted;
      ASSERT_EQ(r.state.version(), prev.version() + 1);
      if (intent.has_check_in() && level >= 0) {
        check_number_does_not_matter(prev, intent, who, level, r.state);
        fresh_[actor == kA ? 0 : 1] = level;
      }
    }
    check_invariants(prev, r.state);
    state_ = r.state;
    mix_digest(state_);
  }

  // The shared state must not depend on the rating itself, only on which side
  // of the threshold it falls.
  void check_number_does_not_matter(const State& prev, const Intent& intent, const Actor& who, int level,
                                    const State& got) {
    for (int other = 0; other <= 10; ++other) {
      if (other == level) continue;
      const auto ci = make_check_in(other, prev.settings());
      if (ci->above_threshold() != intent.check_in().above_threshold() ||
          ci->long_break_hint() != intent.check_in().long_break_hint()) {
        continue;
      }
      const Result r2 = apply(prev, make::check_in(*ci), who, now_);
      ASSERT_EQ(r2.state.SerializeAsString(), got.SerializeAsString())
          << "a rating of " << level << " and of " << other << " left different shared states";
      return;
    }
  }

  void check_invariants(const State& prev, const State& s) {
    // At most one floor holder, and only a partner who is present.
    ASSERT_TRUE(s.floor() == v1::ROLE_UNSPECIFIED || is_partner(s.floor())) << s.floor();
    if (s.floor() != v1::ROLE_UNSPECIFIED) {
      ASSERT_NE(find_role(s, s.floor()), nullptr);
    }

    // Seats: one of each partner, at most two coaches.
    int a = 0, b = 0, coaches = 0;
    for (const auto& p : s.participants()) {
      a += p.role() == v1::ROLE_PARTNER_A;
      b += p.role() == v1::ROLE_PARTNER_B;
      coaches += p.role() == v1::ROLE_COACH;
      if (p.role() == v1::ROLE_COACH) {
        ASSERT_EQ(p.admitted(), p.accepted_by_a() && p.accepted_by_b());
      }
    }
    ASSERT_LE(a, 1);
    ASSERT_LE(b, 1);
    ASSERT_LE(coaches, kMaxCoaches);

    // No step unlocked without two fresh check-ins at or below the threshold.
    const bool gate_passed = prev.phase() == v1::PHASE_CHECK_IN && s.phase() == v1::PHASE_ACTIVE;
    if (gate_passed) {
      ++stats_.gates_passed;
      ASSERT_TRUE(fresh_[0].has_value() && fresh_[1].has_value()) << "a gate opened without two check-ins";
      ASSERT_LE(*fresh_[0], static_cast<int>(s.settings().threshold()));
      ASSERT_LE(*fresh_[1], static_cast<int>(s.settings().threshold()));
    }
    if (s.step() != prev.step() && !gate_passed) {
      const auto from = prev.step();
      const auto to = s.step();
      const bool allowed = (from == v1::STEP_LOBBY && to == v1::STEP_NAME_IT) ||
                           (from == v1::STEP_NAME_IT && to == v1::STEP_GAUGE) ||
                           (from == v1::STEP_REFLECT && to == v1::STEP_SHARE) ||
                           (from == v1::STEP_SHARE && to == v1::STEP_REFLECT &&
                            s.rounds(s.rounds_size() - 1).clarifications() > 0) ||
                           (from == v1::STEP_RECONNECT && to == v1::STEP_COMPLETE) ||
                           (from == v1::STEP_ACKNOWLEDGE && to == v1::STEP_OWN_PART && s.quick().seen()) ||
                           (from == v1::STEP_OWN_PART && to == v1::STEP_OTHER_PART);
      ASSERT_TRUE(allowed) << "step " << from << " -> " << to << " without passing a gate";
    }
    if (s.phase() == v1::PHASE_PAUSED && prev.phase() != v1::PHASE_PAUSED) ++stats_.pauses;
    if (s.phase() != v1::PHASE_CHECK_IN || !s.gate().checked_in_a()) fresh_[0].reset();
    if (s.phase() != v1::PHASE_CHECK_IN || !s.gate().checked_in_b()) fresh_[1].reset();
    ++stats_.steps_seen[static_cast<std::size_t>(s.step())];

    check_kind_invariants(prev, s);
    check_listening_invariants(prev, s);
    check_pause_invariants(prev, s);

    // Nobody else's copy says who is above the threshold.
    for (const auto& p : s.participants()) {
      const State v = view_for(s, p.id());
      ASSERT_FALSE(v.gate().above_a() || v.gate().above_b());
      if (!p.admitted()) {
        ASSERT_EQ(v.rounds_size(), 0);
        ASSERT_FALSE(v.has_quick()) << "a waiting device saw what was said in a quick repair";
      }
    }

    // The state survives protobuf unchanged.
    std::string bytes;
    ASSERT_TRUE(s.SerializeToString(&bytes));
    State back;
    ASSERT_TRUE(back.ParseFromString(bytes));
    ASSERT_TRUE(google::protobuf::util::MessageDifferencer::Equals(s, back));
    ASSERT_EQ(back.SerializeAsString(), bytes);
  }

  // A long break ends only once both partners are back (one had said so
  // before this change), and no pause opens its check-in before its minimum.
  void check_pause_invariants(const State& prev, const State& s) {
    const bool over = s.phase() == v1::PHASE_COMPLETE || s.phase() == v1::PHASE_ENDED;
    if (prev.phase() == v1::PHASE_LONG_BREAK && s.phase() != v1::PHASE_LONG_BREAK && !over) {
      ASSERT_TRUE(prev.pause().back_a() || prev.pause().back_b())
          << "one partner's 'We're back' ended the break";
    }
    const bool was_paused = prev.phase() == v1::PHASE_PAUSED || prev.phase() == v1::PHASE_LONG_BREAK;
    if (was_paused && s.phase() == v1::PHASE_CHECK_IN) {
      ASSERT_GE(to_ms(now_), prev.pause().min_until_ms()) << "a pause ended before its minimum";
    }
  }

  // Deeper listening: the floor follows the stage, the listener's words of
  // validation only come once the speaker said there's nothing more, empathy
  // only after validating, and no reflection finishes before empathy.
  void check_listening_invariants(const State& prev, const State& s) {
    if (s.rounds().empty()) return;
    const v1::Round& r = s.rounds(s.rounds_size() - 1);
    if (s.step() == v1::STEP_REFLECT && s.phase() == v1::PHASE_ACTIVE) {
      const bool speaker_turn = r.reflected() || r.listening() == v1::LISTEN_STAGE_MORE ||
                                r.listening() == v1::LISTEN_STAGE_ADDING;
      ASSERT_EQ(s.floor(), speaker_turn ? r.speaker() : other_partner(r.speaker())) << "stage " << r.listening();
      ++stats_.listening_seen[static_cast<std::size_t>(r.listening())];
    }
    if (r.reflected()) {
      ASSERT_EQ(r.listening(), v1::LISTEN_STAGE_EMPATHISE) << "a reflection finished with a part skipped";
    }
    if (prev.rounds_size() == s.rounds_size() && !prev.rounds().empty()) {
      const v1::Round& before = prev.rounds(prev.rounds_size() - 1);
      if (r.listening() != before.listening() && !r.reflected() && before.listening() != v1::LISTEN_STAGE_UNSPECIFIED &&
          r.listening() != v1::LISTEN_STAGE_UNSPECIFIED) {
        // Forward one part at a time: MORE -> ADDING or VALIDATE -> EMPATHISE.
        ASSERT_TRUE((before.listening() == v1::LISTEN_STAGE_MORE &&
                     (r.listening() == v1::LISTEN_STAGE_ADDING || r.listening() == v1::LISTEN_STAGE_VALIDATE)) ||
                    (before.listening() == v1::LISTEN_STAGE_VALIDATE && r.listening() == v1::LISTEN_STAGE_EMPATHISE))
            << before.listening() << " -> " << r.listening();
      }
      if (r.listening() == v1::LISTEN_STAGE_MORE && before.listening() != v1::LISTEN_STAGE_MORE) {
        ASSERT_EQ(before.listening(), v1::LISTEN_STAGE_UNSPECIFIED) << "asked \"is there more?\" out of turn";
      }
      if (r.validation_text() != before.validation_text()) {
        ASSERT_TRUE(before.listening() == v1::LISTEN_STAGE_VALIDATE ||
                    before.listening() == v1::LISTEN_STAGE_EMPATHISE)
            << "validation written out of turn";
      }
      if (r.empathy_text() != before.empathy_text()) {
        ASSERT_EQ(before.listening(), v1::LISTEN_STAGE_EMPATHISE) << "empathy written before validating";
      }
      if (r.more_text() != before.more_text()) {
        ASSERT_EQ(before.listening(), v1::LISTEN_STAGE_ADDING) << "more written out of turn";
      }
    }
  }

  static bool is_over(v1::Phase p) { return p == v1::PHASE_COMPLETE || p == v1::PHASE_ENDED; }

  // The two kinds keep to their own steps; moving from quick to the nine
  // steps keeps every word said, and only a quick repair can make that move.
  void check_kind_invariants(const State& prev, const State& s) {
    const bool quick_kind = s.settings().kind() == v1::REPAIR_KIND_QUICK;
    const bool quick_steps = s.step() == v1::STEP_ACKNOWLEDGE || s.step() == v1::STEP_OWN_PART ||
                             s.step() == v1::STEP_OTHER_PART;
    const bool nine_steps = s.step() >= v1::STEP_BENEFIT && s.step() <= v1::STEP_REASSURE;
    if (quick_steps) {
      ASSERT_TRUE(quick_kind) << "a quick step outside a quick repair";
      ASSERT_TRUE(is_partner(s.settings().repairer()));
    }
    if (quick_steps && s.quick().escalated() && !is_over(s.phase())) {
      // Just asked for the whole conversation: only the gate into step 3 is left here.
      ASSERT_NE(s.phase(), v1::PHASE_ACTIVE) << "a quick step carried on after the move";
      const v1::Gate& next = s.phase() == v1::PHASE_CHECK_IN ? s.gate() : s.pause().after();
      ASSERT_EQ(next.target_step(), v1::STEP_BENEFIT);
    }
    if (nine_steps && quick_kind) {
      ASSERT_TRUE(s.quick().escalated()) << "quick repair wandered into step " << s.step();
    }
    if (!quick_kind) {
      ASSERT_FALSE(s.has_quick()) << "the nine steps wrote quick-repair fields";
    }
    if (quick_steps && s.phase() == v1::PHASE_ACTIVE) {
      // The floor belongs to the repairer, except when the other answers or names their part.
      const v1::Role repairer = s.settings().repairer();
      const bool other_turn =
          s.step() == v1::STEP_OTHER_PART || (s.step() == v1::STEP_ACKNOWLEDGE && s.quick().acknowledged());
      ASSERT_EQ(s.floor(), other_turn ? other_partner(repairer) : repairer);
    }
    if (prev.quick().escalated()) {
      ASSERT_TRUE(s.quick().escalated()) << "the whole conversation went back";
    }
    if (s.quick().escalated() && prev.settings().kind() == v1::REPAIR_KIND_QUICK) {
      ASSERT_EQ(s.quick().acknowledgment_text(), prev.quick().acknowledgment_text()) << "words were lost";
      ASSERT_EQ(s.quick().own_text(), prev.quick().own_text());
      ASSERT_EQ(s.quick().other_text(), prev.quick().other_text());
    }
    if (s.quick().other_skipped()) {
      ASSERT_TRUE(s.quick().other_text().empty());
    }
  }

  void mix_digest(const State& s) {
    for (char ch : s.SerializeAsString()) {
      stats_.digest ^= static_cast<uint8_t>(ch);
      stats_.digest *= 1099511628211ULL;
    }
  }

  std::mt19937_64 rng_;
  State state_;
  TimePoint now_ = from_ms(1'790'000'000'000);
  int sessions_ = 0;
  std::array<std::optional<int>, 2> fresh_{};
  RunStats stats_;
};

uint64_t seed_from_env() {
  const char* s = std::getenv("ATTUNE_SEED");
  return s != nullptr ? std::strtoull(s, nullptr, 10) : 20261121;
}

TEST(Random, InvariantsHoldOverAHundredThousandRandomIntents) {
  const uint64_t seed = seed_from_env();
  RandomSession session(seed);
  const RunStats st = session.run(kIntents);
  ASSERT_FALSE(HasFatalFailure()) << "seed " << seed;
  // The run really walked the session, not just the lobby.
  EXPECT_GT(st.completed, 20) << "seed " << seed;
  EXPECT_GT(st.ended, 0);
  EXPECT_GT(st.gates_passed, 200);
  EXPECT_GT(st.pauses, 50);
  EXPECT_GT(st.completed_quick, 5) << "seed " << seed;
  for (int stage = 0; stage < v1::ListenStage_ARRAYSIZE; ++stage) {
    EXPECT_GT(st.listening_seen[static_cast<std::size_t>(stage)], 0) << "never reached listening stage " << stage;
  }
  EXPECT_GT(st.completed_escalated, 0) << "seed " << seed;
  for (int step = v1::STEP_LOBBY; step <= v1::STEP_OTHER_PART; ++step) {
    EXPECT_GT(st.steps_seen[static_cast<std::size_t>(step)], 0) << "never reached step " << step;
  }
  RecordProperty("completed", st.completed);
  RecordProperty("completed_quick", st.completed_quick);
  RecordProperty("completed_escalated", st.completed_escalated);
  RecordProperty("accepted", st.accepted);
}

TEST(Random, TheSameSeedGivesTheSameRun) {
  const RunStats one = RandomSession(7).run(20'000);
  const RunStats two = RandomSession(7).run(20'000);
  const RunStats other = RandomSession(8).run(20'000);
  EXPECT_EQ(one.digest, two.digest);
  EXPECT_EQ(one.accepted, two.accepted);
  EXPECT_NE(one.digest, other.digest);
}

}  // namespace
}  // namespace attune::test
