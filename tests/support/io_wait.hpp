// Runs an io_context until a condition holds or a deadline passes: the wait
// every in-process network test does, bounded, never a bare sleep.
#pragma once

#include <asio.hpp>
#include <chrono>

namespace attune::test {

// True once `done()` holds; false when `limit` passed first.
template <typename Done>
bool run_io_until(asio::io_context& io, Done done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    io.restart();  // It stops whenever it runs out of work.
    io.run_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace attune::test
