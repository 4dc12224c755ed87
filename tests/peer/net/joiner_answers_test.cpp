// The real net::Joiner against a scripted host on 127.0.0.1 (issue 15): what
// the joiner does with answers a real host seldom or never sends. A person
// would notice: a RATE_LIMITED answer is waited out for as long as the host
// asked (never more than five minutes) and the wait is said in seconds; the
// host's close words reach the screen as one safe, short line; and an answer
// to something this device never sent is never shown as if it were real;
// and a pause resent into a pause already on is settled, never sent again.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io_wait.hpp"
#include "attune/intents.hpp"
#include "attune/pairing/host_pairing.hpp"
#include "attune/wire_codec.hpp"
#include "doc_section.hpp"
#include "identity/device_key_store.hpp"
#include "identity/system_random.hpp"
#include "net/joiner.hpp"
#include "peer_process.hpp"

namespace attune::net {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr auto kWithin = 10s;  // A healthy run answers in milliseconds.

// What the host does with each link it accepts.
enum class Script {
  RateLimit,      // Refuses the ClientHello's link with RATE_LIMITED.
  OddAnswersEnd,  // Pairs by code; after the Hello: answers, then a hostile close.
  OnAPause,       // Welcomes a seated device to a session in `on_hold`; refuses each
                  // first submit PAUSED (or, with `acks`, acks it), then shows `after`.
};

// Listens on 127.0.0.1 and follows its script, with the real handshake.
class ScriptedHost {
 public:
  ScriptedHost(asio::io_context& io, const std::filesystem::path& dir, Script script)
      : io_(io),
        script_(script),
        key_(make_key(dir)),
        pairing_(key_, pairing::PairingPolicyConfig{}, identity::system_random()) {
    code = pairing_.policy().open_code(1, read_clock({}));
    listener_ = tcp_transport()->listen(io_, "127.0.0.1", 0);
    accept_next();
  }
  ~ScriptedHost() {
    listener_->close();
    for (auto& link : links_) link->close("test over");
  }
  uint16_t port() const { return listener_->port(); }

  uint32_t retry_after = 0;
  std::vector<std::string> answers_to;  // Acked first, then one refused.
  std::string close_words;
  std::string code;
  std::vector<Clock::time_point> accepted;
  std::map<std::string, int> submits;               // OnAPause: times each intent id came.
  v1::Phase on_hold = v1::PHASE_PAUSED;             // OnAPause: the phase at the welcome,
  v1::Phase after = v1::PHASE_ACTIVE;               // and the one after the first refusal.
  uint32_t welcome_version = kWireProtocolVersion;  // OnAPause: what the Welcome says.
  bool acks = false;                                // OnAPause: ack every submit instead.

 private:
  static crypto::DeviceIdentity make_key(const std::filesystem::path& dir) {
    auto loaded = identity::load_or_create_device_key(dir / "host", identity::system_random(), "dev-host");
    EXPECT_TRUE(loaded.identity) << loaded.error;
    return *loaded.identity;
  }
  void accept_next() {
    listener_->async_accept([this](const asio::error_code& ec, std::unique_ptr<Stream> stream) {
      if (ec) return;
      accepted.push_back(Clock::now());
      take(std::move(stream));
      accept_next();
    });
  }
  void take(std::unique_ptr<Stream> stream) {
    const uint64_t id = links_.size() + 1;
    const std::string source = stream->source();
    auto link = std::make_shared<Connection>(std::move(stream), LinkTiming{});
    links_.push_back(link);
    if (script_ == Script::RateLimit) {
      link->start([](const v1::Envelope&) {}, [](const std::string&) {});
      v1::Envelope refusal;
      refusal.mutable_handshake()->mutable_refusal()->set_reason(v1::HANDSHAKE_REFUSAL_REASON_RATE_LIMITED);
      refusal.mutable_handshake()->mutable_refusal()->set_retry_after_seconds(retry_after);
      link->send_and_close(refusal, "rate limited");
      return;
    }
    pairing_.on_connect(id, source, read_clock({}));
    link->secure_with(pairing::SecureLink::for_host(pairing_, id), [](const pairing::HandshakeSuccess&) {});
    if (script_ == Script::OnAPause) {
      link->start([this, raw = link.get()](const v1::Envelope& e) { on_a_pause(*raw, e); },
                  [](const std::string&) {});
      return;
    }
    link->start(
        [this, raw = link.get()](const v1::Envelope& e) {
          if (e.has_hello()) answer(*raw);
        },
        [](const std::string&) {});
  }
  void answer(Connection& link) {
    for (std::size_t i = 0; i < answers_to.size(); ++i) {
      v1::Envelope e;
      if (i + 1 < answers_to.size()) {
        e.mutable_intent_ack()->set_intent_id(answers_to[i]);
        e.mutable_intent_ack()->set_seq(i + 1);
      } else {
        e.mutable_intent_refused()->set_intent_id(answers_to[i]);
        e.mutable_intent_refused()->mutable_refusal()->set_code(v1::REFUSAL_CODE_WRONG_STEP);
        e.mutable_intent_refused()->mutable_refusal()->set_message("Not now.");
      }
      link.send(e);
    }
    link.say_goodbye(v1::CLOSE_REASON_SESSION_ENDED, close_words);
  }

