// What a writing box does with text, without drawing it: the display copy
// that wraps a person's words to the box, reading their edits back from it,
// and putting a chosen word in where the caret is. Pure, so it is tested
// without a window.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace attune::app {

// The width of a run of text on screen.
using MeasureText = std::function<float(std::string_view)>;

// The text as the box shows it: where a line would run past `width`, the
// space before the word that overflows becomes a line break. The copy has
// the same length as the text, so a caret means the same place in both; the
// text itself is never changed. A word longer than the line stays whole.
std::string soft_wrapped(std::string_view text, float width, const MeasureText& measure);

// What the person typed, from the display copy before and after an edit:
// the line breaks that wrapping put in read back as the spaces they were;
// everything the edit itself brought (typed, pasted, Enter) is kept as is.
std::string unwrapped_edit(std::string_view text_before, std::string_view shown_before,
                           std::string_view shown_after);

// Puts `words` into `text` at `caret` (a byte offset, clamped and moved off
// the middle of a word or character) with one space either side as needed,
// never before punctuation that follows, and a capital where it starts a
// sentence. Returns where the caret goes: just
// after the words.
std::size_t insert_words(std::string& text, std::size_t caret, std::string_view words);

// What a copy or cut of the display copy's bytes [from, to) takes, as it was
// typed: the same range of the text (the two have the same length), so the
// breaks wrapping put in never reach the clipboard. Nothing selected,
// nothing taken.
std::string typed_range(std::string_view text, std::size_t from, std::size_t to);

}  // namespace attune::app
