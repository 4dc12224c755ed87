// CPU time and context switches of one thread of this process, read from
// /proc/self/task/<tid> (Linux), so a benchmark can say which thread spent
// what while it measured.
#pragma once

#include <sys/types.h>

#include <string>

namespace attune::bench {

struct ThreadCpu {
  double cpu_us = 0;       // On a CPU, user and kernel together.
  double waited_us = 0;    // Runnable but waiting for a CPU.
  double switches = 0;     // Voluntary context switches (it went to sleep).
  double preempted = 0;    // Involuntary ones (something else took the CPU).
};

// The calling thread's id (as /proc/self/task names it).
pid_t this_thread_id();

// What `tid` has spent so far; zeros if it can't be read.
ThreadCpu read_thread_cpu(pid_t tid);

// `after` minus `before`, each figure divided by `per`.
ThreadCpu per_unit(const ThreadCpu& before, const ThreadCpu& after, double per);

}  // namespace attune::bench