  static v1::Envelope snapshot(uint64_t seq, v1::Phase phase) {
    v1::Envelope e;
    e.mutable_snapshot()->set_seq(seq);
    e.mutable_snapshot()->mutable_state()->set_phase(phase);
    return e;
  }
  void on_a_pause(Connection& link, const v1::Envelope& e) {
    if (e.has_hello()) {
      v1::Envelope welcome;
      welcome.mutable_welcome()->set_protocol_version(welcome_version);
      welcome.mutable_welcome()->set_app_version("9.9");
      welcome.mutable_welcome()->set_session_id("session-1");
      welcome.mutable_welcome()->set_seated(true);
      welcome.mutable_welcome()->set_seq(1);
      link.send(welcome);
      link.send(snapshot(1, on_hold));
      return;
    }
    if (!e.has_submit_intent()) return;
    if (acks) {
      v1::Envelope ack;
      ack.mutable_intent_ack()->set_intent_id(e.submit_intent().intent_id());
      ack.mutable_intent_ack()->set_seq(2);
      ++submits[e.submit_intent().intent_id()];
      link.send(ack);
      return;
    }
    if (++submits[e.submit_intent().intent_id()] > 1) return;
    v1::Envelope refused;
    refused.mutable_intent_refused()->set_intent_id(e.submit_intent().intent_id());
    refused.mutable_intent_refused()->mutable_refusal()->set_code(v1::REFUSAL_CODE_PAUSED);
    refused.mutable_intent_refused()->mutable_refusal()->set_message("You're already on a pause.");
    link.send(refused);
    // The pause (or break) runs out: a fresh gate, or both checked in.
    link.send(snapshot(2, after));
  }

  asio::io_context& io_;
  Script script_;
  crypto::DeviceIdentity key_;
  pairing::HostPairing pairing_;
  std::unique_ptr<Listener> listener_;
  std::vector<std::shared_ptr<Connection>> links_;
};

class JoinerAnswers : public ::testing::Test {
 protected:
  JoinerAnswers() { spdlog::set_level(spdlog::level::warn); }
  ~JoinerAnswers() override {
    if (joiner_) joiner_->stop();
    run_until([] { return false; }, 20ms);
    joiner_.reset();
  }

  Joiner& join(ScriptedHost& host, const std::string& code) {
    auto loaded =
        identity::load_or_create_device_key(dirs_.path() / "sam", identity::system_random(), "dev-sam");
    EXPECT_TRUE(loaded.identity) << loaded.error;
    store_ = std::make_unique<store::Store>(dirs_.path() / "sam");
    JoinerConfig config(*loaded.identity);
    config.host = "127.0.0.1";
    config.port = host.port();
    config.device_id = "dev-sam";
    config.display_name = "Sam";
    config.app_version = "test";
    config.first_contact_cap = 50ms;
    config.backoff_cap = 50ms;
    config.data_dir = dirs_.path() / "sam";
    config.code = code;
    ReplicaEvents events;
    events.link = [this](LinkState, const std::string& detail) { details_.push_back(detail); };
    events.acked = [this](const std::string& id, uint64_t) { acked_.push_back(id); };
    events.refused = [this](const std::string& id, const v1::Refusal& refusal) {
      refused_.push_back(id);
      refusal_words_.push_back(refusal.message());
    };
    events.closed = [this](const v1::Close& goodbye, bool) { closes_.push_back(goodbye); };
    events.fatal = [this](Fatal fatal, const std::string& message) { fatals_.emplace_back(fatal, message); };
    events.held = [this](const std::string& id, const std::string&) { held_.push_back(id); };
    events.state = [this](const State& state, uint64_t, const std::string&) {
      phases_.push_back(state.phase());
    };
    joiner_ = std::make_unique<Joiner>(io_, *store_, std::move(config), std::move(events));
    return *joiner_;
  }

