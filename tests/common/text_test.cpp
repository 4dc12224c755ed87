// The one text validator every door uses: UTF-8 checks and repairs,
// neutralizing control characters, names, and what may leave as an intent.
#include "attune/text.hpp"

#include <gtest/gtest.h>

#include "attune/intent_limits.hpp"
#include "attune/proto_text.hpp"
#include "attune/intents.hpp"

namespace attune {
namespace {

TEST(Text, StrictValidatorRefusesBrokenUtf8) {
  EXPECT_TRUE(is_valid_utf8("José 😀 ありがとう"));
  EXPECT_FALSE(is_valid_utf8("Jos\xE9"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // Overlong "/".
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // A surrogate.
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // Past U+10FFFF.
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // Cut short.
}

TEST(Text, Latin1BytesAreReadAsWhatThePersonMeant) {
  EXPECT_EQ(repair_utf8("Jos\xE9"), "José");
  EXPECT_EQ(repair_utf8("Zo\xEB und J\xFCrgen"), "Zoë und Jürgen");
  EXPECT_EQ(repair_utf8("already fine: é"), "already fine: é");
  for (const std::string bad : {"\xFF\xFE", "\xC0",
                                "a\x80"
                                "b"})
    EXPECT_TRUE(is_valid_utf8(repair_utf8(bad)));
}

TEST(Text, DisplayTextCannotDriveATerminal) {
  const std::string hostile =
      "\x1B]0;pwned\x07\x1B[2J\x1B[31mhi\r\n\xC2\x9B"
      "1m\u202Eevil\u2066x\u2069";
  const std::string shown = sanitize_display_text(hostile);
  for (const char c : shown) EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7F) << shown;
  EXPECT_EQ(shown.find("\xC2\x9B"), std::string::npos);  // C1 CSI.
  EXPECT_EQ(shown.find("\u202E"), std::string::npos);
  EXPECT_EQ(shown.find("\u2066"), std::string::npos);
  EXPECT_NE(shown.find("evil"), std::string::npos);
  EXPECT_TRUE(is_valid_utf8(sanitize_display_text("Jos\xE9\x1B")));
}

TEST(Text, SharesKeepTheirWordsLinesAndTabs) {
  EXPECT_EQ(sanitize_share_text("I felt\r\nalone\rthen\tcalm\x07\x1B[2J\0x"), "I felt\nalone\nthen\tcalm[2J");
  EXPECT_EQ(sanitize_share_text(std::string("a\0b", 3)), "ab");
  EXPECT_EQ(sanitize_share_text("\u202Ereversed"), "reversed");
  EXPECT_EQ(sanitize_share_text("שלום, مرحبا, 你好 ❤️‍🔥"),
            "שלום, مرحبا, 你好 ❤️‍🔥");
}

TEST(Text, NamesKeepEveryScriptAndEmoji) {
  for (const std::string name : {"José", "Zoë", "Nguyễn Thị", "김민준", "محمد", "דנה", "Саша", "佐藤",
                                 "Priya 🌻", "👩🏽‍💻", "❤️"}) {
    EXPECT_EQ(clean_name(name), name);
    EXPECT_EQ(name_problem(clean_name(name), 64, "name"), "");
  }
  EXPECT_EQ(clean_name("  Sam \u200B"), "Sam");
  EXPECT_EQ(clean_name("\u202ESam\xC2\x9B"), "Sam");
  EXPECT_EQ(clean_name("Jos\xE9"), "José");
}

TEST(Text, InvisibleEmptyAndHugeNamesAreRefusedInWords) {
  for (const std::string name :
       {"", "   ", "\u00A0\u200B", "\u200D\uFE0F", "\u3164", "\x1B[0m", "\u2800\u200B"}) {
    const std::string cleaned = clean_name(name);
    if (name == "\x1B[0m") continue;  // Visible once the escape is gone: "[0m".
    EXPECT_EQ(cleaned, "") << name;
    EXPECT_NE(name_problem(cleaned, 64, "name").find("letter"), std::string::npos);
  }
  EXPECT_NE(name_problem(clean_name(std::string(70000, 'x')), 64, "session name").find("long"),
            std::string::npos);
}

TEST(Text, TwoPeopleWithOneNameAreToldApart) {
  EXPECT_EQ(distinct_name("Casey", {"Alex", "Blake"}), "Casey");
  EXPECT_EQ(distinct_name("Casey", {"Alex", "casey"}), "Casey (2)");
  EXPECT_EQ(distinct_name("Casey", {"Casey", "Casey (2)"}), "Casey (3)");
}

TEST(Text, PrefixesNeverSplitACharacter) {
  EXPECT_EQ(utf8_prefix("héllo", 2), "h");
  EXPECT_EQ(utf8_prefix("héllo", 3), "hé");
  EXPECT_EQ(utf8_prefix("😀", 3), "");
  EXPECT_EQ(utf8_prefix("abc", 10), "abc");
}

TEST(ProtoText, AStateWithALatin1NameStillParses) {
  v1::SessionState state;
  state.set_session_name("Our Sunday");
  auto* p = state.add_participants();
  p->set_id("dev-1");
  p->set_display_name("Jos\xE9");  // What an older version could store.
  std::string wire;
  state.SerializeToString(&wire);
  v1::SessionState strict;
  EXPECT_FALSE(strict.ParseFromString(wire));
  v1::SessionState read;
  bool repaired = false;
  ASSERT_TRUE(parse_repairing(wire, read, &repaired));
  EXPECT_TRUE(repaired);
  EXPECT_EQ(read.participants(0).display_name(), "José");
  EXPECT_EQ(read.session_name(), "Our Sunday");
  v1::SessionState back;
  EXPECT_TRUE(back.ParseFromString(serialize_readable(state)));
  EXPECT_FALSE(parse_repairing("\xFF\xFF\xFF", read));
}

// proto/README.md field limits (reader 4, gap 11): a listener who wrote the
// longest validation and then the longest empathy the engine allows can send
// them; the whole-intent check at the door never refuses what each field allows.
TEST(IntentLimits, BothListeningTextsAtTheirLongestMayBeSent) {
  const Intent both = intents::write_listening(std::string(kMaxTextBytes, 'v'), std::string(kMaxTextBytes, 'e'));
  ASSERT_GT(both.ByteSizeLong(), 16u * 1024) << "the case this test is about";
  const auto refusal = check_outgoing_intent(both);
  EXPECT_FALSE(refusal) << refusal->message();
  EXPECT_GE(kMaxIntentBytes, both.ByteSizeLong() + 1024) << "leave room for the intent's other fields";
}

TEST(IntentLimits, TooBigOrUnreadableIntentsNeverLeave) {
  const Intent ok = intents::write(std::string(kMaxTextBytes, 'x'));
  EXPECT_FALSE(check_outgoing_intent(ok));
  const Intent big = intents::write(std::string(65500, 'x'));
  const auto refusal = check_outgoing_intent(big);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->code(), v1::REFUSAL_CODE_BAD_INPUT);
  EXPECT_NE(refusal->message().find("too long"), std::string::npos);
  Intent bad;
  bad.mutable_join()->set_display_name("Jos\xE9");
  EXPECT_TRUE(check_outgoing_intent(bad));
}

}  // namespace
}  // namespace attune
