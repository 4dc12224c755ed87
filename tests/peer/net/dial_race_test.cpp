// net::DialRace over TCP on loopback, the io run by hand: how the joiner
// reaches a host that may be at several addresses. A person would notice:
// an address that refuses costs nothing, one that never answers holds up
// the next only for the short stagger, and when none answers one line
// says where it looked, in order.
#include "net/dial_race.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>

namespace attune::net {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using asio::ip::tcp;

// A listening port on `address` whose queue is full: a connect there is
// never answered (the kernel drops the SYNs), as with a black-holed VPN address.
struct BlackHole {
  explicit BlackHole(asio::io_context& io, const std::string& address, uint16_t at = 0) : acceptor(io) {
    const tcp::endpoint here(asio::ip::make_address(address), at);
    acceptor.open(here.protocol());
    acceptor.bind(here);
    acceptor.listen(1);
    // A queue of one holds two: with both taken, new SYNs are dropped.
    for (int i = 0; i < 2; ++i) {
      fillers.emplace_back(io);
      fillers.back().connect({here.address(), port()});
    }
  }
  uint16_t port() const { return acceptor.local_endpoint().port(); }
  tcp::acceptor acceptor;
  std::vector<tcp::socket> fillers;
};

// A port on 127.0.0.1 that takes connections (they are accepted by the kernel).
struct Listening {
  explicit Listening(asio::io_context& io) : acceptor(io, {asio::ip::make_address("127.0.0.1"), 0}) {}
  uint16_t port() const { return acceptor.local_endpoint().port(); }
  tcp::acceptor acceptor;
};

class DialRaceTest : public ::testing::Test {
 protected:
  // Starts a race and runs the io until it is done (at most `limit`).
  std::optional<DialRace::Result> race(std::vector<DialAddress> addresses, DialRace::Timing timing,
                                       std::chrono::milliseconds limit = 10s) {
    std::optional<DialRace::Result> result;
    int calls = 0;
    started_ = Clock::now();
    auto dialing = DialRace::start(io_, tcp_transport(), std::move(addresses), timing, [&](DialRace::Result r) {
      ++calls;
      result = std::move(r);
    });
    const auto deadline = Clock::now() + limit;
    while (!result && Clock::now() < deadline) {
      io_.restart();
      io_.run_for(5ms);
    }
    took_ = Clock::now() - started_;
    io_.restart();
    io_.run_for(20ms);  // Whatever was cancelled finishes; nothing is called twice.
    EXPECT_LE(calls, 1) << "done was called more than once";
    return result;
  }

  asio::io_context io_;
  Clock::time_point started_;
  Clock::duration took_{};
};

TEST_F(DialRaceTest, AnAddressThatRefusesIsPassedOverForTheNextAtOnce) {
  Listening host(io_);
  const DialAddress refusing{"127.0.0.2", host.port()};  // Nothing listens on 127.0.0.2.
  const DialAddress real{"127.0.0.1", host.port()};
  // A long stagger: only the refusal can start the second address this soon.
  const auto result = race({refusing, real}, {5s, 10s});
  ASSERT_TRUE(result) << "the race never ended";
  ASSERT_TRUE(result->stream) << "the second address was not reached";
  EXPECT_EQ(result->reached, 1u);
  ASSERT_EQ(result->failures.size(), 1u);
  EXPECT_EQ(result->failures[0].address, refusing);
  EXPECT_FALSE(result->failures[0].why.empty());
  EXPECT_LT(took_, 3s) << "the refusal did not start the next address at once";
}

TEST_F(DialRaceTest, AnAddressThatNeverAnswersHoldsUpTheNextOnlyForTheStagger) {
  Listening host(io_);
  BlackHole hole(io_, "127.0.0.2", host.port());
  const auto result = race({{"127.0.0.2", host.port()}, {"127.0.0.1", host.port()}}, {250ms, 10s});
  ASSERT_TRUE(result) << "the race never ended";
  ASSERT_TRUE(result->stream);
  EXPECT_EQ(result->reached, 1u);
  EXPECT_TRUE(result->failures.empty()) << "the silent address was cancelled, not failed";
  EXPECT_GE(took_, 200ms) << "the second address did not wait for the first's stagger";
  EXPECT_LT(took_, 5s) << "the second address waited for the first's whole timeout";
}

TEST_F(DialRaceTest, TheFirstAddressThatAnswersWinsEvenWhenBothWould) {
  Listening host(io_);
  const auto result = race({{"127.0.0.1", host.port()}, {"127.0.0.1", host.port()}}, {250ms, 10s});
  ASSERT_TRUE(result && result->stream);
  EXPECT_EQ(result->reached, 0u);
  EXPECT_LT(took_, 200ms) << "the second address was waited for";
}

TEST_F(DialRaceTest, WhenNoAddressAnswersOneLineSaysEachInTheOrderTheyFailed) {
  Listening host(io_);
  BlackHole hole(io_, "127.0.0.3", host.port());
  const DialAddress refusing{"127.0.0.2", host.port()}, silent{"127.0.0.3", host.port()},
      also_refusing{"127.0.0.4", host.port()};
  const auto result = race({refusing, silent, also_refusing}, {100ms, 600ms});
  ASSERT_TRUE(result) << "the race never ended";
  EXPECT_FALSE(result->stream);
  ASSERT_EQ(result->failures.size(), 3u);
  EXPECT_EQ(result->failures[0].address, refusing);
  EXPECT_EQ(result->failures[1].address, also_refusing);
  EXPECT_EQ(result->failures[2].address, silent);
  EXPECT_EQ(result->failures[2].why, "nothing answered in time");
  EXPECT_GE(took_, 500ms) << "the silent address was not given its time";
  const std::string words = dial_failure_words(result->failures);
  EXPECT_EQ(words.rfind("the host did not answer at " + refusing.text() + " (", 0), 0u) << words;
  EXPECT_NE(words.find(" or " + silent.text() + " (nothing answered in time)"), std::string::npos) << words;
}

TEST_F(DialRaceTest, OneAddressIsSaidAsBefore) {
  const DialRace::Failure refused{{"127.0.0.2", 47000}, "Connection refused", false};
  EXPECT_EQ(dial_failure_words({refused}), "the host did not answer: Connection refused");
  const DialRace::Failure unknown{{"laptop.lan", 47000}, "Host not found", true};
  EXPECT_EQ(dial_failure_words({unknown}), "could not find laptop.lan: Host not found");
  EXPECT_EQ((DialAddress{"fd00::5", 47000}.text()), "[fd00::5]:47000");
}

TEST_F(DialRaceTest, ACancelledRaceNeverAnswers) {
  BlackHole hole(io_, "127.0.0.2");
  bool called = false;
  auto dialing = DialRace::start(io_, tcp_transport(), {{"127.0.0.2", hole.port()}}, {250ms, 300ms},
                                 [&](DialRace::Result) { called = true; });
  dialing->cancel();
  const auto until = Clock::now() + 600ms;
  while (Clock::now() < until) {
    io_.restart();
    io_.run_for(5ms);
  }
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace attune::net