  template <typename Done>
  bool run_until(Done done, std::chrono::milliseconds limit = kWithin) {
    return attune::test::run_io_until(io_, done, limit);
  }
  bool said(const std::string& words) const {
    return std::any_of(details_.begin(), details_.end(),
                       [&](const std::string& d) { return d.find(words) != std::string::npos; });
  }

  attune::test::TempDir dirs_;
  asio::io_context io_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Joiner> joiner_;
  std::vector<std::string> details_, acked_, refused_, held_, refusal_words_;
  std::vector<v1::Phase> phases_;
  std::vector<v1::Close> closes_;
  std::vector<std::pair<Fatal, std::string>> fatals_;
};

// proto/README.md "Versioning" (reader 12, L3): a Welcome of another
// protocol version stops the joiner as a VersionMismatch does.
TEST_F(JoinerAnswers, AWelcomeOfAnotherVersionStopsTheJoinerWithWordsNamingBoth) {
  const std::string doc = contract::read_squeezed(contract::source_dir() / "proto" / "README.md");
  ASSERT_NE(
      doc.find("A joining device also checks `Welcome`: another `protocol_version` there stops it just as "
               "a `VersionMismatch` does"),
      std::string::npos);
  ScriptedHost host(io_, dirs_.path(), Script::OnAPause);
  host.welcome_version = kWireProtocolVersion + 1;
  join(host, host.code).start();
  ASSERT_TRUE(run_until([&] { return !fatals_.empty(); })) << "the joiner went on";
  EXPECT_EQ(fatals_[0].first, Fatal::VersionMismatch);
  const std::string& words = fatals_[0].second;
  EXPECT_NE(words.find("version " + std::to_string(kWireProtocolVersion + 1) + " (Attune 9.9)"),
            std::string::npos)
      << words;
  EXPECT_NE(words.find("this device speaks version " + std::to_string(kWireProtocolVersion)),
            std::string::npos)
      << words;
  // And it stays stopped: no second dial.
  run_until([] { return false; }, 300ms);
  EXPECT_EQ(host.accepted.size(), 1u);
}

TEST_F(JoinerAnswers, RateLimitedIsWaitedOutForAsLongAsTheHostAsked) {
  ScriptedHost host(io_, dirs_.path(), Script::RateLimit);
  host.retry_after = 1;
  join(host, host.code).start();
  ASSERT_TRUE(run_until([&] { return host.accepted.size() >= 2; })) << "the joiner never came back";
  // Not the 50 ms backoff: the second dial comes a whole second later.
  EXPECT_GE(host.accepted[1] - host.accepted[0], 950ms);
  EXPECT_TRUE(said("waits 1 second before trying again")) << details_.back();
}

TEST_F(JoinerAnswers, AHugeRetryAfterIsCappedAtFiveMinutes) {
  ScriptedHost host(io_, dirs_.path(), Script::RateLimit);
  host.retry_after = 4'000'000'000u;  // About 127 years.
  join(host, host.code).start();
  ASSERT_TRUE(run_until([&] { return said("before trying again"); }));
  EXPECT_TRUE(said("waits 300 seconds before trying again")) << details_.back();
  // And it does wait: no second try while the test watches.
  run_until([] { return false; }, 500ms);
  EXPECT_EQ(host.accepted.size(), 1u);
}

TEST_F(JoinerAnswers, TheHostsCloseWordsAreShownAsOneSafeShortLine) {
  ScriptedHost host(io_, dirs_.path(), Script::OddAnswersEnd);
  host.close_words =
      "\x1b[2J\x1b]0;owned\x07 Bye\xe2\x80\xae (reversed)\r\nnext line " + std::string(5000, 'x');
  join(host, host.code).start();
  ASSERT_TRUE(run_until([&] { return !closes_.empty(); })) << "no close frame arrived";
  for (const std::string& shown : {closes_[0].message(), details_.back()}) {
    EXPECT_NE(shown.find("Bye"), std::string::npos) << shown;
    EXPECT_LE(shown.size(), 300u) << shown;
    EXPECT_EQ(shown.find("\xe2\x80\xae"), std::string::npos) << shown;
    for (unsigned char c : shown)
      EXPECT_TRUE(c >= 0x20 && c != 0x7f) << "control byte " << int(c) << " in " << shown;
  }
}

TEST_F(JoinerAnswers, AnswersToIntentsNeverSentAreDroppedUnshown) {
  ScriptedHost host(io_, dirs_.path(), Script::OddAnswersEnd);
  host.answers_to = {"tap-1", "never-sent", "never-sent-either"};
  host.close_words = "Goodbye.";
  Joiner& joiner = join(host, host.code);
  joiner.submit("tap-1", intents::ready());  // Waits in the outbox; the host answers it.
  joiner.start();
  ASSERT_TRUE(run_until([&] { return !closes_.empty(); })) << "no close frame arrived";
  EXPECT_EQ(acked_, std::vector<std::string>{"tap-1"});
  EXPECT_TRUE(refused_.empty()) << refused_.front();
  EXPECT_EQ(joiner.unmatched_answers(), 2u);
}

// A pause asked for while the link was down meets a pause already on. It is settled quietly, and when the
// session is active again it is not sent a second time (which started a second pause).
TEST_F(JoinerAnswers, APauseResentIntoAPauseIsSettledNotHeld) {
  ScriptedHost host(io_, dirs_.path(), Script::OnAPause);
  Joiner& joiner = join(host, host.code);
  joiner.start();
  joiner.submit("pause-1", intents::pause());  // Made before the welcome: resent on it.
  ASSERT_TRUE(run_until([&] {
    return std::find(phases_.begin(), phases_.end(), v1::PHASE_ACTIVE) != phases_.end();
  })) << "the session never showed active";
  run_until([] { return false; }, 300ms);  // Room for a wrong resend to arrive.
  EXPECT_EQ(host.submits["pause-1"], 1) << "sent again once the session was active";
  EXPECT_TRUE(held_.empty()) << "told the person it is kept";
  EXPECT_TRUE(refused_.empty()) << "showed the person a refusal";
}

// A check-in made while the link was down meets a long break: the gate it
// was made for is gone. It is not held and sent at the fresh gate after the
// break (where it counted as a rating the person never gave for that gate);
// the person is told, once, to check in again.
TEST_F(JoinerAnswers, ACheckInResentIntoALongBreakIsDroppedAndAskedAgain) {
  ScriptedHost host(io_, dirs_.path(), Script::OnAPause);
  host.on_hold = v1::PHASE_LONG_BREAK;
  host.after = v1::PHASE_CHECK_IN;
  Joiner& joiner = join(host, host.code);
  joiner.start();
  joiner.submit("check-1", intents::check_in(false));  // Made before the welcome: resent on it.
  ASSERT_TRUE(run_until([&] {
    return std::find(phases_.begin(), phases_.end(), v1::PHASE_CHECK_IN) != phases_.end();
  })) << "the fresh gate never showed";
  run_until([] { return false; }, 300ms);  // Room for a wrong resend to arrive.
  EXPECT_EQ(host.submits["check-1"], 1) << "the old check-in was sent to the fresh gate";
  EXPECT_TRUE(held_.empty()) << "told the person it goes through later";
  ASSERT_EQ(refused_, std::vector<std::string>{"check-1"});
  EXPECT_NE(refusal_words_[0].find("please check in again"), std::string::npos) << refusal_words_[0];
}

// An intent made before start() is written to disk, and start() reads the
// disk: it was kept twice, sent twice at the welcome and acked twice.
TEST_F(JoinerAnswers, AnIntentMadeBeforeStartIsSentAndAnsweredOnce) {
  ScriptedHost host(io_, dirs_.path(), Script::OnAPause);
  host.on_hold = v1::PHASE_ACTIVE;
  host.acks = true;
  Joiner& joiner = join(host, host.code);
  joiner.submit("tap-1", intents::ready());
  joiner.start();
  ASSERT_TRUE(run_until([&] { return !acked_.empty(); })) << "never answered";
  run_until([] { return false; }, 300ms);  // Room for a second copy to arrive.
  EXPECT_EQ(host.submits["tap-1"], 1);
  EXPECT_EQ(acked_, std::vector<std::string>{"tap-1"});
}

}  // namespace
}  // namespace attune::net
