// The real net::Host and net::Joiner in one process: each with its own
// store, data folder and device key, over the in-process loopback network
// (and once over TCP on 127.0.0.1), on one io_context this test runs by
// hand, with a clock the host reads through LinkTiming. What a person would
// notice: pairing with the code brings the session; a tap reaches the host
// and comes back acknowledged; a dropped link comes back by itself with
// nothing lost and nothing done twice; the host closing says why, and the
// joiner stops or comes back by that reason; a wrong code is turned away.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "io_wait.hpp"
#include "attune/intents.hpp"
#include "identity/device_key_store.hpp"
#include "identity/system_random.hpp"
#include "net/host.hpp"
#include "net/joiner.hpp"
#include "net/transport_loopback.hpp"
#include "peer_process.hpp"

namespace attune::net {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// Long enough for a loaded machine; a healthy run answers in milliseconds.
constexpr auto kWithin = 10s;

// Everything one device was told, in order.
struct Heard {
  std::vector<std::pair<uint64_t, std::string>> changes;  // seq, cause
  State state;
  uint64_t seq = 0;
  std::map<std::string, int> acked;  // intent id -> how many acks arrived
  std::vector<std::string> queued;
  std::vector<std::string> refused;
  std::vector<LinkState> links;
  std::vector<std::string> details;  // Each link line's words.
  std::vector<std::string> reached;  // Each address that answered a dial.
  std::vector<std::pair<v1::Close, bool>> closes;  // the host's close frame, and "coming back"
  std::optional<std::pair<Fatal, std::string>> fatal;
  std::string code;  // The host's pairing code, once shown.
  std::function<void(const std::string& cause)> on_change;  // Runs inside the device, at each change.

  int changes_caused_by(const std::string& intent_id) const {
    int n = 0;
    for (const auto& change : changes) n += change.second == intent_id;
    return n;
  }
  bool answered(const std::string& intent_id) const {
    return acked.count(intent_id) || std::find(refused.begin(), refused.end(), intent_id) != refused.end();
  }
  bool connected() const { return !links.empty() && links.back() == LinkState::Connected; }
};

ReplicaEvents record(Heard& heard) {
  ReplicaEvents events;
  events.state = [&heard](const State& view, uint64_t seq, const std::string& cause) {
    heard.state = view;
    heard.seq = seq;
    heard.changes.emplace_back(seq, cause);
    if (heard.on_change) heard.on_change(cause);
  };
  events.acked = [&heard](const std::string& id, uint64_t) { ++heard.acked[id]; };
  events.queued = [&heard](const std::string& id) { heard.queued.push_back(id); };
  events.refused = [&heard](const std::string& id, const v1::Refusal&) { heard.refused.push_back(id); };
  events.link = [&heard](LinkState link, const std::string& detail) {
    heard.links.push_back(link);
    heard.details.push_back(detail);
  };
  events.reached = [&heard](const std::string& address) { heard.reached.push_back(address); };
  events.closed = [&heard](const v1::Close& goodbye, bool back) { heard.closes.emplace_back(goodbye, back); };
  events.fatal = [&heard](Fatal fatal, const std::string& message) { heard.fatal.emplace(fatal, message); };
  events.pairing = [&heard](const pairing::PolicyEvent& event) {
    if (!event.code.empty()) heard.code = event.code;
  };
  return events;
}

// A transport whose streams can stop hearing: while `deaf`, whatever
// arrives is dropped unread, as if it was lost on the way.
class DeafTransport final : public Transport {
 public:
  explicit DeafTransport(std::shared_ptr<Transport> inner) : inner_(std::move(inner)) {}
  std::unique_ptr<Listener> listen(asio::io_context& io, const std::string& address, uint16_t port) override {
    return inner_->listen(io, address, port);
  }
  std::unique_ptr<Dialing> dial(asio::io_context& io, const std::string& host, uint16_t port,
                                StreamHandler done) override {
    return inner_->dial(io, host, port,
                        [this, done = std::move(done)](const asio::error_code& ec, std::unique_ptr<Stream> s) {
                          done(ec, s ? std::make_unique<DeafStream>(std::move(s), deaf) : nullptr);
                        });
  }
  std::shared_ptr<bool> deaf = std::make_shared<bool>(false);

