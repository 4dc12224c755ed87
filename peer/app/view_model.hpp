// The window-free layer that decides what each screen shows, from a NodeView
// and the current time only. Views draw what these functions return and post
// the intents they name; the unit tests check these without any window.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/session_requests.hpp"
#include "node_api.hpp"

namespace attune::app {

enum class Screen {
  Start,      // Not in a session yet.
  Waiting,    // Connecting, or asked to join and waiting to be let in.
  Lobby,      // Gathering devices and agreeing settings.
  Step,       // One of the nine steps, including its check-in gate.
  Pause,      // A pause is running.
  LongBreak,  // The session waits until an agreed return time.
  Coach,      // A coach's view of a running session.
  Summary,    // Finished together, or stopped.
};

Screen screen_for(const NodeView& snap);

// The status line shown on every screen: honest about the link.
struct ConnectionView {
  enum class Tone { Calm, Notice, Alert };
  Tone tone = Tone::Calm;
  std::string text;           // e.g. "Connected", "Reconnecting...".
  std::string detail;         // One plain sentence, may be empty.
  bool paused_by_it = false;  // The session is paused because someone is away.
};
ConnectionView connection_view(const NodeView& snap);

// What the headless door prints as `closed` and `held`, in the window's own
// words (view_model_link_notes.cpp): why the host closed the link and what
// happens next, and what this device keeps until the check-in. Empty: say nothing.
struct LinkNotes {
  std::string closed;
  std::string held;
};
LinkNotes link_notes(const NodeView& snap);

// What my role is on the floor right now.
enum class FloorRole {
  None,       // Nobody holds the floor (e.g. Name it).
  Speaking,   // I hold the floor.
  Listening,  // The other partner holds it.
  Watching,   // I'm a coach.
};

struct FloorView {
  FloorRole mine = FloorRole::None;
  std::string banner;        // "You have the floor", "Sam is speaking. You're listening."
  std::string speaker_name;  // Empty when nobody holds the floor.
  std::string listener_name;
};
FloorView floor_view(const NodeView& snap);

// The intents a step screen may offer; each flag says whether its button is
// enabled for me now.
struct StepActions {
  bool confirm = false;      // Name it / Benefit of the doubt.
  bool offer_first = false;  // Who goes first.
  bool request_draw = false;
  bool ask_coach = false;
  bool accept_first = false;       // Accept the other's proposal.
  bool write = false;              // May write (share, reflection, turn).
  bool pass_floor = false;         // Speaker or turn holder is done.
  bool finish_reflection = false;  // Listener has reflected.
  bool answer = false;             // Speaker: "Yes, that's it" / "Not quite".
  bool skip_part = false;          // Quick repair, the other partner: "Not this time".
  bool ask_more = false;           // Listener, after mirroring: "Is there more?"
  bool answer_more = false;        // Speaker, when asked: more / that's all.
  bool write_listening = false;    // Listener: the validation or the empathy box.
  bool finish_validation = false;  // Listener: "I've said why it makes sense".
  bool whole_conversation = false; // Quick repair: "This needs the whole conversation".
  bool propose_gesture = false;
  bool check_in = false;  // The gate waits for my rating.
  bool call_pause = false;
};

struct GestureItem {
  uint32_t id = 0;
  std::string text;
  std::string from;  // "You" or the partner's name.
  bool mine = false;
  bool i_accepted = false;
  bool they_accepted = false;
  std::string status;  // "Your idea. Waiting for Sam's answer.", "From Sam. You said yes."
};

struct StepView {
  int number = 0;                  // 1..total; 0 outside the steps.
  int total = 9;                   // 9, or 5 in a quick repair.
  std::string title;               // "Share".
  std::string guidance;            // Two or three short sentences.
  std::string asked_of_me;         // What I do now; empty if nothing.
  std::string waiting_for;         // What I'm waiting for; empty if nothing.
  std::string confirm_label;       // Label of the confirm button (steps 1 and 3).
  std::string pass_label;          // "I'm done sharing", "That's my part".
  std::string answer_yes_label = "Yes, that's it";  // "I feel seen" in a quick repair.
  std::string answer_no_label = "Not quite";
  std::string skip_label;          // Quick repair: the skip button.
  std::string validation_prompt;   // "It makes sense to me that you ... because ..."
  std::string empathy_prompt;      // "I imagine you might feel ..."
  std::string write_label;         // Heading of the optional writing box.
  std::vector<std::string> stems;  // Sentence starters for the writing box.
  bool show_vocabulary = false;    // Offer the feelings and needs picker.
  bool check_hints = false;        // Check blame language in my writing.
  bool check_defences = false;     // Check defensive explanations (answers to the other).
  std::string shared_text_label;   // "What Sam wrote" (empty if none).
  std::string shared_text;         // The other's written share/reflection.
  std::string proposal;            // Who goes first: the other's proposal in words.
  std::string decided;             // "Chance picked Sam to start." (first round only).
  std::vector<GestureItem> gestures;
  std::vector<std::string> gesture_ideas;
  FloorView floor;
  StepActions actions;
};
StepView step_view(const NodeView& snap);

// The check-in gate, without names or numbers of others.
struct GateView {
  bool open = false;         // The session is at a gate now.
  bool i_take_part = false;  // I'm a partner (coaches never check in).
  bool i_checked_in = false;
  bool other_checked_in = false;
  std::string title;   // "Check in before Benefit of the doubt".
  std::string prompt;  // What the check-in is about.
  std::string status;  // "Waiting for one more check-in."
};
GateView gate_view(const NodeView& snap);

// The gate's result as a short line, when a check-in just opened the next
// step (the pause screen speaks for itself otherwise). No names, no numbers.
std::optional<std::string> gate_outcome(v1::Phase before, v1::Step step_before, const State& now);

// Words for a 0..10 rating, shown next to the control on my own device.
std::string level_words(int level);
// Under my own check-ins' plot: how long and how many ("1 check-in").
std::string timeline_span_words(int64_t span_ms, std::size_t check_ins);

struct PauseView {
  std::string title;         // "Taking a moment".
  std::string message;       // Names no one; never a number.
  int64_t seconds_left = 0;  // Minimum pause still to run (0 when over).
  std::string countdown;     // "1:42" or empty when over.
  std::string after;         // What happens when the countdown ends.
  bool long_break_suggested = false;
  bool can_propose_long_break = false;
  bool can_accept_long_break = false;  // The other partner proposed one.
  std::string long_break_proposal;     // "Sam suggests a break until 18:30."
  bool can_extend = false;
  bool can_exit = false;  // The discreet exit (partners).
};
PauseView pause_view(const NodeView& snap, int64_t now_ms);

struct LongBreakView {
  std::string title;
  std::string message;
  std::string return_at;  // "18:30" in local time.
  int64_t seconds_left = 0;
  std::string back_line;  // "Alex is back." / "You're back. Waiting for Sam…"; names, no numbers.
  bool can_return = false;
};
LongBreakView long_break_view(const NodeView& snap, int64_t now_ms);

struct ParticipantRow {
  std::string id;
  std::string name;
  std::string role;  // "Partner", "Coach".
  bool me = false;
  bool connected = false;
  bool admitted = false;
  bool ready = false;
  std::string status;       // "Ready", "Waiting to be let in", "Offline".
  bool can_accept = false;  // I may let this device in now.
  bool can_decline = false;
};

struct LobbyView {
  std::string title;
  std::string other_name;  // The other partner, or "Your partner".
  std::string intro;
  std::vector<ParticipantRow> people;
  std::vector<std::string> who_sees_what;  // Plain sentences, shown before starting.
  bool can_edit_settings = false;
  bool i_am_ready = false;
  bool can_toggle_ready = false;
  bool can_share_with_coach = false;
  bool sharing_with_coach = false;
  bool has_coach = false;
  std::string start_status;  // What still has to happen before we start.
  bool can_leave = false;    // Guests may leave the lobby.
  bool can_close = false;    // The host closes the session instead.
  std::string kind_line;     // The agreed kind in words, e.g. who is reaching out.
  // A session "Start now" began for the paired partner: their device comes
  // in by itself (its row says "On the way", with no "Let in"), and a code
  // for anyone else waits behind "Pair someone else".
  bool start_now = false;
  std::string partner_waiting;  // "Waiting for Sam. Their device comes in ..." ("" once they're in).
};
// `start_now`: the session "Start now" began (empty for any other session).
LobbyView lobby_view(const NodeView& snap, const PartnerSession& start_now = {});

// The other partner changed the agreed settings: who changed what, in one
// sentence ("" if nothing a person would notice changed).
std::string settings_change_line(const v1::Settings& before, const v1::Settings& now, const std::string& who);

struct CoachView {
  std::string step_line;   // "Step 5 of 9: Share".
  std::string headline;    // What is asked of the coach now: "Listen along", "Choose who starts".
  std::string phase_line;  // "Sam has the floor", "Check-in: 1 of 2 in", "Paused".
  std::string progress;    // Each partner in this step: "Alex is done; waiting for Sam."
  std::string timer_line;  // "In this step for 4:12", pause countdown.
  std::vector<ParticipantRow> people;
  struct Level {
    std::string name;
    int level = 0;
    int64_t at_ms = 0;
    std::string label;  // "Alex · Step 5: Share · 18:30".
  };
  // Numbers show only while both partners share them: one partner's low
  // number next to a pause would point at the other. Newest first.
  std::vector<Level> levels;
  std::vector<std::string> not_sharing;  // Names of partners who keep their numbers.
  std::string levels_note;               // Why a shared number is held back ("" if none is).
  bool can_call_pause = false;
  bool can_extend_pause = false;
  bool asked_to_pick_first = false;
  std::string partner_a_name;
  std::string partner_b_name;
  std::string shared_text_label;
  std::string shared_text;
  std::string decided;  // Who starts and how it was decided (first round only).
};
CoachView coach_view(const NodeView& snap, int64_t now_ms);

// A partner who joined, next to "Show my check-in numbers to the coach":
// each coach's check number as the host named it, and what it means now.
struct CoachCheckRow {
  std::string coach_id;
  std::string number;   // "5703 9456 6690", as the coach's screen shows its own.
  std::string heading;  // "Jo's check number".
  std::string words;    // Plain words: what to do, or what it means now.
  bool ask = false;     // Offer "They match" and "They don't match".
  bool matched = false;
};
std::vector<CoachCheckRow> coach_check_rows(const NodeView& snap);
// A coach's own check number for its screens ("" for anyone else).
std::string my_check_number_line(const NodeView& snap);

struct SummaryView {
  bool completed = false;  // Finished together (vs stopped).
  std::string title;
  std::string message;
  int steps_reached = 0;  // 1..steps_total.
  int steps_total = 9;    // 5 for a quick repair that stayed quick.
  std::string kind;       // "Quick repair", "Whole conversation", "Quick, then the whole conversation".
  int64_t duration_ms = 0;
  std::string duration;  // "42 min".
  uint32_t pauses = 0;
  std::vector<PrivateCheckIn> timeline;  // My own ratings only.
};
SummaryView summary_view(const NodeView& snap, int64_t now_ms);

// The gesture both partners accepted in step 9 ("" if none).
std::string agreed_gesture(const State& s);

// Step number 1..9 for a step (0 for lobby and ends).
int step_number(v1::Step step);

// --- Quick repair (view_model_quick.cpp) ---
// A quick repair that has not moved into the nine steps.
bool quick_running(const State& s);
// How many parts this session has (9, or 5 for a quick repair), and where it is.
int step_count(const State& s);
int step_number_in(const State& s);
// Which kind of repair a session was, as summaries and history keep it.
enum class RepairKindRecord { Full = 0, Quick = 1, QuickThenFull = 2 };
RepairKindRecord kind_record(const State& s);
// "Quick repair", "Whole conversation", "Quick, then the whole conversation".
std::string kind_words(RepairKindRecord kind);
// 5 for a quick repair, 9 otherwise.
int steps_total(RepairKindRecord kind);
// A kind in a sentence, from my seat: "A few minutes, for a small moment. Sam is reaching out."
std::string kind_line(const State& s, v1::Role me);
// Fills a step view for the quick repair's own steps (acknowledge, own part, other part).
void fill_quick_step(const NodeView& snap, StepView& v);
// Fills a step view for step 6, with deeper listening (view_model_listening.cpp).
void fill_reflect_step(const NodeView& snap, StepView& v);
// The floor banner in step 6 (`holder` has the floor, `other` listens).
std::string listening_banner(const v1::Round& round, bool mine, const std::string& holder,
                             const std::string& other);
// What the coach reads in a quick step: the words written in it, if any.
void quick_coach_text(const State& s, std::string& label, std::string& text);
// The floor banner while acknowledging; empty for the other steps.
std::string quick_banner(const State& s, bool mine, const std::string& holder, const std::string& other);

// "1:05", "12:00", "1:02:03".
std::string format_clock(int64_t seconds);
// "about 40 min", "under a minute", "1 h 5 min".
std::string format_duration(int64_t ms);
// "18:30" in local time.
std::string format_local_time(int64_t ms);

// The name people see for a partner, or a kind default.
std::string name_for(const State& state, v1::Role role);

}  // namespace attune::app
