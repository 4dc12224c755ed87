#include "thread_cpu.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace attune::bench {

pid_t this_thread_id() { return static_cast<pid_t>(::syscall(SYS_gettid)); }

ThreadCpu read_thread_cpu(pid_t tid) {
  ThreadCpu out;
  const std::string task = "/proc/self/task/" + std::to_string(tid) + "/";
  // schedstat: nanoseconds on a CPU, nanoseconds waiting for one, timeslices.
  std::ifstream schedstat(task + "schedstat");
  double on_cpu_ns = 0;
  double waited_ns = 0;
  if (schedstat >> on_cpu_ns >> waited_ns) {
    out.cpu_us = on_cpu_ns / 1000;
    out.waited_us = waited_ns / 1000;
  }
  std::ifstream status(task + "status");
  std::string line;
  while (std::getline(status, line)) {
    std::istringstream fields(line);
    std::string key;
    double value = 0;
    fields >> key >> value;
    if (key == "voluntary_ctxt_switches:") out.switches = value;
    if (key == "nonvoluntary_ctxt_switches:") out.preempted = value;
  }
  return out;
}

ThreadCpu per_unit(const ThreadCpu& before, const ThreadCpu& after, double per) {
  return {(after.cpu_us - before.cpu_us) / per, (after.waited_us - before.waited_us) / per,
          (after.switches - before.switches) / per, (after.preempted - before.preempted) / per};
}

}  // namespace attune::bench
