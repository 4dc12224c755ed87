#include "app/window_app.hpp"

#include <GLFW/glfw3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "app/control_input.hpp"
#include "app/device_window.hpp"
#include "app/frame_report.hpp"
#include "app/history_store.hpp"
#include "journal/journal_store.hpp"
#include "app/net_launcher.hpp"
#include "app/single_instance.hpp"
#include "app/window_title.hpp"
#include "cli/headless.hpp"
#include "identity/private_file.hpp"
#include "node_api.hpp"

namespace attune::app {

namespace {

namespace fs = std::filesystem;

// Lets the single-instance listener wake the loop only while GLFW is up.
std::atomic<bool> g_glfw_ready{false};

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

fs::path default_data_dir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return fs::path(xdg) / "attune";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".local/share/attune";
  return fs::temp_directory_path() / "attune";
}

// Window placement and small preferences, per window key, in one JSON file.
class Prefs {
 public:
  explicit Prefs(fs::path path) : path_(std::move(path)) {
    std::ifstream in(path_);
    if (in) data_ = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!data_.is_object()) data_ = nlohmann::json::object();
  }
  nlohmann::json get(const std::string& key) const {
    return data_.contains(key) && data_[key].is_object() ? data_[key] : nlohmann::json::object();
  }
  void set(const std::string& key, nlohmann::json value) { data_[key] = std::move(value); }
  void save() const {
    std::ofstream out(path_);
    if (out) out << data_.dump(2) << "\n";
  }

 private:
  fs::path path_;
  nlohmann::json data_;
};

struct Device {
  std::string key;  // Preferences key: "main", "demo-host", "demo-partner".
  std::string title;  // The window's own name; the session's name goes before it.
  std::unique_ptr<DeviceWindow> window;
  std::unique_ptr<SessionLauncher> launcher;
  std::unique_ptr<HistoryStore> history;
  std::unique_ptr<journal::JournalStore> journal;  // Private; read only by the journal screen.
  std::shared_ptr<NodeApi> node;
  UiState ui;
  double next_wake_s = 0;
  int screenshots = 0;
  bool screenshot_key_down = false;

  // Set from the node's thread when a new snapshot is out; read by the loop.
  // Shared so a late callback from a node we let go of finds it switched off.
  struct Waker {
    std::atomic<bool> alive{true};
    std::atomic<bool> changed{false};
  };
  std::shared_ptr<Waker> waker;

  void attach(std::shared_ptr<NodeApi> n) {
    // Nodes keep their callbacks, so switch the old one off rather than reset it.
    if (waker) waker->alive = false;
    waker.reset();
    node = std::move(n);
    if (!node) return;
    waker = std::make_shared<Waker>();
    node->on_change([w = waker] {
      if (!w->alive) return;
      w->changed = true;
      glfwPostEmptyEvent();
    });
    window->request_frames();
  }
};

Dispatch make_dispatch(Device& d) {
  Dispatch dispatch;
  dispatch.node = d.node.get();
  dispatch.host = [&d](const HostRequest& req) {
    std::string error;
    auto node = d.launcher->host(req, &error);
    d.ui.start_error = node ? "" : error;
    d.ui.damaged_file = node ? "" : d.launcher->damaged_file();
    d.attach(std::move(node));
  };
  dispatch.join = [&d](const JoinRequest& req) {
    std::string error;
    auto node = d.launcher->join(req, &error);
    d.ui.start_error = node ? "" : error;
    d.ui.damaged_file = node ? "" : d.launcher->damaged_file();
    d.attach(std::move(node));
  };
  dispatch.nearby = [&d] { return d.launcher->nearby(); };
  dispatch.invite = [&d] { return d.launcher->invite(); };
  dispatch.nearby_tag = [&d] { return d.launcher->nearby_tag(); };
  dispatch.wants_code = [&d] { return d.launcher->wants_code(); };
  dispatch.code_notice = [&d] { return d.launcher->code_notice(); };
  dispatch.dismiss_code_notice = [&d] { d.launcher->dismiss_code_notice(); };
  dispatch.fresh_start = [&d] {
    std::string note;
    if (d.launcher->fresh_start(&note)) {
      d.ui.damaged_file.clear();
      d.ui.start_error.clear();
    } else {
      d.ui.start_error = note;
    }
    d.ui.fresh_start_note = note;
  };
  dispatch.can_make_code = [&d] { return d.launcher->can_make_code(); };
  dispatch.make_code = [&d] { d.launcher->make_code(); };
  dispatch.leave = [&d] {
    d.attach(nullptr);
    d.launcher->released();
    d.ui.saved_session.clear();
  };
  dispatch.save_history = [&d](const HistoryEntry& e) {
    if (d.history) d.history->save(e);
  };
  dispatch.load_history = [&d] { return d.history ? d.history->list() : std::vector<HistoryEntry>{}; };
  dispatch.journal = d.journal.get();
  return dispatch;
}

