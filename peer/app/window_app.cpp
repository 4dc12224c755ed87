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
#include <future>
#include <nlohmann/json.hpp>
#include <optional>
#include <spdlog/spdlog.h>

#include "app/control_input.hpp"
#include "app/device_window.hpp"
#include "app/frame_report.hpp"
#include "app/history_store.hpp"
#include "invite/invite_store.hpp"
#include "invite/postbox_runner.hpp"
#include "journal/journal_store.hpp"
#include "prepare/prepare_store.hpp"
#include "remind/reminder_store.hpp"
#include "remind/reminder_watch.hpp"
#include "app/net_launcher.hpp"
#include "app/single_instance.hpp"
#include "app/start_phases.hpp"
#include "app/window_title.hpp"
#include "app/window_stores.hpp"
#include "attune/intents.hpp"
#include "cli/headless.hpp"
#include "data_folder.hpp"
#include "identity/private_file.hpp"
#include "node_api.hpp"
#include "wall_clock.hpp"

namespace attune::app {

namespace {

namespace fs = std::filesystem;

// Lets the single-instance listener wake the loop only while GLFW is up.
std::atomic<bool> g_glfw_ready{false};

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
  std::unique_ptr<prepare::PrepareStore> prepare;  // Private; read by the prepare screen and the offer of a draft.
  std::unique_ptr<remind::ReminderStore> reminders;  // Agreed times with the partner.
  std::unique_ptr<invite::InviteStore> invitations;  // Main window only: shared with `attune invite`.
  std::future<Stores> opening;  // The stores above, until a frame takes them.
  bool drawn = false;           // A first frame is on screen.
  // Main window only: brings reminders (and their desktop notification) on its own thread.
  std::shared_ptr<std::atomic<uint64_t>> reminders_brought = std::make_shared<std::atomic<uint64_t>>(0);
  uint64_t reminders_seen = 0;
  std::unique_ptr<remind::ReminderWatch> reminder_watch;
  std::string data_dir;
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

