// The hidden --control file is a door too: hostile or clumsy lines get a
// refusal the ack can carry (valid UTF-8), never a crash, a hang, a lost
// line or a clock moved backwards.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "app/control_file.hpp"
#include "attune/text.hpp"
#include "launcher_support.hpp"
#include "wall_clock.hpp"

namespace attune::app {
namespace {

using test::TempDir;

void write(const std::filesystem::path& file, const std::string& text, bool append = true) {
  std::ofstream out(file, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  out << text;
}

// Everything the file has for now, over as many polls as it takes (bounded).
std::vector<ControlLine> read_all(ControlFile& file) {
  std::vector<ControlLine> all;
  for (int i = 0; i < 100; ++i) {  // A poll inside an overlong line brings nothing.
    auto more = file.read_new();
    all.insert(all.end(), more.begin(), more.end());
  }
  return all;
}

TEST(ControlFile, BinaryBytesAndOverlongLinesAreRefusedInWordsAndNothingAfterThemIsLost) {
  TempDir dir;
  const auto path = dir.path / "control";
  write(path, std::string("type \xff\xfe\x00ok\n", 11) + "click \x1b[2J\n" + "type " + std::string(70'000, 'x') +
                  "\n" + "click Begin\n");
  ControlFile file(path.string());
  const auto lines = read_all(file);
  ASSERT_EQ(lines.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(lines[i].problem.empty()) << "line " << i << " should be refused";
    EXPECT_TRUE(is_valid_utf8(lines[i].text)) << "the ack must be able to carry line " << i;
    EXPECT_LE(lines[i].text.size(), 100u);
  }
  EXPECT_EQ(lines[3].text, "click Begin");
  EXPECT_TRUE(lines[3].problem.empty());
}

TEST(ControlFile, ALineStillBeingWrittenWaitsAndManyLinesAllArriveInOrder) {
  TempDir dir;
  const auto path = dir.path / "control";
  write(path, "click Be");
  ControlFile file(path.string());
  EXPECT_TRUE(file.read_new().empty());
  write(path, "gin\r\n\n");
  const auto first = file.read_new();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].text, "click Begin");
  std::string many;
  for (int i = 0; i < 20'000; ++i) many += "key " + std::to_string(i) + "\n";
  write(path, many);
  const auto lines = read_all(file);
  ASSERT_EQ(lines.size(), 20'000u);
  EXPECT_EQ(lines.back().text, "key 19999");
}

TEST(ControlFile, AFileTruncatedReplacedOrRemovedIsReadAgainFromItsStart) {
  TempDir dir;
  const auto path = dir.path / "control";
  write(path, "click One\nclick Two\n");
  ControlFile file(path.string());
  EXPECT_EQ(read_all(file).size(), 2u);
  write(path, "key 1\n", false);  // Truncated and rewritten, shorter.
  auto lines = read_all(file);
  ASSERT_EQ(lines.size(), 1u) << "a truncated file was never read again";
  EXPECT_EQ(lines[0].text, "key 1");
  std::filesystem::remove(path);
  EXPECT_TRUE(file.read_new().empty());
  write(dir.path / "next", "click Three\nclick Four\nclick Five\n");
  std::filesystem::rename(dir.path / "next", path);  // Replaced by a new, longer file.
  lines = read_all(file);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].text, "click Three");
  std::filesystem::remove(path);
  std::filesystem::create_directory(path);  // Not a file at all.
  EXPECT_TRUE(file.read_new().empty());
}

struct ClockReset {
  ClockReset() { session_clock_shift_ms() = 0; }
  ~ClockReset() { session_clock_shift_ms() = 0; }
};

TEST(ControlClock, OnlyWholeSecondsForwardAreTakenAndTheTotalIsBounded) {
  ClockReset reset;
  for (const char* bad : {"", "+", "5", "-5", "+-5", "+ 5", "+5s", "+0x10", "+1e3", "+3601", "+86400", "+99999999999999999999",
                          "+9223372036854775807", "\xff"}) {
    EXPECT_FALSE(move_session_clock(bad)) << bad;
    EXPECT_EQ(session_clock_shift_ms().load(), 0) << "the clock moved for " << bad;
  }
  EXPECT_TRUE(move_session_clock("+125"));
  EXPECT_EQ(session_clock_shift_ms().load(), 125'000);
  int taken = 0;
  for (int i = 0; i < 100; ++i) taken += move_session_clock("+3600") ? 1 : 0;
  EXPECT_EQ(taken, 23) << "the clock runs on without bound";
  EXPECT_LE(session_clock_shift_ms().load(), kMaxClockShiftMs);
  EXPECT_GT(session_clock_shift_ms().load(), 0);
}

TEST(ControlShot, ANameWithAPathInItIsRefused) {
  for (const char* bad : {"", "../escape", "a/b", "/tmp/x", "..", ".hidden", "a\\b", "name\n"})
    EXPECT_FALSE(usable_shot_name(bad)) << bad;
  EXPECT_TRUE(usable_shot_name("journey-01_start.v2"));
}

}  // namespace
}  // namespace attune::app