std::unique_ptr<Device> open_device(const std::string& key, const std::string& title, WindowGeometry fallback,
                                    const Prefs& prefs, const fs::path& data_dir, const WindowAppOptions& opt,
                                    std::string* error) {
  auto d = std::make_unique<Device>();
  d->key = key;
  d->title = title;
  const nlohmann::json p = prefs.get(key);
  WindowGeometry g = fallback;
  g.x = p.value("x", g.x);
  g.y = p.value("y", g.y);
  g.width = std::max(640, p.value("width", g.width));
  g.height = std::max(520, p.value("height", g.height));
  d->window = DeviceWindow::create(title, g, error);
  if (!d->window) return nullptr;
  d->ui.text_scale = p.value("text_scale", 1.0f);
  d->ui.display_name = opt.name.empty() ? p.value("name", std::string()) : opt.name;
  d->ui.pacer = p.value("pacer", 0) == 1 ? PacerStyle::Box : PacerStyle::Slow;
  std::string history_error;
  d->history = HistoryStore::open((data_dir / ("history-" + key + ".db")).string(), &history_error);
  if (!d->history) std::fprintf(stderr, "attune: %s\n", history_error.c_str());
  // The main window shares the journal with `attune journal`; demo windows keep their own.
  const fs::path journal_path =
      key == "main" ? journal::journal_file(data_dir) : data_dir / ("journal-" + key + ".db");
  d->journal = journal::JournalStore::open(journal_path, &history_error);
  if (!d->journal) std::fprintf(stderr, "attune: %s\n", history_error.c_str());
  return d;
}

void remember(Prefs& prefs, const Device& d) {
  const WindowGeometry g = d.window->geometry();
  prefs.set(d.key, {{"x", g.x},
                    {"y", g.y},
                    {"width", g.width},
                    {"height", g.height},
                    {"text_scale", d.ui.text_scale},
                    {"name", d.ui.display_name},
                    {"pacer", d.ui.pacer == PacerStyle::Box ? 1 : 0}});
}


using LauncherFor = std::function<std::unique_ptr<SessionLauncher>(const fs::path& node_dir, bool loopback_only)>;

// The demo: two devices, a host and a partner, in a fresh lobby over loopback.
bool open_demo(std::vector<std::unique_ptr<Device>>& devices, const Prefs& prefs, const fs::path& data_dir,
               const fs::path& demo_dir, const WindowAppOptions& opt, const LauncherFor& launcher_for) {
  std::string error;
  auto host =
      open_device("demo-host", "Attune: Alex (hosting)", {40, 40, 980, 780}, prefs, data_dir, opt, &error);
  auto partner = open_device("demo-partner", "Attune: Sam", {1040, 80, 980, 780}, prefs, data_dir, opt, &error);
  if (!host || !partner) {
    std::fprintf(stderr, "attune: %s\n", error.c_str());
    return false;
  }
  host->launcher = launcher_for(demo_dir / "host", true);
  partner->launcher = launcher_for(demo_dir / "partner", true);
  host->ui.display_name = "Alex";
  partner->ui.display_name = "Sam";
  // Both start in the lobby together over loopback; a one-minute pause keeps the demo moving.
  std::string why;
  host->attach(host->launcher->host(HostRequest{"Alex", "Trying Attune", v1::ROLE_PARTNER_A, {}}, &why));
  if (host->node) {
    Intent settings;
    *settings.mutable_propose_settings()->mutable_settings() = default_settings();
    settings.mutable_propose_settings()->mutable_settings()->set_min_pause_seconds(60);
    host->node->send(settings);
    partner->attach(
        partner->launcher->join(JoinRequest{"Sam", host->launcher->invite(), "", v1::ROLE_PARTNER_B}, &why));
  }
  if (!why.empty()) std::fprintf(stderr, "attune: %s\n", why.c_str());
  devices.push_back(std::move(host));
  devices.push_back(std::move(partner));
  return true;
}

