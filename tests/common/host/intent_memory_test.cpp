// The host's bounded memory of answered intents.
#include "attune/host/intent_memory.hpp"

#include <gtest/gtest.h>

namespace attune::host {
namespace {

v1::Refusal refusal(const std::string& words) {
  v1::Refusal r;
  r.set_code(v1::REFUSAL_CODE_NOT_ADMITTED);
  r.set_message(words);
  return r;
}

TEST(IntentMemory, AResendGetsItsFirstAnswer) {
  IntentMemory memory;
  memory.remember_applied("i-1", 7);
  memory.remember_refused("i-2", refusal("not yet in"));
  ASSERT_NE(memory.find("i-1"), nullptr);
  EXPECT_EQ(memory.find("i-1")->seq, 7u);
  EXPECT_FALSE(memory.find("i-1")->refusal);
  ASSERT_NE(memory.find("i-2"), nullptr);
  EXPECT_EQ(memory.find("i-2")->refusal->message(), "not yet in");
  EXPECT_EQ(memory.find("i-3"), nullptr);
}

// 20,000 refused intents (what a device in the lobby sent in the issue)
// leave at most kRememberedRefusals, and never push out applied ones.
TEST(IntentMemory, RefusalsAreBoundedAndKeepTheNewest) {
  IntentMemory memory;
  memory.remember_applied("applied", 1);
  for (int i = 0; i < 20'000; ++i) memory.remember_refused("r-" + std::to_string(i), refusal("no"));
  EXPECT_EQ(memory.size(), kRememberedRefusals + 1);
  EXPECT_EQ(memory.find("r-0"), nullptr);
  EXPECT_NE(memory.find("r-19999"), nullptr);
  EXPECT_NE(memory.find("r-" + std::to_string(20'000 - kRememberedRefusals)), nullptr);
  EXPECT_NE(memory.find("applied"), nullptr);
}

TEST(IntentMemory, AppliedIdsAreBoundedAndKeepTheNewest) {
  IntentMemory memory(3, 2);
  for (int i = 1; i <= 5; ++i) memory.remember_applied("a-" + std::to_string(i), static_cast<uint64_t>(i));
  EXPECT_EQ(memory.size(), 3u);
  EXPECT_EQ(memory.find("a-2"), nullptr);
  EXPECT_NE(memory.find("a-3"), nullptr);
  // Remembering a known id again keeps one entry.
  memory.remember_applied("a-5", 5);
  EXPECT_EQ(memory.size(), 3u);
}

}  // namespace
}  // namespace attune::host
