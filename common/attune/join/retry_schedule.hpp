// When a joining device tries the host again after losing it: exponential
// backoff with jitter (devices that lost the host together do not knock at
// the same instant), capped low while a session is live, so the pair is back
// within about half a second of the host answering again (issue 18, item 4;
// tests/bench/reconnect_bench measures it). Pure: the random draw is passed in.
#pragma once

#include <chrono>

namespace attune::join {

// The first wait; each further try doubles it, up to the cap.
inline constexpr std::chrono::milliseconds kFirstRetry{100};
// While a session is live: a try at least every half second. A refused
// connection costs the host next to nothing, and pinned-key tries are never
// rate limited (attune/pairing/pairing_policy.hpp).
inline constexpr std::chrono::milliseconds kLiveRetryCap{500};
// Before this device ever joined: no session waits, so go easier on the host.
inline constexpr std::chrono::milliseconds kFirstContactRetryCap{5000};

// The wait before try number `attempt` (0 for the first after a loss), with
// `draw` uniform in [0, 1): somewhere between half the ceiling and all of it.
std::chrono::milliseconds retry_delay(int attempt, std::chrono::milliseconds cap, double draw);

}  // namespace attune::join
