#include "remind/desktop_notifier.hpp"

#include <systemd/sd-bus.h>

#include <cstdlib>

namespace attune::remind {

namespace {

constexpr const char* kName = "org.freedesktop.Notifications";
constexpr const char* kPath = "/org/freedesktop/Notifications";

// The bus, the messages and the error free themselves however we leave.
struct Bus {
  sd_bus* bus = nullptr;
  ~Bus() { sd_bus_flush_close_unref(bus); }
};
struct Message {
  sd_bus_message* m = nullptr;
  ~Message() { sd_bus_message_unref(m); }
};
struct Error {
  sd_bus_error e = SD_BUS_ERROR_NULL;
  ~Error() { sd_bus_error_free(&e); }
};

bool has_server(sd_bus* bus) {
  Error error;
  Message reply;
  if (sd_bus_call_method(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                         "NameHasOwner", &error.e, &reply.m, "s", kName) < 0)
    return false;
  int owned = 0;
  return sd_bus_message_read(reply.m, "b", &owned) >= 0 && owned;
}

// Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout) -> id
int build_notify(sd_bus* bus, const Notification& n, Message& call) {
  int r = sd_bus_message_new_method_call(bus, &call.m, kName, kPath, kName, "Notify");
  if (r >= 0) r = sd_bus_message_append(call.m, "susss", "Attune", 0u, "attune", n.summary.c_str(), n.body.c_str());
  if (r >= 0) r = sd_bus_message_append(call.m, "as", 0);
  // A calm, ordinary notification: normal urgency, and it goes to the tray
  // like any other (the window's card is what stays).
  if (r >= 0) r = sd_bus_message_append(call.m, "a{sv}", 1, "urgency", "y", static_cast<uint8_t>(1));
  if (r >= 0) r = sd_bus_message_append(call.m, "i", -1);
  return r;
}

}  // namespace

const char* notify_result_name(NotifyResult r) {
  switch (r) {
    case NotifyResult::Sent:
      return "sent";
    case NotifyResult::NoBus:
      return "no_bus";
    case NotifyResult::NoServer:
      return "no_server";
    case NotifyResult::Failed:
      return "failed";
  }
  return "failed";
}

NotifyResult notify_desktop(const Notification& n, std::chrono::milliseconds timeout) {
  const char* address = std::getenv("DBUS_SESSION_BUS_ADDRESS");
  if (!address || !*address) return NotifyResult::NoBus;
  Bus bus;
  if (sd_bus_new(&bus.bus) < 0) return NotifyResult::NoBus;
  sd_bus_set_bus_client(bus.bus, 1);
  if (sd_bus_set_address(bus.bus, address) < 0 || sd_bus_start(bus.bus) < 0) return NotifyResult::NoBus;
  if (!has_server(bus.bus)) return NotifyResult::NoServer;
  Message call;
  if (build_notify(bus.bus, n, call) < 0) return NotifyResult::Failed;
  // Never start a server just for us: no auto start, so nothing waits on one.
  sd_bus_message_set_auto_start(call.m, 0);
  Error error;
  Message reply;
  const auto usec = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(timeout).count());
  if (sd_bus_call(bus.bus, call.m, usec, &error.e, &reply.m) < 0) return NotifyResult::Failed;
  uint32_t id = 0;
  return sd_bus_message_read(reply.m, "u", &id) >= 0 ? NotifyResult::Sent : NotifyResult::Failed;
}

}  // namespace attune::remind