 private:
  class DeafStream final : public Stream {
   public:
    DeafStream(std::unique_ptr<Stream> inner, std::shared_ptr<bool> deaf)
        : inner_(std::move(inner)), deaf_(std::move(deaf)) {}
    asio::any_io_executor executor() override { return inner_->executor(); }
    void async_read_some(asio::mutable_buffer buffer, IoHandler handler) override {
      inner_->async_read_some(buffer, [this, buffer, handler = std::move(handler)](const asio::error_code& ec,
                                                                                   std::size_t n) mutable {
        if (!ec && *deaf_) return async_read_some(buffer, std::move(handler));  // Lost on the way.
        handler(ec, n);
      });
    }
    void async_write(asio::const_buffer buffer, IoHandler handler) override {
      inner_->async_write(buffer, std::move(handler));
    }
    void write_now(asio::const_buffer buffer) override { inner_->write_now(buffer); }
    void shutdown_send() override { inner_->shutdown_send(); }
    void close() override { inner_->close(); }
    std::string remote() const override { return inner_->remote(); }
    std::string source() const override { return inner_->source(); }

   private:
    std::unique_ptr<Stream> inner_;
    std::shared_ptr<bool> deaf_;
  };
  std::shared_ptr<Transport> inner_;
};

enum class Wire { Loopback, Tcp };
void PrintTo(Wire wire, std::ostream* os) { *os << (wire == Wire::Tcp ? "TCP on 127.0.0.1" : "loopback"); }

// One device: its folder, key and store.
struct Device {
  Device(const fs::path& dir, const std::string& id) : folder(dir / id) {
    auto loaded = identity::load_or_create_device_key(folder, identity::system_random(), id);
    EXPECT_TRUE(loaded.identity) << loaded.error;
    key.emplace(*loaded.identity);
    store = std::make_unique<store::Store>(folder);
  }
  const std::string& id() const { return key->device_id(); }
  fs::path folder;
  std::optional<crypto::DeviceIdentity> key;
  std::unique_ptr<store::Store> store;
  Heard heard;
};

class HostAndJoiner : public ::testing::TestWithParam<Wire> {
 protected:
  HostAndJoiner() { spdlog::set_level(spdlog::level::warn); }
  ~HostAndJoiner() override {
    // Joiners first, then the host, while the folders still exist.
    for (auto& joiner : joiners_) joiner->stop();
    if (host_) host_->stop();
    run_until([] { return false; }, 50ms);  // Let the goodbyes drain.
    joiners_.clear();
    host_.reset();
  }

  LinkTiming timing() {
    // Quick heartbeats, a silence a loaded machine never reaches by
    // accident, and the test's clock.
    return LinkTiming{200ms, 2000ms, [c = clock_ms_] { return from_ms(c->load()); }};
  }
  std::shared_ptr<Transport> transport(const std::string& device) {
    return GetParam() == Wire::Tcp ? tcp_transport() : network_->device(device);
  }

  // Starts (or restarts, on the same port and store) the host, and waits for its code.
  void start_host(uint16_t port = 0) {
    HostConfig config(*alex_.key);
    config.bind_address = "127.0.0.1";
    config.port = port;
    config.device_id = alex_.id();
    config.display_name = "Alex";
    config.session_name = "Sunday evening";
    config.app_version = "test";
    config.timing = timing();
    config.data_dir = alex_.folder;
    config.transport = transport(alex_.id());
    host_ = std::make_unique<Host>(io_, *alex_.store, std::move(config), record(alex_.heard));
    host_->start();
    if (port == 0) {
      ASSERT_TRUE(run_until([&] { return !alex_.heard.code.empty(); })) << "the host showed no code";
    }
  }

