// One window app per data folder. The first launch holds a lock in the
// folder and listens on a private socket next to it; a second launch on the
// same folder asks the first to come forward and then leaves, saying so in
// plain words. The socket carries one word ("raise"), nothing else.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace attune::app {

class SingleInstance {
 public:
  enum class Outcome {
    First,      // This process owns the folder's window app.
    Forwarded,  // Another one does, and it was asked to come forward.
    Busy,       // Another one does, and it didn't answer.
  };

  // on_raise runs on a helper thread when a later launch asks this one to
  // come forward (e.g. glfwPostEmptyEvent to wake the loop).
  static std::unique_ptr<SingleInstance> claim(const std::filesystem::path& data_dir,
                                               std::function<void()> on_raise, Outcome* outcome);
  ~SingleInstance();
  SingleInstance(const SingleInstance&) = delete;
  SingleInstance& operator=(const SingleInstance&) = delete;

  // True once after each request to come forward.
  bool take_raise_request() { return raise_.exchange(false); }

  // What a second launch tells the person.
  static std::string message(Outcome outcome, const std::filesystem::path& data_dir);

 private:
  SingleInstance() = default;
  void listen_loop();

  int lock_fd_ = -1;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::filesystem::path socket_path_;
  std::function<void()> on_raise_;
  std::atomic<bool> raise_{false};
  std::thread thread_;
};

}  // namespace attune::app
