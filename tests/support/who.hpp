// The three people in a test session: partner A (the host), partner B, a coach.
#pragma once

namespace attune::test {

enum class Who { A, B, Coach };

}  // namespace attune::test
