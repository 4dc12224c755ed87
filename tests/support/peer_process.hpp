// Runs the real `attune --headless` binary as a child process for
// integration tests: writes command lines to its stdin and collects the JSON
// lines it prints (a reader thread drains stdout so the child never blocks
// on a full pipe); every wait has a deadline. stderr goes to a log file so a
// failing test can show it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace attune::test {

using Json = nlohmann::json;
using namespace std::chrono_literals;

// A fresh folder under the system temp dir, removed when this goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class PeerProcess {
 public:
  // Starts `binary args...`. Lines read so far survive restart().
  PeerProcess(std::string name, std::string binary, std::vector<std::string> args,
              std::filesystem::path stderr_log);
  ~PeerProcess();
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  const std::string& name() const { return name_; }
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  void send(const std::string& line);
  void close_stdin();

  // Reads until `match` accepts a line received at or after index `from`;
  // returns it, or nullopt once `timeout` passed (or the process ended).
  std::optional<Json> wait_for(const std::function<bool(const Json&)>& match,
                               std::chrono::milliseconds timeout, std::size_t from = 0);
  // Reads until the latest "state" event satisfies `match`.
  std::optional<Json> wait_state(const std::function<bool(const Json& state, uint64_t seq)>& match,
                                 std::chrono::milliseconds timeout);
  // A copy of every line received so far.
  std::vector<Json> lines() const;
  std::size_t line_count() const;
  std::optional<Json> latest_state() const;  // The last "state" event.
  uint64_t latest_seq() const;

  // Sends a signal (e.g. SIGSTOP/SIGCONT to make a peer go silent).
  void signal(int sig);
  // SIGKILL and reap. Safe to call when already stopped.
  void kill_hard();
  // Waits for the process to exit by itself; its exit code, or nullopt on timeout.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  // Starts the same command again (after kill_hard or exit).
  void restart();
  // Changes the arguments used by the next restart().
  void set_args(std::vector<std::string> args) { args_ = std::move(args); }

  std::string stderr_text() const;
  // The last lines of output, for failure messages.
  std::string tail(std::size_t n = 12) const;

 private:
  void spawn();
  void reader_loop(int fd);
  void stop_reader();
  std::optional<Json> latest_state_locked() const;

  std::string name_;
  std::string binary_;
  std::vector<std::string> args_;
  std::filesystem::path stderr_log_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool eof_ = false;         // Guarded by mutex_.
  std::vector<Json> lines_;  // Guarded by mutex_.
  std::optional<int> exit_code_;
};

// Runs `binary args...` with stdin closed until it exits by itself (at most
// 20 s, then it is killed); its exit code, or -1. Fills *err with its stderr.
int run_to_exit(const std::string& binary, const std::vector<std::string>& args, const TempDir& dir,
                std::string* err = nullptr);

// A TCP socket connected to 127.0.0.1:port whose reads give up after
// `receive_timeout`; *connected says whether connect() succeeded. The caller
// closes the returned descriptor.
int connect_loopback(uint16_t port, std::chrono::seconds receive_timeout, bool* connected);

}  // namespace attune::test