// The one window of a normal launch, started straight into a session if asked.
std::unique_ptr<Device> open_main(const Prefs& prefs, const fs::path& data_dir, const WindowAppOptions& opt,
                                  const LauncherFor& launcher_for) {
  std::string error;
  auto main = open_device("main", "Attune", {-1, -1, 1120, 800}, prefs, data_dir, opt, &error);
  if (!main) {
    std::fprintf(stderr, "attune: %s\n", error.c_str());
    return nullptr;
  }
  main->launcher = launcher_for(data_dir, false);
  std::string why;
  if (opt.auto_host) main->attach(main->launcher->host(*opt.auto_host, &why));
  if (opt.auto_join) {
    // Whatever happens next, the start screen keeps what was asked for.
    main->ui.join_target = opt.auto_join->target;
    main->ui.join_code = opt.auto_join->code;
    main->ui.join_as_coach = opt.auto_join->role == v1::ROLE_COACH;
    main->attach(main->launcher->join(*opt.auto_join, &why));
  }
  main->ui.start_error = why;
  main->ui.damaged_file = main->launcher->damaged_file();
  return main;
}

// For benchmarks (--exit-after): frames drawn and CPU used.
void print_cpu_use(uint64_t frames, double wall_s) {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  const double cpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                     static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  std::printf("frames=%llu cpu_s=%.3f wall_s=%.3f\n", static_cast<unsigned long long>(frames), cpu, wall_s);
}

// A second launch on a folder brings the first one forward instead of
// opening a second window onto the same session file, and says so.
std::unique_ptr<SingleInstance> claim_folder(const fs::path& data_dir, int* exit_code) {
  SingleInstance::Outcome outcome{};
  auto instance = SingleInstance::claim(
      data_dir,
      [] {
        if (g_glfw_ready) glfwPostEmptyEvent();
      },
      &outcome);
  if (!instance) {
    std::fprintf(stderr, "attune: %s\n", SingleInstance::message(outcome, data_dir).c_str());
    *exit_code = outcome == SingleInstance::Outcome::Forwarded ? 0 : static_cast<int>(cli::ExitCode::Storage);
  }
  return instance;
}

// Sleeps until input, a node change, or the earliest timer a view asked for.
void wait_for_work(const std::vector<std::unique_ptr<Device>>& devices, const WindowAppOptions& opt, double now) {
  double timeout = 10.0;
  for (const auto& d : devices) {
    if (d->window->wants_frame() || opt.always_render || (d->waker && d->waker->changed)) timeout = 0;
    timeout = std::min(timeout, std::max(0.0, d->next_wake_s - now));
  }
  if (opt.exit_after_s > 0) timeout = std::min(timeout, std::max(0.0, opt.exit_after_s - now));
  if (!opt.control_path.empty()) timeout = std::min(timeout, 0.05);  // Commands arrive by file.
  if (timeout > 0)
    glfwWaitEventsTimeout(timeout);
  else
    glfwPollEvents();
}

// Draws one frame of a device's window if it asked for one; true if it drew.
bool draw_device(Device& d, const WindowAppOptions& opt, double t, FrameReport* report) {
  if (!opt.always_render && !d.window->wants_frame() && t < d.next_wake_s) return false;
  FrameContext ctx;
  ctx.now_ms = wall_ms();
  ctx.time_s = t;
  ctx.dispatch = make_dispatch(d);
  const std::shared_ptr<const Snapshot> snap = d.node ? d.node->snapshot() : nullptr;
  d.window->set_title(window_title(d.title, snap ? &snap->state : nullptr));
  std::string shot;
  const bool f12 = glfwGetKey(d.window->glfw(), GLFW_KEY_F12) == GLFW_PRESS;
  if (!opt.screenshot_dir.empty() && f12 && !d.screenshot_key_down) {
    shot = (fs::path(opt.screenshot_dir) / (d.key + "-" + std::to_string(++d.screenshots) + ".png")).string();
  }
  d.screenshot_key_down = f12;
  static const Snapshot empty;
  d.window->render(snap ? *snap : empty, d.ui, ctx, shot.empty() ? nullptr : &shot);
  if (report) report->frame(d.key, snap ? *snap : empty, d.window->drawn());
  d.next_wake_s = t + std::min(ctx.wake_in_s, 30.0);
  return true;
}

}  // namespace

