// Issue 15, item 9: a partner's rating is sealed to the coach's device key,
// so the *other* partner's process never holds it, even while it hosts.
// Three real headless processes: A hosts, B opts in and checks in, the coach
// sees B's numbers. Then the test reads the writable memory of each process
// (/proc/<pid>/maps and /proc/<pid>/mem) and looks for B's ratings there.
//
// A rating alone (0..10) is one byte, so the search looks for it the way a
// process would hold it: next to the partner's own check-in time (at_ms, a
// millisecond timestamp no other process chose) and the step, in each
// layout this program uses (PrivateCheckIn in a NodeView, a parsed
// v1::CoachLevel, its protobuf encoding). The same search must find B's
// ratings in the coach's memory, so "not found in A" means something.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "attune/v1/wire.pb.h"
#include "peer_cluster.hpp"

namespace attune::test {
namespace {

struct Rating {
  std::uint32_t level = 0;
  std::int64_t at_ms = 0;
  std::int32_t step = 0;
};

template <typename T>
std::string bytes_of(T value) {
  std::string out(sizeof value, '\0');
  std::memcpy(out.data(), &value, sizeof value);
  return out;
}

// Every way this program lays a rating out in memory.
bool holds(const std::string& memory, const Rating& r) {
  const std::string at = bytes_of(r.at_ms);
  const auto int_at = [&](std::size_t pos, std::int32_t want) {
    return pos + 4 <= memory.size() && std::memcmp(memory.data() + pos, &want, 4) == 0;
  };
  for (auto pos = memory.find(at); pos != std::string::npos; pos = memory.find(at, pos + 1)) {
    // PrivateCheckIn{int level; int64 at_ms; Step step}: level 8 bytes before.
    if (pos >= 8 && int_at(pos - 8, static_cast<std::int32_t>(r.level)) && int_at(pos + 8, r.step)) return true;
    // A parsed v1::CoachLevel: at_ms_, then level_, then step_.
    if (int_at(pos + 8, static_cast<std::int32_t>(r.level)) && int_at(pos + 12, r.step)) return true;
  }
  v1::CoachLevel encoded;
  encoded.set_level(r.level);
  encoded.set_at_ms(r.at_ms);
  encoded.set_step(static_cast<v1::Step>(r.step));
  return memory.find(encoded.SerializeAsString()) != std::string::npos;
}

// The process's writable mappings, as one string per mapping.
std::vector<std::string> writable_memory(pid_t pid) {
  std::vector<std::string> out;
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  const int mem = ::open(("/proc/" + std::to_string(pid) + "/mem").c_str(), O_RDONLY);
  EXPECT_GE(mem, 0) << "cannot read process memory: " << std::strerror(errno);
  if (mem < 0) return out;
  std::string line;
  while (std::getline(maps, line)) {
    std::istringstream fields(line);
    std::string range, perms;
    fields >> range >> perms;
    if (perms.size() < 2 || perms[1] != 'w' || line.find("[vvar]") != std::string::npos) continue;
    const auto dash = range.find('-');
    const auto begin = std::stoull(range.substr(0, dash), nullptr, 16);
    const auto end = std::stoull(range.substr(dash + 1), nullptr, 16);
    if (end - begin > (512ull << 20)) continue;  // Reserved address space, never touched.
    std::string chunk(end - begin, '\0');
    const auto got = ::pread(mem, chunk.data(), chunk.size(), static_cast<off_t>(begin));
    if (got <= 0) continue;
    chunk.resize(static_cast<std::size_t>(got));
    out.push_back(std::move(chunk));
  }
  ::close(mem);
  return out;
}

// ATTUNE_TEST_BINARY runs the same test against another build (the code
// before the fix, or the installed package).
std::string attune_binary() {
  const char* other = std::getenv("ATTUNE_TEST_BINARY");
  return other && *other ? other : ATTUNE_BINARY;
}

int ratings_held(pid_t pid, const std::vector<Rating>& ratings) {
  int found = 0;
  const auto memory = writable_memory(pid);
  for (const auto& r : ratings) {
    for (const auto& chunk : memory) {
      if (holds(chunk, r)) {
        ++found;
        break;
      }
    }
  }
  return found;
}

TEST(CoachSealMemory, TheHostingPartnerNeverHoldsTheOtherPartnersNumber) {
  PeerCluster cluster(attune_binary());
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  for (const auto& [who, command] : std::vector<std::pair<Who, std::string>>{
           {Who::A, "admit partner-b"}, {Who::A, "admit coach"}, {Who::B, "admit coach"},
           {Who::B, "settings threshold=6"}, {Who::B, "share-with-coach on"}, {Who::A, "ready"},
           {Who::B, "ready"}, {Who::A, "confirm"}, {Who::B, "confirm"}}) {
    cluster.act(who, command);
    ASSERT_FALSE(::testing::Test::HasFailure()) << command;
  }
  cluster.match_coach(Who::B);  // B compared the coach's check number with the coach's screen.
  // Memory is read while the numbers are fresh, and again after the
  // session moved on: either read must come up empty in A.
  std::vector<Rating> ratings;
  int seen_in_a = 0;
  const std::vector<std::pair<int, int>> check_ins = {{0, 6}, {1, 5}};
  for (std::size_t i = 0; i < check_ins.size(); ++i) {
    const auto coach_from = cluster.peer(Who::Coach).line_count();
    cluster.act(Who::A, "checkin " + std::to_string(check_ins[i].first));
    cluster.act(Who::B, "checkin " + std::to_string(check_ins[i].second));
    const auto level = cluster.peer(Who::Coach).wait_for(
        [](const Json& j) { return j.value("event", "") == "coach_level" && j["partner"] == "ROLE_PARTNER_B"; },
        PeerCluster::kWait, coach_from);
    ASSERT_TRUE(level) << "the coach never saw B's rating\n" << cluster.peer(Who::Coach).tail();
    v1::Step step{};
    ASSERT_TRUE(v1::Step_Parse((*level)["step"].get<std::string>(), &step));
    ratings.push_back({(*level)["level"].get<std::uint32_t>(), (*level)["at_ms"].get<std::int64_t>(), step});
    EXPECT_EQ(ratings.back().level, static_cast<std::uint32_t>(check_ins[i].second));
    seen_in_a += ratings_held(cluster.peer(Who::A).pid(), {ratings.back()});
    if (i + 1 < check_ins.size()) {
      cluster.act(Who::A, "confirm");
      cluster.act(Who::B, "confirm");
    }
  }
  seen_in_a += ratings_held(cluster.peer(Who::A).pid(), ratings);
  EXPECT_EQ(seen_in_a, 0) << "partner A's process held partner B's rating in clear while hosting";
  // The same search finds them where they belong: on the coach's device.
  EXPECT_EQ(ratings_held(cluster.peer(Who::Coach).pid(), ratings), static_cast<int>(ratings.size()))
      << "the search could not find B's ratings on the coach either, so it proves nothing";
}

}  // namespace
}  // namespace attune::test
