// Preparing alone: the rules for what a person writes for themselves before
// a real conversation (what happened, how activated they are, a generous
// reading of the other, and drafts of their share, their part, what they
// want to reassure and a gesture), and which draft a later session offers.
// Pure: time comes in as an argument; nothing here reads a clock or a file.
// A preparation never leaves its device; see peer/prepare/ for where it is
// kept. "With a friend" needs none of this: it is a normal session.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "attune/engine.hpp"

namespace attune::prepare {

// The written parts, in the order the walk asks for them.
enum class Part { What, Generous, Share, OwnPart, Reassure, Gesture };
inline constexpr std::array<Part, 6> kParts = {Part::What,    Part::Generous, Part::Share,
                                               Part::OwnPart, Part::Reassure, Part::Gesture};

inline constexpr std::size_t kMaxWhatBytes = 2 * 1024;
inline constexpr int kNoActivation = -1;
// Above this (the sessions' default threshold) the walk offers the pacer first.
inline constexpr int kPacerAbove = 3;
// A device keeps at most this many; the oldest must be removed first.
inline constexpr std::size_t kMaxPreparations = 200;

// What a person writes. Every part is optional, but not all of them at once.
struct Words {
  std::string what;
  int activation = kNoActivation;  // 0..10, or kNoActivation.
  std::string generous;
  std::string share;
  std::string own_part;
  std::string reassure;
  std::string gesture;
};

struct Preparation {
  int64_t id = 0;          // Given by the store.
  int64_t created_ms = 0;  // UTC.
  int64_t updated_ms = 0;  // UTC; the last edit.
  Words words;
};

// A reason in plain words why something can't be kept.
struct Problem {
  std::string message;
};

// How many bytes a part may hold: what the session itself accepts, so a
// draft can always be sent as it is.
std::size_t max_bytes(Part part);

const std::string& text_of(const Words& words, Part part);
std::string& text_of(Words& words, Part part);

// The words made ready to keep (valid UTF-8, control characters out, each
// part within its size, the activation 0..10), or why not.
std::variant<Words, Problem> accept_words(const Words& words);

// A new preparation at now_ms, or why not.
std::variant<Preparation, Problem> accept_new(const Words& words, int64_t now_ms);
// `before` with its words replaced (created_ms kept, updated_ms now), or why not.
std::variant<Preparation, Problem> accept_edit(const Preparation& before, const Words& words, int64_t now_ms);

// Whether the walk should offer the pacer before going on.
bool wants_pacer(int activation);

// The part a session step asks for, if a preparation can help with it.
// Quick repair's "own part" steps ask for the same part as step 7.
std::optional<Part> part_for_step(v1::Step step);

// The draft a session offers for `part`: from the most recently edited
// preparation that has words for it.
struct Offer {
  int64_t id = 0;
  Part part = Part::Share;
  std::string text;
  int64_t updated_ms = 0;
};
std::optional<Offer> offer_for(const std::vector<Preparation>& preparations, Part part);

// Newest edit first: the history of preparations on this device.
std::vector<Preparation> history_of(std::vector<Preparation> preparations);

// A short line naming a preparation in a list: the start of what happened,
// else of the first part written.
std::string headline(const Words& words, std::size_t max_bytes = 60);

std::string_view part_name(Part part);                  // "what", "generous", "share", ...
std::optional<Part> parse_part(std::string_view name);  // The same names.
std::string_view part_title(Part part);                 // "Your share", ... for screens.

}  // namespace attune::prepare