  // Starts a joining device that types `code` (and dials `where`, when given).
  Joiner& join(Device& device, const std::string& name, const std::string& code,
               std::shared_ptr<Transport> through = nullptr, std::vector<DialAddress> where = {}) {
    JoinerConfig config(*device.key);
    config.host = "127.0.0.1";
    config.port = host_->port();
    if (!where.empty()) {
      config.host = where.front().host;
      config.port = where.front().port;
      config.more_addresses.assign(where.begin() + 1, where.end());
    }
    config.device_id = device.id();
    config.display_name = name;
    config.role = v1::ROLE_PARTNER_B;
    config.app_version = "test";
    config.timing = timing();
    config.backoff_cap = 50ms;
    config.first_contact_cap = 50ms;
    config.data_dir = device.folder;
    config.code = code;
    config.transport = through ? through : transport(device.id());
    config.first_dial_failed = std::exchange(first_dial_failed_, nullptr);
    joiners_.push_back(std::make_unique<Joiner>(io_, *device.store, std::move(config), record(device.heard)));
    joiners_.back()->start();
    return *joiners_.back();
  }

  // Sam joins with the host's code, and is in the session on both sides.
  Joiner& sam_joins(std::shared_ptr<Transport> through = nullptr) {
    Joiner& joiner = join(sam_, "Sam", alex_.heard.code, std::move(through));
    EXPECT_TRUE(run_until([&] { return in_session(sam_.id()); })) << "Sam could not join";
    return joiner;
  }
  // In the host's roster and connected, and caught up with it.
  bool in_session(const std::string& id) {
    Heard& joiner = id == sam_.id() ? sam_.heard : robin_.heard;
    const auto* seat = find_participant(alex_.heard.state, id);
    return seat && seat->connected() && joiner.connected() && joiner.seq == alex_.heard.seq;
  }
  void host_does(const std::string& intent_id, const Intent& intent) {
    host_->submit_local(intent_id, intent);
    ASSERT_EQ(alex_.heard.acked[intent_id], 1) << intent_id << " was not applied at once";
  }

  // The host stops: Sam hears its close frame, with `reason` and words for
  // the person, and says whether it comes back by itself.
  void host_closes(v1::CloseReason reason, bool coming_back) {
    host_->stop();
    ASSERT_TRUE(run_until([&] { return !sam_.heard.closes.empty(); })) << "Sam heard no close frame";
    const auto& [goodbye, back] = sam_.heard.closes.back();
    EXPECT_EQ(goodbye.reason(), reason);
    EXPECT_FALSE(goodbye.message().empty());
    EXPECT_EQ(back, coming_back);
    host_.reset();
  }

  // Runs the io until `done` holds, for at most `limit`.
  template <typename Done>
  bool run_until(Done done, std::chrono::milliseconds limit = kWithin) {
    return attune::test::run_io_until(io_, done, limit);
  }

