// Two real processes, paired once with a code: both keep the agreed time,
// both print the reminder at an injected clock time (once, not again after a
// restart), and `reminder start` brings them into one session with no code.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "peer_process.hpp"

namespace attune::test {
namespace {

constexpr auto kWait = 20s;
constexpr int64_t kHour = 60LL * 60 * 1000;

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

bool is(const Json& j, const char* event) { return j.value("event", "") == event; }

std::size_t count(const PeerProcess& p, const char* event) {
  std::size_t n = 0;
  for (const auto& line : p.lines()) n += is(line, event);
  return n;
}

struct Paired {
  std::string alex_id, sam_id;
};

// Alex hosts, Sam joins with the code: the one pairing. Both then stop.
Paired pair_once(const TempDir& dir, const std::string& alex, const std::string& sam) {
  PeerProcess host("alex", ATTUNE_BINARY,
                   {"--headless", "--data-dir", alex, "host", "--name", "Alex", "--bind", "127.0.0.1", "--no-announce"},
                   dir.path() / "pair-alex.log");
  const auto started = host.wait_for([](const Json& j) { return is(j, "started"); }, kWait);
  const auto listening = host.wait_for([](const Json& j) { return is(j, "listening"); }, kWait);
  const auto code = host.wait_for([](const Json& j) { return is(j, "pairing_code"); }, kWait);
  if (!started || !listening || !code) return {};
  PeerProcess join("sam", ATTUNE_BINARY,
                   {"--headless", "--data-dir", sam, "join",
                    "127.0.0.1:" + std::to_string((*listening)["port"].get<int>()), "--name", "Sam", "--code",
                    (*code)["code"].get<std::string>()},
                   dir.path() / "pair-sam.log");
  const auto sam_started = join.wait_for([](const Json& j) { return is(j, "started"); }, kWait);
  const bool both = host.wait_state([](const Json& s, uint64_t) { return s["participants"].size() == 2; }, kWait)
                        .has_value();
  join.send("quit");
  host.send("quit");
  join.wait_exit(kWait);
  host.wait_exit(kWait);
  if (!both || !sam_started) return {};
  return {(*started)["device_id"].get<std::string>(), (*sam_started)["device_id"].get<std::string>()};
}

void add_reminder(const TempDir& dir, const std::string& data, const std::string& partner, const char* name,
                  int64_t at) {
  PeerProcess add("add", ATTUNE_BINARY,
                  {"--headless", "--data-dir", data, "reminder", "add", "--id", "after-dinner", "--partner", partner,
                   "--partner-name", name, "--at-utc-ms", std::to_string(at)},
                  dir.path() / "add.log");
  ASSERT_EQ(add.wait_exit(kWait), 0) << add.tail();
  ASSERT_EQ(count(add, "reminder_added"), 1u) << add.tail();
  ASSERT_EQ(count(add, "reminder_due"), 0u) << "an hour early";
}

TEST(ReminderProcess, BothGetTheReminderAtTheInjectedTimeAndStartWithNoCode) {
  TempDir dir;
  const std::string alex = (dir.path() / "alex").string();
  const std::string sam = (dir.path() / "sam").string();
  const Paired ids = pair_once(dir, alex, sam);
  ASSERT_FALSE(ids.alex_id.empty()) << "pairing once with the code";
  const int64_t agreed = now_ms() + kHour;
  add_reminder(dir, alex, ids.sam_id, "Sam", agreed);
  add_reminder(dir, sam, ids.alex_id, "Alex", agreed);

  // The clock moves an hour on, for both devices (the hidden --clock-offset-ms).
  const std::string later = std::to_string(kHour + 1000);
  const std::vector<std::string> alex_args{"--headless", "--data-dir", alex,   "reminder",  "start",     "after-dinner",
                                           "--name",     "Alex",       "--bind", "127.0.0.1", "--clock-offset-ms", later};
  PeerProcess host("alex", ATTUNE_BINARY, alex_args, dir.path() / "alex.log");
  const auto role = host.wait_for([](const Json& j) { return is(j, "reminder_start"); }, kWait);
  ASSERT_TRUE(role) << host.tail();
  EXPECT_EQ(role->value("role", ""), "host") << "Alex hosted when they paired";
  const auto listening = host.wait_for([](const Json& j) { return is(j, "listening"); }, kWait);
  ASSERT_TRUE(listening) << host.tail();
  const auto due = host.wait_for([](const Json& j) { return is(j, "reminder_due"); }, kWait);
  ASSERT_TRUE(due) << host.tail();
  EXPECT_EQ(due->value("summary", ""), "Time to come back to each other");
  EXPECT_NE(due->value("message", "").find("Sam"), std::string::npos);

  // No --code: the pinned keys are enough.
  PeerProcess join("sam", ATTUNE_BINARY,
                   {"--headless", "--data-dir", sam, "reminder", "start", "after-dinner", "--name", "Sam",
                    "--address", "127.0.0.1:" + std::to_string((*listening)["port"].get<int>()), "--clock-offset-ms", later},
                   dir.path() / "sam.log");
  const auto sam_role = join.wait_for([](const Json& j) { return is(j, "reminder_start"); }, kWait);
  ASSERT_TRUE(sam_role) << join.tail();
  EXPECT_EQ(sam_role->value("role", ""), "join");
  ASSERT_TRUE(join.wait_for([](const Json& j) { return is(j, "reminder_due"); }, kWait)) << join.tail();
  // Both in, Sam let in with no "admit" on Alex's side.
  const auto together = join.wait_state(
      [](const Json& s, uint64_t) {
        const auto& people = s["participants"];
        return people.size() == 2 &&
               std::all_of(people.begin(), people.end(), [](const Json& p) { return p.value("admitted", false); });
      },
      kWait);
  ASSERT_TRUE(together) << join.tail() << host.tail();
  EXPECT_EQ(count(join, "fatal"), 0u) << join.tail();

  join.send("quit");
  host.send("quit");
  EXPECT_EQ(join.wait_exit(kWait), 0);
  EXPECT_EQ(host.wait_exit(kWait), 0);
  // A restart brings no second reminder.
  const std::size_t before = host.line_count();
  host.restart();
  ASSERT_TRUE(host.wait_for([](const Json& j) { return is(j, "listening"); }, kWait, before)) << host.tail();
  host.send("quit");
  EXPECT_EQ(host.wait_exit(kWait), 0);
  EXPECT_EQ(count(host, "reminder_due"), 1u) << "shown once, across a restart";
  EXPECT_EQ(count(join, "reminder_due"), 1u);
}

TEST(ReminderProcess, StartNeedsAPairedPartnerAndSaysSo) {
  TempDir dir;
  const std::string data = (dir.path() / "d").string();
  add_reminder(dir, data, "dev-never-paired", "Sam", now_ms() + kHour);
  std::string err;
  EXPECT_EQ(run_to_exit(ATTUNE_BINARY, {"--headless", "--data-dir", data, "reminder", "start", "after-dinner", "--name", "Alex"},
                        dir, &err),
            6);
  EXPECT_NE(err.find("needs a code"), std::string::npos) << err;
}

}  // namespace
}  // namespace attune::test
