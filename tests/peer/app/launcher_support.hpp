// Shared by the tests that drive the window app's NetLauncher: a private
// temporary folder, a bounded wait on a node's snapshot, and the lobby steps
// that begin a session.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "app/net_launcher.hpp"

namespace attune::app::test {

struct TempDir {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("attune-net-launcher-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

// Waits (bounded) until the node's snapshot satisfies `ok`.
template <typename Pred>
bool wait_for(NodeApi& node, Pred ok, std::chrono::seconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ok(*node.snapshot())) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return ok(*node.snapshot());
}

// The host lets the joined partner in and both say they're ready: the
// session leaves the lobby. Call with ASSERT_NO_FATAL_FAILURE.
inline void admit_and_begin(NodeApi& host, NodeApi& partner) {
  ASSERT_TRUE(wait_for(host, [](const NodeView& s) { return s.state.participants_size() == 2; }));
  const std::string id = host.snapshot()->state.participants(1).id();
  Intent admit;
  admit.mutable_admit()->set_participant_id(id);
  host.send(admit);
  ASSERT_TRUE(wait_for(partner, [&](const NodeView& s) {
    const auto* me = find_participant(s.state, id);
    return me && me->admitted();
  }));
  Intent ready;
  ready.mutable_set_ready()->set_ready(true);
  host.send(ready);
  partner.send(ready);
  ASSERT_TRUE(wait_for(host, [](const NodeView& s) { return s.state.phase() == v1::PHASE_ACTIVE; }));
}

}  // namespace attune::app::test
