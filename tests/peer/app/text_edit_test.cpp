// The writing box's text rules without a window: the display copy, edits
// read back from it, and a chosen word put in at the caret.
#include "app/text_edit.hpp"

#include <gtest/gtest.h>

namespace attune::app {
namespace {

// Every byte is one unit wide.
float width_of(std::string_view s) { return static_cast<float>(s.size()); }

TEST(TextEdit, TheDisplayCopyWrapsAtSpacesAndKeepsTheLength) {
  const std::string text = "one two three four five";
  const std::string shown = soft_wrapped(text, 9, width_of);
  EXPECT_EQ(shown, "one two\nthree\nfour five");
  EXPECT_EQ(shown.size(), text.size());
  EXPECT_EQ(soft_wrapped("a\nbb cc", 4, width_of), "a\nbb\ncc");   // Typed breaks stay.
  EXPECT_EQ(soft_wrapped("enormously long", 4, width_of), "enormously\nlong");  // A long word stays whole.
}

TEST(TextEdit, AnEditReadsBackAsTypedWithoutTheWrappingBreaks) {
  const std::string text = "one two three";
  const std::string shown = soft_wrapped(text, 8, width_of);  // "one two\nthree"
  ASSERT_EQ(shown, "one two\nthree");
  EXPECT_EQ(unwrapped_edit(text, shown, "one two\nthree!"), "one two three!");
  EXPECT_EQ(unwrapped_edit(text, shown, "one two\nthreeX"), "one two threeX");
  // Enter typed at the break's place is a real line break.
  EXPECT_EQ(unwrapped_edit(text, shown, "one two\n\nthree"), "one two \nthree");
  // Deleting the wrapping break deletes the space it stands for.
  EXPECT_EQ(unwrapped_edit(text, shown, "one twothree"), "one twothree");
}

TEST(TextEdit, AWordGoesInAtTheCaretWithSensibleSpacesAndCapitals) {
  std::string t = "I felt when you left.";
  EXPECT_EQ(insert_words(t, 7, "lonely"), 13u);
  EXPECT_EQ(t, "I felt lonely when you left.");
  t = "I felt alone.";
  insert_words(t, t.size(), "lonely");
  EXPECT_EQ(t, "I felt alone. Lonely");
  t = "I felt alone.";
  insert_words(t, 12, "and lonely");  // Just before the full stop.
  EXPECT_EQ(t, "I felt alone and lonely.");
  t = "I felt";
  insert_words(t, 3, "sad");  // Mid-word: after the word, never splitting it.
  EXPECT_EQ(t, "I felt sad");
  t.clear();
  insert_words(t, 0, "tired");
  EXPECT_EQ(t, "Tired");
}

TEST(TextEdit, ACopyTakesTheTypedBytesNotTheDisplayCopys) {
  const std::string text = "one two three";
  const std::string shown = soft_wrapped(text, 8, width_of);  // "one two\nthree"
  ASSERT_EQ(shown, "one two\nthree");
  EXPECT_EQ(typed_range(text, 4, 13), "two three");
  EXPECT_EQ(typed_range(text, 13, 4), "two three");  // Selected backwards.
  EXPECT_EQ(typed_range(text, 4, 99), "two three");
  EXPECT_EQ(typed_range(text, 5, 5), "");
}

}  // namespace
}  // namespace attune::app
