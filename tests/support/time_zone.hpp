// Sets TZ for this process while it lives, then puts it back: a test can
// read local times in a zone it names (tzdata's names, e.g. "America/New_York").
#pragma once

#include <cstdlib>
#include <ctime>
#include <string>

namespace attune::test {

class Zone {
 public:
  explicit Zone(const char* tz) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    setenv("TZ", tz, 1);
    tzset();
  }
  ~Zone() {
    if (old_.empty()) unsetenv("TZ");
    else setenv("TZ", old_.c_str(), 1);
    tzset();
  }
  Zone(const Zone&) = delete;
  Zone& operator=(const Zone&) = delete;

 private:
  std::string old_;
};

}  // namespace attune::test