  // Takes the stores opening beside the window's start; waits for them
  // only when `wait` (every frame after the first).
  void take_stores(bool wait) {
    if (!opening.valid()) return;
    if (!wait && opening.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
    Stores s = opening.get();
    history = std::move(s.history);
    journal = std::move(s.journal);
    prepare = std::move(s.prepare);
    reminders = std::move(s.reminders);
    invitations = std::move(s.invitations);
    mark_start_phase("stores");
  }

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
  dispatch.prepare = d.prepare.get();
  dispatch.reminders = d.reminders.get();
  dispatch.reminders_brought = *d.reminders_brought;
  dispatch.start_with_partner = [&d](const std::string& partner_device_id, const std::string& name) {
    std::string error;
    auto node = d.launcher->start_with_partner(partner_device_id, name, &error);
    d.ui.reminder.start_error = node ? "" : error;
    if (node) d.attach(std::move(node));
  };
  dispatch.partner_session = [&d] { return d.launcher->partner_session(); };
  dispatch.invitations = d.invitations.get();
  dispatch.invite_data_dir = d.data_dir;
  return dispatch;
}

std::unique_ptr<Device> open_device(const std::string& key, const std::string& title, WindowGeometry fallback,
                                    const Prefs& prefs, const fs::path& data_dir, const WindowAppOptions& opt,
                                    std::string* error) {
  auto d = std::make_unique<Device>();
  d->key = key;
  d->title = title;
  d->opening = std::async(std::launch::async, open_stores, key, data_dir);
  const nlohmann::json p = prefs.get(key);
  WindowGeometry g = fallback;
  g.x = p.value("x", g.x);
  g.y = p.value("y", g.y);
  g.width = std::max(640, p.value("width", g.width));
  g.height = std::max(520, p.value("height", g.height));
  d->window = DeviceWindow::create(title, g, error);
  if (!d->window) return nullptr;
  mark_start_phase("window");
  d->ui.text_scale = p.value("text_scale", 1.0f);
  d->ui.display_name = opt.name.empty() ? p.value("name", std::string()) : opt.name;
  d->ui.pacer = p.value("pacer", 0) == 1 ? PacerStyle::Box : PacerStyle::Slow;
  d->data_dir = data_dir.string();
  if (key == "main") {
    remind::ReminderWatch::Options watching;
    watching.on_taken = [brought = d->reminders_brought] {
      ++*brought;
      if (g_glfw_ready) glfwPostEmptyEvent();
    };
    d->reminder_watch =
        std::make_unique<remind::ReminderWatch>(data_dir, [](const remind::DueReminder&) {}, std::move(watching));
  }
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
    v1::Settings settings = default_settings();
    settings.set_min_pause_seconds(60);
    host->node->send(intents::settings(settings));
    partner->attach(
        partner->launcher->join(JoinRequest{"Sam", host->launcher->invite(), "", v1::ROLE_PARTNER_B}, &why));
  }
  if (!why.empty()) std::fprintf(stderr, "attune: %s\n", why.c_str());
  devices.push_back(std::move(host));
  devices.push_back(std::move(partner));
  return true;
}

// The session the command line asked for (hosting or joining), if any.
struct Started {
  std::shared_ptr<NodeApi> node;
  std::string why;
};

Started start_asked(SessionLauncher& launcher, const WindowAppOptions& opt) {
  Started s;
  if (opt.auto_host) s.node = launcher.host(*opt.auto_host, &s.why);
  if (opt.auto_join) s.node = launcher.join(*opt.auto_join, &s.why);
  return s;
}

// The one window of a normal launch, started straight into a session if asked.
std::unique_ptr<Device> open_main(const Prefs& prefs, const fs::path& data_dir, const WindowAppOptions& opt,
                                  const LauncherFor& launcher_for) {
  std::unique_ptr<SessionLauncher> launcher = launcher_for(data_dir, false);
  // The session's store and sockets open beside the window's start; it is
  // attached before the first frame, so that frame already shows it.
  auto starting = std::async(std::launch::async, start_asked, std::ref(*launcher), std::cref(opt));
  std::string error;
  auto main = open_device("main", "Attune", {-1, -1, 1120, 800}, prefs, data_dir, opt, &error);
  if (!main) {
    std::fprintf(stderr, "attune: %s\n", error.c_str());
    return nullptr;
  }
  main->launcher = std::move(launcher);
  if (opt.auto_join) {
    // Whatever happens next, the start screen keeps what was asked for.
    main->ui.join_target = opt.auto_join->target;
    main->ui.join_code = opt.auto_join->code;
    main->ui.join_as_coach = opt.auto_join->role == v1::ROLE_COACH;
  }
  Started started = starting.get();
  main->attach(std::move(started.node));
  main->ui.start_error = started.why;
  main->ui.damaged_file = main->launcher->damaged_file();
  mark_start_phase("session");
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
    if (*d->reminders_brought != d->reminders_seen) timeout = 0;
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
  d.take_stores(/*wait=*/d.drawn);
  const int64_t started_us = report ? FrameReport::now_us() : 0;
  FrameContext ctx;
  ctx.now_ms = session_ms();
  ctx.time_s = t;
  ctx.dispatch = make_dispatch(d);
  if (report) ctx.dispatch.sent = [report, &d] { report->sent(d.key); };
  const std::shared_ptr<const NodeView> snap = d.node ? d.node->snapshot() : nullptr;
  d.window->set_title(window_title(d.title, snap ? &snap->state : nullptr));
  std::string shot;
  const bool f12 = glfwGetKey(d.window->glfw(), GLFW_KEY_F12) == GLFW_PRESS;
  if (!opt.screenshot_dir.empty() && f12 && !d.screenshot_key_down) {
    shot = (fs::path(opt.screenshot_dir) / (d.key + "-" + std::to_string(++d.screenshots) + ".png")).string();
  }
  d.screenshot_key_down = f12;
  static const NodeView empty;
  d.window->render(snap ? *snap : empty, d.ui, ctx, shot.empty() ? nullptr : &shot);
  d.drawn = true;
  if (report) {
    report->frame(d.key, snap ? *snap : empty, d.window->drawn(), started_us);
    report->start_phases_once(start_phases());
  }
  d.next_wake_s = t + std::min(ctx.wake_in_s, 30.0);
  return true;
}

// The data folder, made private to its owner; nullopt, after saying why,
// when there is none to use.
std::optional<fs::path> open_data_folder(const WindowAppOptions& opt) {
  const auto data_dir = data_folder(opt.data_dir);
  if (!data_dir) {
    std::fprintf(stderr, "attune: %s\n", no_data_folder_message().c_str());
    return std::nullopt;
  }
  std::error_code ec;
  fs::create_directories(*data_dir, ec);
  // Owner only, including what an older version left readable to others.
  if (const auto problem = identity::make_private_tree(*data_dir))
    std::fprintf(stderr, "attune: %s\n", problem->c_str());
  return data_dir;
}

bool start_window_system() {
  glfwSetErrorCallback(
      [](int, const char* msg) { std::fprintf(stderr, "attune: window system: %s\n", msg); });
  if (!glfwInit()) {
    std::fprintf(stderr,
                 "attune: couldn't open a window (is a display available?). Without one, run "
                 "attune --headless; see attune --help.\n");
    return false;
  }
  g_glfw_ready = true;
  mark_start_phase("glfw_init");
  return true;
}

// Each window is its own device, with its own node folder (store and identity).
LauncherFor launchers_for(const WindowAppOptions& opt) {
  return [&opt](const fs::path& node_dir, bool loopback_only) -> std::unique_ptr<SessionLauncher> {
    std::error_code ec;
    fs::create_directories(node_dir, ec);
    if (opt.make_launcher) return opt.make_launcher(node_dir.string(), loopback_only);
    NetLauncher::Config config;
    config.data_dir = node_dir;
    // A session bound to loopback has no one nearby to tell.
    config.discover = !loopback_only && !opt.no_discovery && opt.bind_address.rfind("127.", 0) != 0;
    discovery::ChannelOptions channel;
    if (opt.loopback_only && !loopback_only) {  // Tests: sessions nearby over loopback only.
      config.discover = !opt.no_discovery;
      channel.only_loopback = true;
      if (opt.discovery_port != 0) channel.port = opt.discovery_port;
      config.bind_address = "127.0.0.1";
    }
    if (loopback_only) {
      config.bind_address = "127.0.0.1";
    } else {  // The one window of `attune host/join`: what the command line said.
      if (!opt.loopback_only) config.bind_address = opt.bind_address;
      config.port = opt.port;
      config.full_sync = opt.full_sync;
      config.fresh_start = opt.fresh_start;
    }
    return std::make_unique<NetLauncher>(config, channel);
  };
}

// The windows of this launch: the demo's two, or the one main window.
bool open_devices(std::vector<std::unique_ptr<Device>>& devices, const Prefs& prefs, const fs::path& data_dir,
                  const fs::path& demo_dir, const WindowAppOptions& opt) {
  const LauncherFor launcher_for = launchers_for(opt);
  if (opt.demo) return open_demo(devices, prefs, data_dir, demo_dir, opt, launcher_for);
  auto main = open_main(prefs, data_dir, opt, launcher_for);
  if (!main) return false;
  devices.push_back(std::move(main));
  return true;
}

// The frame loop's tools and counters, for as long as windows are open.
struct Loop {
  const WindowAppOptions& opt;
  Prefs& prefs;
  SingleInstance* instance = nullptr;
  std::unique_ptr<FrameReport> report;
  std::unique_ptr<ControlInput> control;
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  uint64_t frames = 0;
  // Carries invitations while the window is open (main window only); started
  // after the first frame, on its own thread. `mail` tells the loop to redraw.
  std::unique_ptr<invite::PostboxRunner> postbox{};
  std::shared_ptr<std::atomic<bool>> mail = std::make_shared<std::atomic<bool>>(false);

  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
};

// One pass over the windows: closes those asked to close, draws the rest.
void draw_all(std::vector<std::unique_ptr<Device>>& devices, Loop& loop) {
  for (auto it = devices.begin(); it != devices.end();) {
    Device& d = **it;
    if (d.window->should_close()) {
      remember(loop.prefs, d);
      d.attach(nullptr);
      it = devices.erase(it);
      continue;
    }
    if (d.waker && d.waker->changed.exchange(false)) d.window->request_frames(2);
    if (d.key == "main" && loop.mail->exchange(false)) d.window->request_frames(2);  // Mail came or went.
    if (const uint64_t brought = *d.reminders_brought; brought != d.reminders_seen) {
      d.reminders_seen = brought;  // A reminder came: its card shows now.
      d.window->request_frames(2);
    }
    const bool controlled = loop.control && it == devices.begin();
    if (controlled) {
      loop.control->poll();
      loop.control->before_frame(*d.window);
    }
    if (draw_device(d, loop.opt, loop.seconds(), loop.report.get())) {
      ++loop.frames;
      static const NodeView none;
      if (controlled)
        loop.control->after_frame(*d.window, d.node ? *d.node->snapshot() : none, loop.report.get());
    }
    ++it;
  }
}

// The postbox of this data folder, from the first frame on (never for the demo).
void start_postbox(const fs::path& data_dir, Loop& loop) {
  invite::PostboxRunnerOptions mail;
  mail.data_dir = data_dir;
  mail.bind_address = loop.opt.loopback_only ? "127.0.0.1" : loop.opt.bind_address;
  mail.find_on_network = !loop.opt.no_discovery;
  mail.finder.only_loopback = loop.opt.loopback_only;
  mail.on_event = [changed = loop.mail](const nlohmann::json& j) {
    spdlog::info("postbox: {}", j.value("event", ""));
    *changed = true;
    if (g_glfw_ready) glfwPostEmptyEvent();
  };
  loop.postbox = std::make_unique<invite::PostboxRunner>(std::move(mail));
  loop.postbox->start();
}

// Until the last window closes (or --exit-after).
void run_loop(std::vector<std::unique_ptr<Device>>& devices, const fs::path& data_dir, Loop& loop) {
  while (!devices.empty()) {
    if (!loop.postbox && loop.frames > 0 && !loop.opt.demo) start_postbox(data_dir, loop);
    wait_for_work(devices, loop.opt, loop.seconds());
    if (loop.opt.exit_after_s > 0 && loop.seconds() >= loop.opt.exit_after_s) break;
    if (loop.instance && loop.instance->take_raise_request()) {
      for (auto& d : devices) d->window->come_forward();
    }
    draw_all(devices, loop);
  }
}

// Every window remembers its place; their nodes stop before the window system.
void close_all(std::vector<std::unique_ptr<Device>>& devices, Prefs& prefs) {
  for (auto& d : devices) {
    remember(prefs, *d);
    d->attach(nullptr);
  }
  prefs.save();
  devices.clear();
}

}  // namespace

