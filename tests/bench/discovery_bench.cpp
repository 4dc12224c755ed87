// Discovery benchmark, in network namespaces (needs root):
//   1. host start -> listed: a browser runs; a host process starts; time until
//      the browser lists it (the start burst path).
//   2. join list opened -> listed: a host runs; a browser starts; time until
//      it lists the host (the query-answer path; the target is 300 ms).
// 20 runs each, p50 and p95. Baseline in the same run: starting a process in
// a namespace until its first output line (what no discovery can beat).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "wall_clock.hpp"

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// A child process whose stdout we read line by line with deadlines.
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv) {
    int fds[2];
    if (pipe(fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], 1);
      const int null = open("/dev/null", O_WRONLY);
      dup2(null, 2);
      close(fds[0]);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execvp(args[0], args.data());
      _exit(127);
    }
    close(fds[1]);
    fd_ = fds[0];
  }
  ~Child() {
    stop(SIGKILL);
    if (fd_ >= 0) close(fd_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Next JSON line matching `pred`, or nullopt at the deadline / end.
  template <typename Pred>
  std::optional<json> wait_for(Pred pred, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      for (auto nl = buf_.find('\n'); nl != std::string::npos; nl = buf_.find('\n')) {
        const std::string line = buf_.substr(0, nl);
        buf_.erase(0, nl + 1);
        const json j = json::parse(line, nullptr, false);
        if (!j.is_discarded() && pred(j)) return j;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char tmp[4096];
      const ssize_t n = read(fd_, tmp, sizeof tmp);
      if (n <= 0) return std::nullopt;
      buf_.append(tmp, static_cast<size_t>(n));
    }
  }
  void stop(int sig) {
    if (pid_ <= 0) return;
    kill(pid_, sig);
    for (int i = 0; i < 100; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      usleep(10000);
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string buf_;
};

struct Namespaces {
  std::string tag;
  bool up = false;
  ~Namespaces() {
    if (!up) return;
    for (const char* s : {"-a", "-c", "-br"}) {
      // Best effort: a namespace already gone is fine.
      [[maybe_unused]] const int status = std::system(("ip netns del " + tag + s + " 2>/dev/null").c_str());
    }
  }
};

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const auto i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

void report(const char* what, const std::vector<double>& v, double baseline_p50) {
  if (v.empty()) {
    std::printf("%-34s no samples\n", what);
    return;
  }
  const double p50 = percentile(v, 0.5);
  std::printf("%-34s n=%2zu  p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms  (%.1fx baseline p50)\n", what,
              v.size(), p50, percentile(v, 0.95), *std::max_element(v.begin(), v.end()),
              baseline_p50 > 0 ? p50 / baseline_p50 : 0.0);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Discovery benchmark in network namespaces"};
  std::string cli = ATTUNE_DISCOVERY_CLI;
  std::string lib = NETNS_LIB;
  int runs = 20;
  app.add_option("--cli", cli, "attune-discovery binary")->capture_default_str();
  app.add_option("--runs", runs, "Runs per measurement")->check(CLI::Range(1, 200))->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  if (geteuid() != 0) {
    std::printf("discovery_bench: skipped, creating network namespaces needs root.\n");
    return 77;
  }
  Namespaces ns;
  ns.tag = "atbench" + std::to_string(getpid());
  const std::string setup = "bash -c 'set -e; NETNS_TAG=" + ns.tag + "; source " + lib + "; netns_up a c'";
  ns.up = true;
  if (std::system(setup.c_str()) != 0) {
    std::printf("discovery_bench: could not set up namespaces.\n");
    return 1;
  }
  auto in_ns = [&](const char* peer, std::vector<std::string> args) {
    std::vector<std::string> argv = {"ip", "netns", "exec", ns.tag + "-" + peer, cli, "--json"};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  };
  auto is = [](const char* event) {
    return [event](const json& j) { return j.value("event", "") == event; };
  };

  std::vector<double> baseline, host_start, list_open;
  int missed = 0;

  // 1. Host start -> listed, with a browser already running.
  {
    Child browser(in_ns("c", {"browse", "--no-recent", "--duration", "0", "--diagnose-after-ms", "0"}));
    if (!browser.wait_for(is("started"), std::chrono::seconds(5))) {
      std::printf("discovery_bench: browser did not start\n");
      return 1;
    }
    for (int i = 0; i < runs; ++i) {
      const int64_t t0 = attune::wall_ms();
      Child host(in_ns("a", {"announce", "--name", "Bench", "--host-name", "bench-host", "--port", "47000"}));
      const auto started = host.wait_for(is("started"), std::chrono::seconds(5));
      const auto announcing = host.wait_for(is("announcing"), std::chrono::seconds(5));
      if (!started || !announcing) {
        ++missed;
        continue;
      }
      baseline.push_back(static_cast<double>(started->at("t_ms").get<int64_t>() - t0));
      const std::string id = announcing->at("instance_id");
      const auto listed = browser.wait_for(
          [&](const json& j) {
            return j.value("event", "") == "host_added" && j.value("instance_id", "") == id;
          },
          std::chrono::seconds(10));
      if (!listed) {
        ++missed;
        continue;
      }
      host_start.push_back(static_cast<double>(listed->at("t_ms").get<int64_t>() - t0));
      host.stop(SIGTERM);  // Goodbye, so the next run starts from an empty list.
      browser.wait_for(is("host_removed"), std::chrono::seconds(3));
    }
  }

  // 2. Join list opened -> listed, with a host already running (past its burst).
  {
    Child host(in_ns("a", {"announce", "--name", "Bench", "--host-name", "bench-host", "--port", "47000"}));
    if (!host.wait_for(is("announcing"), std::chrono::seconds(5))) {
      std::printf("discovery_bench: host did not start\n");
      return 1;
    }
    usleep(2200 * 1000);  // Past the start burst: only the query answer is quick.
    for (int i = 0; i < runs; ++i) {
      const int64_t t0 = attune::wall_ms();
      Child browser(in_ns("c", {"browse", "--no-recent", "--duration", "5", "--exit-after-found", "1",
                                "--diagnose-after-ms", "0"}));
      const auto listed = browser.wait_for(is("host_added"), std::chrono::seconds(6));
      if (!listed) {
        ++missed;
        continue;
      }
      list_open.push_back(static_cast<double>(listed->at("t_ms").get<int64_t>() - t0));
    }
  }

  const double base = baseline.empty() ? 0 : percentile(baseline, 0.5);
  std::printf("Discovery in namespaces (veth + bridge), %d runs each, times from process spawn:\n", runs);
  report("baseline: process start in netns", baseline, base);
  report("host start -> listed by browser", host_start, base);
  report("join list opened -> host listed", list_open, base);
  std::printf("missed runs: %d\n", missed);
  return missed == 0 ? 0 : 1;
}
