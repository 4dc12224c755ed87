#include "peer_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace attune::test {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "attune-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

PeerProcess::PeerProcess(std::string name, std::string binary, std::vector<std::string> args,
                         std::filesystem::path stderr_log)
    : name_(std::move(name)),
      binary_(std::move(binary)),
      args_(std::move(args)),
      stderr_log_(std::move(stderr_log)) {
  // A child that dies must not kill the test through SIGPIPE on its stdin.
  ::signal(SIGPIPE, SIG_IGN);
  spawn();
}

PeerProcess::~PeerProcess() { kill_hard(); }

void PeerProcess::spawn() {
  int in_pipe[2];
  int out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_log_.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  std::vector<char*> argv;
  argv.push_back(binary_.data());
  for (auto& a : args_) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int rc = posix_spawn(&pid_, binary_.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  if (rc != 0) {
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    pid_ = -1;
    throw std::runtime_error("could not start " + binary_);
  }
  stdin_fd_ = in_pipe[1];
  {
    std::lock_guard lock(mutex_);
    eof_ = false;
  }
  exit_code_.reset();
  reader_ = std::thread([this, fd = out_pipe[0]] { reader_loop(fd); });
}

void PeerProcess::reader_loop(int fd) {
  std::string partial;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    partial.append(buffer, static_cast<std::size_t>(n));
    std::vector<Json> parsed_lines;
    for (auto nl = partial.find('\n'); nl != std::string::npos; nl = partial.find('\n')) {
      const std::string line = partial.substr(0, nl);
      partial.erase(0, nl + 1);
      auto parsed = Json::parse(line, nullptr, false);
      if (parsed.is_discarded()) parsed = Json{{"event", "unparsable"}, {"text", line}};
      parsed_lines.push_back(std::move(parsed));
    }
    if (!parsed_lines.empty()) {
      std::lock_guard lock(mutex_);
      for (auto& line : parsed_lines) lines_.push_back(std::move(line));
      changed_.notify_all();
    }
  }
  ::close(fd);
  std::lock_guard lock(mutex_);
  eof_ = true;
  changed_.notify_all();
}

void PeerProcess::stop_reader() {
  if (reader_.joinable()) reader_.join();  // Ends at EOF once the child is gone.
}

void PeerProcess::send(const std::string& line) {
  if (stdin_fd_ < 0) return;
  const std::string text = line + "\n";
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(stdin_fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // The child is gone; the caller's wait will say so.
    done += static_cast<std::size_t>(n);
  }
}

void PeerProcess::close_stdin() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  stdin_fd_ = -1;
}

std::vector<Json> PeerProcess::lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

std::size_t PeerProcess::line_count() const {
  std::lock_guard lock(mutex_);
  return lines_.size();
}

std::optional<Json> PeerProcess::wait_for(const std::function<bool(const Json&)>& match,
                                          std::chrono::milliseconds timeout, std::size_t from) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  std::size_t checked = from;
  for (;;) {
    for (; checked < lines_.size(); ++checked) {
      if (match(lines_[checked])) return lines_[checked];
    }
    if (eof_) return std::nullopt;
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) {
      for (; checked < lines_.size(); ++checked) {
        if (match(lines_[checked])) return lines_[checked];
      }
      return std::nullopt;
    }
  }
}

std::optional<Json> PeerProcess::latest_state_locked() const {
  for (auto it = lines_.rbegin(); it != lines_.rend(); ++it) {
    if (it->value("event", "") == "state") return *it;
  }
  return std::nullopt;
}

std::optional<Json> PeerProcess::latest_state() const {
  std::lock_guard lock(mutex_);
  return latest_state_locked();
}

uint64_t PeerProcess::latest_seq() const {
  const auto state = latest_state();
  return state ? (*state)["seq"].get<uint64_t>() : 0;
}

std::optional<Json> PeerProcess::wait_state(const std::function<bool(const Json& state, uint64_t seq)>& match,
                                            std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  for (;;) {
    if (auto latest = latest_state_locked();
        latest && match((*latest)["state"], (*latest)["seq"].get<uint64_t>())) {
      return latest;
    }
    if (eof_) return std::nullopt;
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) {
      auto latest = latest_state_locked();
      if (latest && match((*latest)["state"], (*latest)["seq"].get<uint64_t>())) return latest;
      return std::nullopt;
    }
  }
}

void PeerProcess::signal(int sig) {
  if (pid_ > 0) ::kill(pid_, sig);
}

void PeerProcess::kill_hard() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  close_stdin();
  stop_reader();
}

std::optional<int> PeerProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (exit_code_) return exit_code_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (pid_ > 0) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      pid_ = -1;
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      close_stdin();
      stop_reader();
      return exit_code_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, 20ms);
  }
  return exit_code_;
}

void PeerProcess::restart() {
  kill_hard();
  {
    std::lock_guard lock(mutex_);
    lines_.push_back(Json{{"event", "test_restart"}});
  }
  spawn();
}

std::string PeerProcess::stderr_text() const {
  std::ifstream in(stderr_log_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string PeerProcess::tail(std::size_t n) const {
  std::lock_guard lock(mutex_);
  std::string out = name_ + " printed:\n";
  const std::size_t start = lines_.size() > n ? lines_.size() - n : 0;
  for (std::size_t i = start; i < lines_.size(); ++i) {
    auto text = lines_[i].dump();
    if (text.size() > 400) text = text.substr(0, 400) + "...";
    out += "  " + text + "\n";
  }
  out += name_ + " stderr:\n" + stderr_text();
  return out;
}

int run_to_exit(const std::string& binary, const std::vector<std::string>& args, const TempDir& dir,
                std::string* err) {
  PeerProcess p("attune", binary, args, dir.path() / "stderr");
  p.close_stdin();
  const auto code = p.wait_exit(20s);
  if (err) *err = p.stderr_text();
  if (!code) p.kill_hard();
  return code ? *code : -1;
}

int connect_loopback(uint16_t port, std::chrono::seconds receive_timeout, bool* connected) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{static_cast<time_t>(receive_timeout.count()), 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  *connected = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  return fd;
}

}  // namespace attune::test