int run_window_app(const WindowAppOptions& opt) {
  const auto data_dir = open_data_folder(opt);
  if (!data_dir) return static_cast<int>(cli::ExitCode::Storage);
  // The demo's sessions live in their own temporary folders, so it may run
  // next to the window that owns this folder.
  int exit_code = 0;
  std::unique_ptr<SingleInstance> instance;
  if (!opt.demo) {
    instance = claim_folder(*data_dir, &exit_code);
    if (!instance) return exit_code;
  }
  mark_start_phase("folder");
  if (!start_window_system()) return 1;
  Prefs prefs(*data_dir / "window.json");

  std::vector<std::unique_ptr<Device>> devices;
  // The demo's devices are fresh each time, so it always starts in a new lobby.
  const fs::path demo_dir = fs::temp_directory_path() / ("attune-demo-" + std::to_string(::getpid()));
  if (!open_devices(devices, prefs, *data_dir, demo_dir, opt)) {
    glfwTerminate();
    return 1;
  }

  Loop loop{opt, prefs, instance.get(), nullptr, nullptr};
  if (!opt.report_path.empty()) loop.report = std::make_unique<FrameReport>(opt.report_path);
  if (!opt.control_path.empty())
    loop.control = std::make_unique<ControlInput>(
        opt.control_path, opt.screenshot_dir.empty() ? data_dir->string() : opt.screenshot_dir);
  run_loop(devices, *data_dir, loop);
  loop.postbox.reset();  // Stops it before the windows go.
  close_all(devices, prefs);
  std::error_code ec;
  fs::remove_all(demo_dir, ec);
  g_glfw_ready = false;
  glfwTerminate();
  if (opt.exit_after_s > 0) print_cpu_use(loop.frames, loop.seconds());
  return 0;
}

}  // namespace attune::app
