// A repair invitation between the two partners' paired devices, as pure
// rules: what one holds, what makes a draft sendable, who may answer what,
// and what an answer does. Times are UTC milliseconds, always passed in;
// nothing here reads a clock, a file or the network. peer/invite/ keeps
// invitations on disk and carries them to the partner's device.
//
//   inviter                                  invitee
//   draft -> accept_draft -> Waiting   ==>   Waiting (received)
//                                      <==   Offered(i) | Now  -> Agreed
//                                      <==   Other(at)         -> Countered
//   Accept -> Agreed                   ==>   Agreed
//                                      <==   NotYet            -> NotYet
//
// Both devices run apply_answer on the same answer, so they end in the same
// state and agree on the same moment (a "now" answer carries its own time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace attune::invite {

inline constexpr std::size_t kMaxDayBytes = 64;
inline constexpr std::size_t kMaxWordsBytes = 1000;
inline constexpr std::size_t kMaxOffers = 4;
inline constexpr std::size_t kMaxIdBytes = 64;
inline constexpr std::size_t kMaxNameBytes = 64;
// An offered time may lie a little in the past (clocks drift), never more.
inline constexpr int64_t kClockSlackMs = 5 * 60 * 1000;
// And not further ahead than this (a mistyped year).
inline constexpr int64_t kFurthestAheadMs = 90LL * 24 * 60 * 60 * 1000;
// Invitations from the partner that this device keeps while they wait for
// its person's answer (status Waiting); a newer one past that is refused.
inline constexpr std::size_t kMaxUnansweredReceived = 50;

// Which end of the invitation this device is.
enum class Side {
  Sent,      // This device invited.
  Received,  // The partner invited this device.
};

enum class Status {
  Waiting,    // No answer yet.
  Countered,  // The invitee proposed another time; the inviter may accept it.
  Agreed,     // A time is agreed: agreed_utc_ms.
  NotYet,     // The invitee said "not yet". No reason is ever asked.
};

enum class AnswerKind {
  Offered,  // Invitee: one of the offered times (offer_index).
  Now,      // Invitee: now (answered_utc_ms is the moment).
  Other,    // Invitee: another time (at_utc_ms).
  NotYet,   // Invitee: not yet.
  Accept,   // Inviter: yes to the invitee's other time.
};

struct Answer {
  AnswerKind kind = AnswerKind::NotYet;
  std::size_t offer_index = 0;  // Offered.
  int64_t at_utc_ms = 0;        // Other.
  int64_t answered_utc_ms = 0;  // When it was given, by the answerer's clock.
};

// What the inviter types.
struct Draft {
  std::string day;                     // "Tuesday", "the weekend": their words, shown as is.
  std::vector<int64_t> offers_utc_ms;  // A few times, UTC.
  bool offers_now = false;             // "Now" is one of the choices.
  std::string words;                   // Optional: only words the sender chose to add.
};

struct Invitation {
  std::string id;  // Random, made by the inviter's device; the same on both devices.
  Side side = Side::Sent;
  std::string partner_device_id;
  std::string partner_name;  // As the partner chose to be called; may be empty.
  std::string day;
  std::vector<int64_t> offers_utc_ms;  // Sorted, no repeats.
  bool offers_now = false;
  std::string words;
  int64_t created_utc_ms = 0;
  Status status = Status::Waiting;
  std::optional<int64_t> proposed_utc_ms;  // Countered: the invitee's other time.
  std::optional<int64_t> agreed_utc_ms;    // Agreed.
  int64_t updated_utc_ms = 0;
};

// An agreed time with the partner: what the reminder needs.
struct Appointment {
  std::string id;  // The invitation's id.
  std::string partner_device_id;
  std::string partner_name;
  int64_t at_utc_ms = 0;

  friend bool operator==(const Appointment&, const Appointment&) = default;
};

struct Problem {
  std::string message;  // Plain words, shown as is.
};

// The draft made ready to send (text cleaned, times sorted and checked), or
// why not. The shell adds the id, the partner and its side.
std::variant<Invitation, Problem> accept_draft(const Draft& draft, int64_t now_utc_ms);

// An invitation that arrived from the partner, checked like a draft (a
// broken or hostile device gets a Problem, never a crash).
std::variant<Invitation, Problem> accept_received(Invitation received);

// Why a new invitation from the partner can't be kept while `unanswered`
// of its invitations already wait here for an answer, or nullopt when it can.
std::optional<Problem> room_for_received(std::size_t unanswered);

// Why `answer` can't be given on `invitation` by the side `answerer`, or
// nullopt when it can.
std::optional<Problem> answer_problem(const Invitation& invitation, const Answer& answer, Side answerer);

// `invitation` after `answer` (which answer_problem allowed).
Invitation apply_answer(Invitation invitation, const Answer& answer);

// The agreed time, if there is one.
std::optional<Appointment> appointment_of(const Invitation& invitation);
// Every agreed time, soonest first.
std::vector<Appointment> agreed_appointments(const std::vector<Invitation>& invitations);

// "I'd like to come back to what happened on Tuesday. Are you open to it?"
std::string invitation_sentence(std::string_view day);

std::string_view status_name(Status status);    // "waiting", "countered", "agreed", "not_yet".
std::string_view side_name(Side side);          // "sent", "received".
std::string_view answer_name(AnswerKind kind);  // "offered", "now", "other", "not_yet", "accept".
std::optional<AnswerKind> parse_answer_name(std::string_view text);

// "2026-12-02T18:30:00Z" (or without seconds, or with a fraction) as UTC
// milliseconds; nullopt if it isn't one.
std::optional<int64_t> parse_utc_iso(std::string_view text);

}  // namespace attune::invite
