// The real binary: `attune --headless journal` and a headless host that
// brings the journal's one follow-up when it starts, once.
#include <gtest/gtest.h>

#include <chrono>

#include "peer_process.hpp"

namespace attune::test {
namespace {

constexpr auto kWait = 20s;

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::size_t count(const PeerProcess& p, const std::string& event) {
  std::size_t n = 0;
  for (const auto& line : p.lines()) n += line.value("event", "") == event;
  return n;
}

TEST(JournalProcess, AHeadlessPeerBringsTheFollowUpOnceWhenItStarts) {
  TempDir dir;
  const std::string data = (dir.path() / "d").string();
  {
    // Noted as if five days ago: the clock is injected for this command only.
    PeerProcess add("add", ATTUNE_BINARY,
                    {"--headless", "--data-dir", data, "journal", "add", "--what", "the cold goodbye", "--now-ms",
                     std::to_string(now_ms() - 5LL * 24 * 60 * 60 * 1000)},
                    dir.path() / "add.log");
    ASSERT_EQ(add.wait_exit(kWait), 0);
    ASSERT_EQ(count(add, "journal_noted"), 1u);
    ASSERT_EQ(count(add, "journal_follow_up"), 0u) << "not due at the moment it was noted";
  }
  const std::vector<std::string> host_args{"--headless", "--data-dir", data,        "host",   "--name",
                                           "Alex",       "--bind",     "127.0.0.1", "--port", "0"};
  PeerProcess host("host", ATTUNE_BINARY, host_args, dir.path() / "host.log");
  const auto follow_up =
      host.wait_for([](const Json& j) { return j.value("event", "") == "journal_follow_up"; }, kWait);
  ASSERT_TRUE(follow_up) << host.tail();
  EXPECT_NE(follow_up->value("message", "").find("5 days"), std::string::npos) << follow_up->dump();
  ASSERT_TRUE(host.wait_for([](const Json& j) { return j.value("event", "") == "listening"; }, kWait));
  host.send("quit");
  ASSERT_EQ(host.wait_exit(kWait), 0);

  const std::size_t before = host.line_count();
  host.restart();
  ASSERT_TRUE(host.wait_for([](const Json& j) { return j.value("event", "") == "listening"; }, kWait, before));
  EXPECT_EQ(count(host, "journal_follow_up"), 1u) << "never repeated, across a restart";
  host.send("quit");
  EXPECT_EQ(host.wait_exit(kWait), 0);
}

}  // namespace
}  // namespace attune::test
