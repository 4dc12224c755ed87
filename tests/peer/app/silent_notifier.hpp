// A private session bus (its own dbus-daemon) and a notification server on
// it that takes the org.freedesktop.Notifications name, counts every Notify
// call and never answers one: the slowest server there can be, so a caller
// waits out its whole timeout.
#pragma once

#include <signal.h>
#include <systemd/sd-bus.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace attune::test {

// A dbus-daemon of the test's own (stopped when this goes); address() is
// empty when none could start.
class PrivateBus {
 public:
  PrivateBus() {
    FILE* p = ::popen("dbus-daemon --session --fork --print-address=1 --print-pid=1 2>/dev/null", "r");
    if (!p) return;
    char line[512] = {};
    if (std::fgets(line, sizeof line, p)) address_ = std::string(line, std::strcspn(line, "\n"));
    if (std::fgets(line, sizeof line, p)) pid_ = std::atoi(line);
    ::pclose(p);
    if (pid_ <= 0) address_.clear();
  }
  ~PrivateBus() {
    if (pid_ > 0) ::kill(pid_, SIGTERM);
  }
  PrivateBus(const PrivateBus&) = delete;
  PrivateBus& operator=(const PrivateBus&) = delete;
  const std::string& address() const { return address_; }

 private:
  std::string address_;
  int pid_ = -1;
};

class SilentNotifier {
 public:
  explicit SilentNotifier(std::string address) : address_(std::move(address)), thread_([this] { run(); }) {}
  ~SilentNotifier() {
    stop_ = true;
    thread_.join();
  }
  SilentNotifier(const SilentNotifier&) = delete;
  SilentNotifier& operator=(const SilentNotifier&) = delete;

  bool ready() const { return ready_; }
  int calls() const { return calls_; }

 private:
  static int filter(sd_bus_message* m, void* self, sd_bus_error*) {
    if (!sd_bus_message_is_method_call(m, "org.freedesktop.Notifications", "Notify")) return 0;
    ++static_cast<SilentNotifier*>(self)->calls_;
    return 1;  // Taken, and never answered.
  }
  void run() {
    sd_bus* bus = nullptr;
    if (sd_bus_new(&bus) < 0) return;
    sd_bus_set_bus_client(bus, 1);
    if (sd_bus_set_address(bus, address_.c_str()) >= 0 && sd_bus_start(bus) >= 0 &&
        sd_bus_add_filter(bus, nullptr, &filter, this) >= 0 &&
        sd_bus_request_name(bus, "org.freedesktop.Notifications", 0) >= 0) {
      ready_ = true;
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (!stop_ && std::chrono::steady_clock::now() < until) {
        if (sd_bus_process(bus, nullptr) > 0) continue;
        sd_bus_wait(bus, 50'000);
      }
    }
    sd_bus_flush_close_unref(bus);
  }

  std::string address_;
  std::atomic<bool> ready_{false};
  std::atomic<bool> stop_{false};
  std::atomic<int> calls_{0};
  std::thread thread_;
};

}  // namespace attune::test
