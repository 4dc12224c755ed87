// Baselines for replication_bench that keep the replication loop's shape
// and leave the app out: this thread posts to partner B's io thread; B
// writes a frame to the host's io thread over loopback TCP; the host writes
// one frame back to B and one to the coach, each on its own io thread; timed
// until both have read theirs. Optionally with the same sealing
// (crypto::SecureChannel, padded) on every hop, and the same SQLite commit
// on the host (store::Store::record_change) before it answers. So the
// reader sees what the thread hops cost, what sealing and the commit add,
// and what is left for the app itself.
#pragma once

#include <cstddef>
#include <vector>

#include "attune/v1/wire.pb.h"

namespace attune::store {
class Store;
}

namespace attune::bench {

struct HopWork {
  bool seal = false;
  // When set, the host commits each change here before it answers; the
  // store must hold a host session already (begin_host_session).
  store::Store* store = nullptr;
  // The state committed with each change, and its size the change frame's.
  const v1::SessionState* state = nullptr;
};

// Microseconds per round, after `warmup` rounds left out.
std::vector<double> hop_round_trips(int rounds, std::size_t change_bytes, const HopWork& work, int warmup = 200);

}  // namespace attune::bench
