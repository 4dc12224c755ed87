// Text checks and repairs for everything a person (or another device) hands
// us: arguments, stdin, the window, the wire and the disk all pass text
// through here before it is kept, shown or sent.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace attune {

// True when `text` is well-formed UTF-8 (protobuf strings must be).
bool is_valid_utf8(std::string_view text);

// `text` as valid UTF-8: unchanged when it already is; otherwise every byte
// is read as Latin-1, which is what a byte such as 0xE9 from an older
// terminal means ("Jos\xE9" -> "José"). Never fails.
std::string repair_utf8(std::string_view text);

// For one line shown on a terminal, in a log or in the window: valid UTF-8,
// with every control character (C0, DEL, C1) and bidirectional override or
// isolate removed; tabs and line breaks become spaces. Nothing in the result
// can move a cursor, retitle a terminal or flip the reading direction.
std::string sanitize_display_text(std::string_view text);

// For a share, reflection or gesture: like sanitize_display_text but keeps
// line breaks and tabs (CR LF and lone CR become LF).
std::string sanitize_share_text(std::string_view text);

// True when `text` shows nothing: only spaces, no-break spaces, zero-width
// and other invisible format characters (or nothing at all).
bool is_invisible(std::string_view text);

// A display name made safe to show: sanitized, with invisible characters
// trimmed from both ends and runs of spaces inside kept as they are. Empty
// when nothing visible is left.
std::string clean_name(std::string_view name);

// Why a cleaned name can't be used, in plain words (empty when it can).
// `what` is "name" or "session name".
std::string name_problem(std::string_view cleaned, std::size_t max_bytes, std::string_view what);

// `name`, or "name (2)", "name (3)"... so that it differs from every entry
// of `taken` (compared ignoring ASCII case).
std::string distinct_name(const std::string& name, const std::vector<std::string>& taken);

// The longest prefix of `text` of at most max_bytes that doesn't split a
// UTF-8 character.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

// `text` without leading and trailing ASCII white space.
std::string_view trim(std::string_view text);

// True when `text` holds an ASCII control character other than tab/newline.
bool has_control_chars(std::string_view text);

}  // namespace attune
