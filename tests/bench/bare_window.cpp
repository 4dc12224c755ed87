// The window benchmark's baseline: the least a GLFW + OpenGL window can do
// to show a first frame, with the same hints as the app's windows (GL 3.3
// core, hidden until placed, swap interval 1). It prints one JSON line per
// phase on the clock of the frame report's "t_us" (CLOCK_MONOTONIC), then
// stays open, idle, until its stdin closes, so its resident memory can be
// read beside the app's.
#include <GLFW/glfw3.h>

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace {

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void phase(const char* what) {
  std::printf("{\"phase\": \"%s\", \"t_us\": %lld}\n", what, static_cast<long long>(now_us()));
  std::fflush(stdout);
}

}  // namespace

int main() {
  phase("main");
  if (!glfwInit()) {
    std::fprintf(stderr, "bare_window: no display\n");
    return 1;
  }
  phase("glfw_init");
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  GLFWwindow* window = glfwCreateWindow(1000, 1040, "bare", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "bare_window: no window\n");
    glfwTerminate();
    return 1;
  }
  glfwShowWindow(window);
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);
  phase("gl_context");
  glClearColor(0.96f, 0.95f, 0.93f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  glfwSwapBuffers(window);
  glFinish();
  phase("first_swap");
  // Idle like the app between changes, until told to go (stdin closes).
  int c = 0;
  while ((c = std::getchar()) != EOF) {
    glfwPollEvents();
  }
  glfwDestroyWindow(window);
  glfwTerminate();
  return 0;
}