  attune::test::TempDir dirs_;
  asio::io_context io_;
  std::shared_ptr<LoopbackNetwork> network_ = LoopbackNetwork::create();
  std::shared_ptr<std::atomic<int64_t>> clock_ms_ = std::make_shared<std::atomic<int64_t>>(1'763'700'000'000);
  Device alex_{dirs_.path(), "dev-alex"};
  Device sam_{dirs_.path(), "dev-sam"};
  Device robin_{dirs_.path(), "dev-robin"};
  std::unique_ptr<Host> host_;
  std::vector<std::unique_ptr<Joiner>> joiners_;
  std::function<DialFallback()> first_dial_failed_;  // For the next join() only.
};

TEST_P(HostAndJoiner, AJoinerPairsWithTheCodeAndReceivesTheSession) {
  ASSERT_NO_FATAL_FAILURE(start_host());
  Joiner& sam = join(sam_, "Sam", alex_.heard.code);
  ASSERT_TRUE(run_until([&] { return in_session(sam_.id()); })) << "Sam could not join";
  // The session Sam holds is the host's: its id, its name, Alex hosting and
  // Sam waiting to be let in, at the host's change.
  EXPECT_EQ(sam.session_id(), alex_.heard.state.session_id());
  EXPECT_EQ(sam_.heard.state.session_name(), "Sunday evening");
  const auto* host_seat = find_participant(sam_.heard.state, alex_.id());
  ASSERT_NE(host_seat, nullptr);
  EXPECT_EQ(host_seat->display_name(), "Alex");
  EXPECT_TRUE(host_seat->host());
  const auto* seat = find_participant(sam_.heard.state, sam_.id());
  ASSERT_NE(seat, nullptr);
  EXPECT_EQ(seat->display_name(), "Sam");
  EXPECT_FALSE(seat->admitted());
  EXPECT_EQ(sam_.heard.links.back(), LinkState::Connected);
  EXPECT_FALSE(sam_.heard.fatal);
}

TEST_P(HostAndJoiner, AnIntentFromTheJoinerReachesTheHostAndComesBackAcknowledged) {
  ASSERT_NO_FATAL_FAILURE(start_host());
  Joiner& sam = sam_joins();
  ASSERT_NO_FATAL_FAILURE(host_does("a-admit", intents::admit(sam_.id())));
  ASSERT_TRUE(run_until([&] { return sam_.heard.seq == alex_.heard.seq; }));

  sam.submit("s-share", intents::share_with_coach(true));
  ASSERT_TRUE(run_until([&] { return sam_.heard.acked.count("s-share") > 0; })) << "no answer reached Sam";
  // The host applied it once, and Sam sees the host's change for it.
  EXPECT_EQ(alex_.heard.changes_caused_by("s-share"), 1);
  EXPECT_TRUE(find_participant(alex_.heard.state, sam_.id())->shares_with_coach());
  EXPECT_EQ(sam_.heard.changes_caused_by("s-share"), 1);
  EXPECT_TRUE(find_participant(sam_.heard.state, sam_.id())->shares_with_coach());
  EXPECT_EQ(sam_.heard.seq, alex_.heard.seq);
  EXPECT_EQ(sam_.heard.acked["s-share"], 1);
  EXPECT_TRUE(sam_.heard.refused.empty());
}

INSTANTIATE_TEST_SUITE_P(Wires, HostAndJoiner, ::testing::Values(Wire::Loopback, Wire::Tcp),
                         [](const auto& info) { return info.param == Wire::Tcp ? "Tcp" : "Loopback"; });

// The rest cut links and restart hosts: the loopback network does that on cue.
class HostAndJoinerOnLoopback : public HostAndJoiner {};

TEST_P(HostAndJoinerOnLoopback, ADroppedLinkComesBackAndNothingIsLostOrDoneTwice) {
  ASSERT_NO_FATAL_FAILURE(start_host());
  auto through = std::make_shared<DeafTransport>(network_->device(sam_.id()));
  Joiner& sam = sam_joins(through);
  ASSERT_NO_FATAL_FAILURE(host_does("a-admit", intents::admit(sam_.id())));
  ASSERT_TRUE(run_until([&] { return sam_.heard.seq == alex_.heard.seq; }));

  // Sam taps "ready"; the host applies it, and just then Sam's link drops:
  // the change and its ack never arrive.
  alex_.heard.on_change = [&](const std::string& cause) {
    if (cause != "s-ready") return;
    *through->deaf = true;  // What the host says next is lost...
    network_->set_reachable(sam_.id(), false);  // ...and the link breaks.
  };
  sam.submit("s-ready", intents::ready());
  ASSERT_TRUE(run_until([&] { return *through->deaf && !sam_.heard.connected(); })) << "Sam's link did not drop";
  alex_.heard.on_change = nullptr;
  EXPECT_EQ(sam_.heard.acked.count("s-ready"), 0u) << "the ack got through before the link dropped";

  // While away, Sam shares with the coach: kept on disk until the host answers.
  sam.submit("s-share", intents::share_with_coach(true));
  ASSERT_TRUE(run_until([&] { return !sam_.heard.queued.empty() && sam_.heard.queued.back() == "s-share"; }));
  ASSERT_TRUE(run_until([&] { return !find_participant(alex_.heard.state, sam_.id())->connected(); }))
      << "the host never noticed Sam was gone";

  // Back: Sam reconnects by itself (its pinned key, no code) and replays
  // what the host has not answered.
  *through->deaf = false;
  network_->set_reachable(sam_.id(), true);
  ASSERT_TRUE(run_until([&] {
    return in_session(sam_.id()) && sam_.heard.answered("s-ready") && sam_.heard.answered("s-share");
  })) << "Sam did not come back, or what Sam did went unanswered";
  run_until([&] { return network_->quiet(); });
  EXPECT_TRUE(std::find(sam_.heard.links.begin(), sam_.heard.links.end(), LinkState::Reconnecting) !=
              sam_.heard.links.end());
  // Each intent was applied once and answered once.
  EXPECT_EQ(alex_.heard.changes_caused_by("s-ready"), 1);
  EXPECT_EQ(alex_.heard.changes_caused_by("s-share"), 1);
  EXPECT_EQ(sam_.heard.acked["s-ready"], 1);
  EXPECT_EQ(sam_.heard.acked["s-share"], 1);
  const auto* seat = find_participant(sam_.heard.state, sam_.id());
  ASSERT_NE(seat, nullptr);
  EXPECT_TRUE(seat->ready());
  EXPECT_TRUE(seat->shares_with_coach());
  EXPECT_EQ(sam_.heard.seq, alex_.heard.seq);
  EXPECT_TRUE(sam_.heard.refused.empty());
  EXPECT_FALSE(sam_.heard.fatal);
  // Nothing is left to send: the outbox on disk is empty once saved.
  ASSERT_TRUE(run_until([&] { return sam_.store->outbox_load().empty(); }, 2s));
}

TEST_P(HostAndJoinerOnLoopback, TheHostClosingForNowIsFollowedByAReconnect) {
  ASSERT_NO_FATAL_FAILURE(start_host());
  sam_joins();
  const uint16_t port = host_->port();
  ASSERT_NO_FATAL_FAILURE(host_closes(v1::CLOSE_REASON_GOING_AWAY, /*coming_back=*/true));
  EXPECT_FALSE(sam_.heard.fatal);

  // The host starts again on the same port: Sam is back without a code.
  alex_.heard.code.clear();
  ASSERT_NO_FATAL_FAILURE(start_host(port));
  EXPECT_TRUE(host_->resumed());
  ASSERT_TRUE(run_until([&] { return in_session(sam_.id()); })) << "Sam did not come back";
}

TEST_P(HostAndJoinerOnLoopback, TheHostClosingAnEndedSessionLetsTheJoinerStop) {
  ASSERT_NO_FATAL_FAILURE(start_host());
  sam_joins();
  *clock_ms_ += 90'000;  // The host reads the test's clock.
  ASSERT_NO_FATAL_FAILURE(host_does("a-exit", intents::exit()));
  ASSERT_TRUE(run_until([&] { return sam_.heard.state.phase() == v1::PHASE_ENDED; }));
  EXPECT_EQ(sam_.heard.state.ended_ms(), clock_ms_->load());
  const uint16_t port = host_->port();
  ASSERT_NO_FATAL_FAILURE(host_closes(v1::CLOSE_REASON_SESSION_ENDED, /*coming_back=*/false));
  EXPECT_EQ(sam_.heard.links.back(), LinkState::Offline);

  // Even with the host back on its port, Sam does not dial again.
  ASSERT_NO_FATAL_FAILURE(start_host(port));
  const std::size_t links_before = sam_.heard.links.size();
  EXPECT_FALSE(run_until([&] { return sam_.heard.links.size() > links_before; }, 500ms))
      << "Sam tried to reconnect to a session that is over";
}

TEST_P(HostAndJoinerOnLoopback, AWrongCodeIsTurnedAway) {
  ASSERT_NO_FATAL_FAILURE(start_host());
  std::string wrong = alex_.heard.code;
  wrong[0] = wrong[0] == '1' ? '2' : '1';
  join(robin_, "Robin", wrong);
  ASSERT_TRUE(run_until([&] { return robin_.heard.fatal.has_value(); })) << "the wrong code was not refused";
  EXPECT_EQ(robin_.heard.fatal->first, Fatal::Pairing);
  EXPECT_FALSE(robin_.heard.fatal->second.empty());
  // Robin holds nothing of the session, and the host's roster has no Robin.
  EXPECT_TRUE(robin_.heard.changes.empty());
  EXPECT_TRUE(robin_.heard.state.session_id().empty());
  EXPECT_EQ(find_participant(alex_.heard.state, robin_.id()), nullptr);
  // Robin stops there rather than spend the host's guesses.
  const std::size_t links_before = robin_.heard.links.size();
  EXPECT_FALSE(run_until([&] { return robin_.heard.links.size() > links_before; }, 300ms));
  // The right code still works afterwards.
  sam_joins();
}

INSTANTIATE_TEST_SUITE_P(Wires, HostAndJoinerOnLoopback, ::testing::Values(Wire::Loopback),
                         [](const auto&) { return std::string("Loopback"); });

// Addresses are only words on the loopback network: these need real ones.
class HostAndJoinerOnTcp : public HostAndJoiner {};

// An invite whose first address refuses (a LAN address seen across a VPN):
// the next is dialed, without an alarming line for the first; and once the
// host comes back after a drop, the address that answered is tried first.
TEST_P(HostAndJoinerOnTcp, TheAddressThatAnsweredIsTheOneTriedFirstAfterADrop) {
  ASSERT_NO_FATAL_FAILURE(start_host());
  const uint16_t port = host_->port();
  const DialAddress lan{"127.0.0.2", port}, vpn{"127.0.0.1", port};  // Nothing listens on 127.0.0.2.
  int looked_again = 0;  // "Start now" looks at the network again only when no address answered.
  first_dial_failed_ = [&] {
    ++looked_again;
    return DialFallback{};
  };
  join(sam_, "Sam", alex_.heard.code, nullptr, {lan, vpn});
  ASSERT_TRUE(run_until([&] { return in_session(sam_.id()); })) << "Sam never reached the second address";
  EXPECT_EQ(looked_again, 0);
  EXPECT_EQ(sam_.heard.reached, std::vector<std::string>{vpn.text()});
  ASSERT_EQ(sam_.heard.details.size(), 2u) << "a line for the address that failed while another was left";
  EXPECT_EQ(sam_.heard.details[0], "Reaching the host at " + lan.text() + " (or 1 other address)...");
  EXPECT_EQ(sam_.heard.details[1], "Connected to the host at " + vpn.text() + ".");

  const std::size_t before = sam_.heard.details.size();
  ASSERT_NO_FATAL_FAILURE(host_closes(v1::CLOSE_REASON_GOING_AWAY, /*coming_back=*/true));
  ASSERT_TRUE(run_until([&] { return sam_.heard.details.size() >= before + 3; })) << "Sam did not try again";
  EXPECT_EQ(sam_.heard.details[before + 1], "Reaching the host at " + vpn.text() + " (or 1 other address)...");
  // With nobody at either address, one line says both, the one that answered last first.
  EXPECT_EQ(sam_.heard.details[before + 2].rfind("the host did not answer at " + vpn.text() + " (", 0), 0u)
      << sam_.heard.details[before + 2];
  alex_.heard.code.clear();
  ASSERT_NO_FATAL_FAILURE(start_host(port));
  ASSERT_TRUE(run_until([&] { return in_session(sam_.id()); })) << "Sam did not come back";
  EXPECT_EQ(sam_.heard.reached.back(), vpn.text());
}

// first_dial_failed is asked once every address failed, and its answer is
// dialed (and is the address that answered).
TEST_P(HostAndJoinerOnTcp, TheFirstDialFailsOnlyOnceEveryAddressHas) {
  ASSERT_NO_FATAL_FAILURE(start_host());
  const uint16_t port = host_->port();
  int looked_again = 0;
  first_dial_failed_ = [&] {
    ++looked_again;
    return DialFallback{"127.0.0.1", port, {}};
  };
  join(sam_, "Sam", alex_.heard.code, nullptr, {{"127.0.0.2", port}, {"127.0.0.3", port}});
  ASSERT_TRUE(run_until([&] { return in_session(sam_.id()); })) << "the fallback was not dialed";
  EXPECT_EQ(looked_again, 1);
  EXPECT_EQ(sam_.heard.reached, std::vector<std::string>{"127.0.0.1:" + std::to_string(port)});
}

INSTANTIATE_TEST_SUITE_P(Wires, HostAndJoinerOnTcp, ::testing::Values(Wire::Tcp),
                         [](const auto&) { return std::string("Tcp"); });

}  // namespace
}  // namespace attune::net