int run_window_app(const WindowAppOptions& opt) {
  const fs::path data_dir = opt.data_dir.empty() ? default_data_dir() : fs::path(opt.data_dir);
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  // Owner only, including what an older version left readable to others.
  if (const auto problem = identity::make_private_tree(data_dir))
    std::fprintf(stderr, "attune: %s\n", problem->c_str());
  // The demo's sessions live in their own temporary folders, so it may run
  // next to the window that owns this folder.
  int exit_code = 0;
  std::unique_ptr<SingleInstance> instance;
  if (!opt.demo) {
    instance = claim_folder(data_dir, &exit_code);
    if (!instance) return exit_code;
  }
  glfwSetErrorCallback(
      [](int, const char* msg) { std::fprintf(stderr, "attune: window system: %s\n", msg); });
  if (!glfwInit()) {
    std::fprintf(stderr,
                 "attune: couldn't open a window (is a display available?). Without one, run "
                 "attune --headless; see attune --help.\n");
    return 1;
  }
  g_glfw_ready = true;
  Prefs prefs(data_dir / "window.json");

  // Each window is its own device, with its own node folder (store and identity).
  auto launcher_for = [&](const fs::path& node_dir, bool loopback_only) -> std::unique_ptr<SessionLauncher> {
    fs::create_directories(node_dir, ec);
    if (opt.make_launcher) return opt.make_launcher(node_dir.string(), loopback_only);
    NetLauncher::Config config;
    config.data_dir = node_dir;
    // A session bound to loopback has no one nearby to tell.
    config.discover = !loopback_only && !opt.no_discovery && opt.bind_address.rfind("127.", 0) != 0;
    if (loopback_only) {
      config.bind_address = "127.0.0.1";
    } else {  // The one window of `attune host/join`: what the command line said.
      config.bind_address = opt.bind_address;
      config.port = opt.port;
      config.full_sync = opt.full_sync;
      config.fresh_start = opt.fresh_start;
    }
    return std::make_unique<NetLauncher>(config);
  };

  std::vector<std::unique_ptr<Device>> devices;
  // The demo's devices are fresh each time, so it always starts in a new lobby.
  const fs::path demo_dir = fs::temp_directory_path() / ("attune-demo-" + std::to_string(::getpid()));
  if (opt.demo) {
    if (!open_demo(devices, prefs, data_dir, demo_dir, opt, launcher_for)) {
      glfwTerminate();
      return 1;
    }
  } else {
    auto main = open_main(prefs, data_dir, opt, launcher_for);
    if (!main) {
      glfwTerminate();
      return 1;
    }
    devices.push_back(std::move(main));
  }

  std::unique_ptr<FrameReport> report;
  if (!opt.report_path.empty()) report = std::make_unique<FrameReport>(opt.report_path);
  std::unique_ptr<ControlInput> control;
  if (!opt.control_path.empty())
    control = std::make_unique<ControlInput>(opt.control_path,
                                             opt.screenshot_dir.empty() ? data_dir.string() : opt.screenshot_dir);
  const auto t0 = std::chrono::steady_clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  uint64_t frames = 0;

  while (!devices.empty()) {
    wait_for_work(devices, opt, seconds());
    if (opt.exit_after_s > 0 && seconds() >= opt.exit_after_s) break;
    if (instance && instance->take_raise_request()) {
      for (auto& d : devices) d->window->come_forward();
    }

    for (auto it = devices.begin(); it != devices.end();) {
      Device& d = **it;
      if (d.window->should_close()) {
        remember(prefs, d);
        d.attach(nullptr);
        it = devices.erase(it);
        continue;
      }
      if (d.waker && d.waker->changed.exchange(false)) d.window->request_frames(2);
      const bool controlled = control && it == devices.begin();
      if (controlled) {
        control->poll();
        control->before_frame(*d.window);
      }
      if (draw_device(d, opt, seconds(), report.get())) {
        ++frames;
        static const Snapshot none;
        if (controlled) control->after_frame(*d.window, d.node ? *d.node->snapshot() : none, report.get());
      }
      ++it;
    }
  }
  for (auto& d : devices) {
    remember(prefs, *d);
    d->attach(nullptr);
  }
  prefs.save();
  devices.clear();
  fs::remove_all(demo_dir, ec);
  g_glfw_ready = false;
  glfwTerminate();
  if (opt.exit_after_s > 0) print_cpu_use(frames, seconds());
  return 0;
}

}  // namespace attune::app
