// postbox-port and last_host_port: whatever is found in their place, the
// reader gives no port rather than a garbage one, and the writer never
// follows a link someone planted.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <vector>

#include "identity/port_file.hpp"

namespace attune::identity {
namespace {

namespace fs = std::filesystem;

struct PortDir {
  fs::path path = fs::temp_directory_path() / ("attune-port-file-" + std::to_string(::getpid()) + "-" +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  PortDir() { fs::create_directories(path); }
  ~PortDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void put(const fs::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

std::string contents(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(PortFile, OnlyAPlainPortIsTakenAndEverythingElseIsNoPort) {
  PortDir dir;
  const fs::path file = dir.path / "last_host_port";
  EXPECT_EQ(read_port_file(file), std::nullopt) << "no file yet";
  put(file, "48123\n");
  EXPECT_EQ(read_port_file(file), 48123);
  put(file, "48124");
  EXPECT_EQ(read_port_file(file), 48124);
  const std::vector<std::string> garbage{"", "\n", "abc", "8080junk", "0", "-1", "-48123", "65536",
                                         "99999999999", " 80", "80 80", "80\n\n", "+80", std::string("80\0", 3),
                                         "\xff\xfe"};
  for (const std::string& bad : garbage) {
    put(file, bad);
    EXPECT_EQ(read_port_file(file), std::nullopt) << "took a port from \"" << bad << "\"";
  }
  put(file, std::string(2 << 20, '7'));
  EXPECT_EQ(read_port_file(file), std::nullopt) << "a huge file";
}

TEST(PortFile, ALinkAFolderOrAnotherUsersFileInItsPlaceIsNoPort) {
  PortDir dir;
  const fs::path file = dir.path / "postbox-port";
  put(dir.path / "elsewhere", "4444\n");
  fs::create_symlink(dir.path / "elsewhere", file);
  EXPECT_EQ(read_port_file(file), std::nullopt) << "followed a link";
  fs::remove(file);
  fs::create_directory(file);
  EXPECT_EQ(read_port_file(file), std::nullopt) << "a folder";
  fs::remove(file);
  put(file, "4444\n");
  if (::geteuid() == 0) {  // Only root can hand a file to someone else.
    ASSERT_EQ(::chown(file.c_str(), 65534, 65534), 0);
    EXPECT_EQ(read_port_file(file), std::nullopt) << "trusted another user's file";
  }
}

TEST(PortFile, WritingReplacesAPlantedLinkAndNeverFollowsIt) {
  PortDir dir;
  const fs::path file = dir.path / "last_host_port";
  const fs::path victim = dir.path / "victim";
  put(victim, "precious\n");
  fs::create_symlink(victim, file);
  EXPECT_EQ(write_port_file(file, 40001), std::nullopt);
  EXPECT_EQ(contents(victim), "precious\n") << "the write went through the link";
  EXPECT_FALSE(fs::is_symlink(file));
  EXPECT_EQ(read_port_file(file), 40001);
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(fs::exists(dir.path / "last_host_port.tmp")) << "a half-written file was left behind";
  // A link planted where the temp file goes: refused, nothing written through it.
  fs::create_symlink(victim, dir.path / "last_host_port.tmp");
  EXPECT_NE(write_port_file(file, 40002), std::nullopt);
  EXPECT_EQ(contents(victim), "precious\n");
  EXPECT_EQ(read_port_file(file), 40001) << "the port kept before is lost";
}

}  // namespace
}  // namespace attune::identity
