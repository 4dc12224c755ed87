// The hidden test options are doors too: a value that isn't a sane number
// is refused at start with a sentence naming the option, never wrapped.
#include <gtest/gtest.h>

#include "peer_process.hpp"

namespace attune::test {
namespace {

TEST(HiddenOptions, AClockOffsetThatIsNotASaneNumberIsRefusedAtStart) {
  for (const char* bad : {"soon", "", "1e3", "0x10", "12ms", "99999999999999999999", "9223372036854775807",
                          "-9223372036854775808", "-99999999999999999999", "31622400001", "-31622400001"}) {
    TempDir dir;
    std::string err;
    EXPECT_EQ(run_to_exit(ATTUNE_BINARY,
                          {"--headless", "--data-dir", dir.path().string(), "--clock-offset-ms", bad, "reminder",
                           "list"},
                          dir, &err),
              1)
        << "accepted --clock-offset-ms " << bad;
    EXPECT_NE(err.find("--clock-offset-ms"), std::string::npos) << bad << ": " << err;
    EXPECT_NE(err.find("whole number of milliseconds"), std::string::npos) << bad << ": " << err;
    EXPECT_NE(err.rfind("--clock-offset-ms", 0), std::string::npos) << "the option is named first: " << err;
  }
  for (const char* fine : {"0", "7200000", "-3600000", "31622400000"}) {
    TempDir dir;
    std::string err;
    EXPECT_EQ(run_to_exit(ATTUNE_BINARY,
                          {"--headless", "--data-dir", dir.path().string(), "--clock-offset-ms", fine, "reminder",
                           "list"},
                          dir, &err),
              0)
        << fine << ": " << err;
  }
}

}  // namespace
}  // namespace attune::test
