// Idle CPU of the window app: runs `attune-app` untouched for a while and
// reads the CPU time it used (wait4's rusage), next to a same-run baseline
// that draws every frame without waiting. Needs a display; run it as
//   xvfb-run -a -s '-screen 0 1280x800x24' build/tests/peer/app/app_idle_cpu_bench [seconds]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

struct Run {
  double cpu_s = -1;
  double wall_s = 0;
};

Run run_app(const std::vector<std::string>& extra, double seconds, const std::string& data_dir) {
  std::vector<std::string> args = {ATTUNE_APP_PATH, "--exit-after", std::to_string(seconds), "--data-dir",
                                   data_dir};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    // Quiet: the figures are what matter here.
    if (!std::freopen("/dev/null", "w", stdout)) _exit(127);
    execv(argv[0], argv.data());
    _exit(127);
  }
  Run r;
  if (pid < 0) return r;
  int status = 0;
  rusage ru{};
  if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return r;
  r.cpu_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
            static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  r.wall_s = seconds;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 20.0;
  if (!std::getenv("DISPLAY")) {
    std::fprintf(stderr, "No display. Run under xvfb-run -a -s '-screen 0 1280x800x24'.\n");
    return 2;
  }
  const auto dir = std::filesystem::temp_directory_path() / ("attune-idle-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);

  // Start-up (fonts, GL) is included in every run, so measure it alone too.
  const Run startup = run_app({}, 0.5, dir.string());
  const Run idle = run_app({}, seconds, dir.string());
  const Run lobby = run_app({"--demo"}, seconds, dir.string());
  const Run busy = run_app({"--always-render"}, seconds, dir.string());
  std::filesystem::remove_all(dir);
  if (startup.cpu_s < 0 || idle.cpu_s < 0 || lobby.cpu_s < 0 || busy.cpu_s < 0) {
    std::fprintf(stderr, "attune-app didn't run cleanly; is the display working?\n");
    return 1;
  }
  auto pct = [&](const Run& r) { return 100.0 * std::max(0.0, r.cpu_s - startup.cpu_s) / (r.wall_s - 0.5); };
  std::printf("attune-app idle CPU over %.0f s (start-up of %.2f s CPU subtracted), %% of one core:\n",
              seconds, startup.cpu_s);
  std::printf("  start screen, idle            %6.2f %%\n", pct(idle));
  std::printf("  demo: two windows in a lobby  %6.2f %%\n", pct(lobby));
  std::printf("  baseline: drawing every frame %6.2f %%\n", pct(busy));
  std::printf("  idle / baseline ratio         %6.4f\n", pct(busy) > 0 ? pct(idle) / pct(busy) : 0.0);
  std::printf("  target: idle at most 1 %% -> %s\n", pct(idle) <= 1.0 ? "met" : "NOT met");
  return 0;
}
