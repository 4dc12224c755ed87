// A desktop notification through the freedesktop Notifications interface
// (org.freedesktop.Notifications.Notify on the session bus), with sd-bus.
// No session bus, or nobody owning the Notifications name, means no
// notification and no error: the window's card still shows. Nothing here
// starts a notification server (no D-Bus activation), so it never waits for
// one; every call is bounded by a short timeout.
#pragma once

#include <chrono>
#include <string>

namespace attune::remind {

enum class NotifyResult {
  Sent,      // The server took it (it answered with an id).
  NoBus,     // No session bus to talk to.
  NoServer,  // A bus, but no notification server on it.
  Failed,    // The server answered with an error, or not in time.
};

const char* notify_result_name(NotifyResult r);

struct Notification {
  std::string summary;
  std::string body;
};

// Sends one notification on the session bus ($DBUS_SESSION_BUS_ADDRESS).
NotifyResult notify_desktop(const Notification& n,
                            std::chrono::milliseconds timeout = std::chrono::milliseconds(1500));

}  // namespace attune::remind
