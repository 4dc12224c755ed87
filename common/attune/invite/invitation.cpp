#include "attune/invite/invitation.hpp"

#include <algorithm>
#include <charconv>

#include "attune/crypto/device_identity.hpp"
#include "attune/text.hpp"

namespace attune::invite {

namespace {

std::optional<Problem> text_problem(std::string& day, std::string& words, std::string& name) {
  day = clean_name(day);
  if (day.empty()) return Problem{"Say which day or moment you'd like to come back to, e.g. \"Tuesday\"."};
  if (day.size() > kMaxDayBytes) return Problem{"The day is a little long; a few words are plenty."};
  words = std::string(trim(sanitize_share_text(words)));
  if (is_invisible(words)) words.clear();
  if (words.size() > kMaxWordsBytes)
    return Problem{
        "Your words are longer than an invitation holds (about 1000 letters). A shorter note is enough."};
  name = clean_name(name);
  if (name.size() > kMaxNameBytes) name = std::string(utf8_prefix(name, kMaxNameBytes));
  return std::nullopt;
}

std::optional<Problem> offers_problem(std::vector<int64_t>& offers, bool offers_now) {
  std::sort(offers.begin(), offers.end());
  offers.erase(std::unique(offers.begin(), offers.end()), offers.end());
  if (offers.empty() && !offers_now) return Problem{"Offer at least one time, or \"now\"."};
  if (offers.size() > kMaxOffers) return Problem{"A few times are plenty: offer at most four."};
  return std::nullopt;
}

bool time_in_range(int64_t at, int64_t now) {
  return at >= now - kClockSlackMs && at <= now + kFurthestAheadMs;
}

bool plausible_id(std::string_view id) {
  return !id.empty() && id.size() <= kMaxIdBytes && crypto::valid_device_id(id);
}

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<int> digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return std::nullopt;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + count, value);
  if (ec != std::errc() || end != text.data() + at + count) return std::nullopt;
  return value;
}

}  // namespace

std::variant<Invitation, Problem> accept_draft(const Draft& draft, int64_t now_utc_ms) {
  Invitation inv;
  inv.day = draft.day;
  inv.words = draft.words;
  inv.offers_utc_ms = draft.offers_utc_ms;
  inv.offers_now = draft.offers_now;
  std::string no_name;
  if (auto p = text_problem(inv.day, inv.words, no_name)) return *p;
  if (auto p = offers_problem(inv.offers_utc_ms, inv.offers_now)) return *p;
  for (const int64_t at : inv.offers_utc_ms)
    if (!time_in_range(at, now_utc_ms))
      return Problem{"Each time you offer should be from now on, and within the next three months."};
  inv.created_utc_ms = inv.updated_utc_ms = now_utc_ms;
  return inv;
}

std::variant<Invitation, Problem> accept_received(Invitation received) {
  if (!plausible_id(received.id)) return Problem{"The invitation arrived without a usable id."};
  if (auto p = text_problem(received.day, received.words, received.partner_name)) return *p;
  if (auto p = offers_problem(received.offers_utc_ms, received.offers_now)) return *p;
  received.side = Side::Received;
  received.status = Status::Waiting;
  received.proposed_utc_ms.reset();
  received.agreed_utc_ms.reset();
  return received;
}

std::optional<Problem> room_for_received(std::size_t unanswered) {
  if (unanswered < kMaxUnansweredReceived) return std::nullopt;
  return Problem{std::to_string(kMaxUnansweredReceived) +
                 " invitations are already waiting for an answer on the receiving device, so this one wasn't "
                 "kept. Once some of them are answered, it can be sent again."};
}

std::optional<Problem> answer_problem(const Invitation& inv, const Answer& answer, Side answerer) {
  const bool invitee = answerer == Side::Received;
  switch (answer.kind) {
    case AnswerKind::Offered:
    case AnswerKind::Now:
    case AnswerKind::Other:
    case AnswerKind::NotYet:
      if (!invitee) return Problem{"Only your partner answers your invitation."};
      if (inv.status != Status::Waiting) return Problem{"This invitation already has an answer."};
      break;
    case AnswerKind::Accept:
      if (invitee) return Problem{"Your partner is the one to accept the time you proposed."};
      if (inv.status != Status::Countered) return Problem{"There is no other time to accept yet."};
      return std::nullopt;
  }
  if (answer.kind == AnswerKind::Offered && answer.offer_index >= inv.offers_utc_ms.size())
    return Problem{"That time wasn't one of those offered."};
  if (answer.kind == AnswerKind::Now && !inv.offers_now) return Problem{"\"Now\" wasn't one of the choices."};
  if (answer.kind == AnswerKind::Other && !time_in_range(answer.at_utc_ms, answer.answered_utc_ms))
    return Problem{"The other time should be from now on, and within the next three months."};
  return std::nullopt;
}

Invitation apply_answer(Invitation inv, const Answer& answer) {
  inv.updated_utc_ms = answer.answered_utc_ms;
  switch (answer.kind) {
    case AnswerKind::Offered:
      inv.status = Status::Agreed;
      inv.agreed_utc_ms = inv.offers_utc_ms.at(answer.offer_index);
      break;
    case AnswerKind::Now:
      inv.status = Status::Agreed;
      inv.agreed_utc_ms = answer.answered_utc_ms;
      break;
    case AnswerKind::Other:
      inv.status = Status::Countered;
      inv.proposed_utc_ms = answer.at_utc_ms;
      break;
    case AnswerKind::NotYet:
      inv.status = Status::NotYet;
      break;
    case AnswerKind::Accept:
      inv.status = Status::Agreed;
      inv.agreed_utc_ms = inv.proposed_utc_ms;
      break;
  }
  return inv;
}

std::optional<Appointment> appointment_of(const Invitation& inv) {
  if (inv.status != Status::Agreed || !inv.agreed_utc_ms) return std::nullopt;
  return Appointment{inv.id, inv.partner_device_id, inv.partner_name, *inv.agreed_utc_ms};
}

std::vector<Appointment> agreed_appointments(const std::vector<Invitation>& invitations) {
  std::vector<Appointment> out;
  for (const auto& inv : invitations)
    if (auto a = appointment_of(inv)) out.push_back(*a);
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.at_utc_ms < b.at_utc_ms; });
  return out;
}

std::string invitation_sentence(std::string_view day) {
  return "I'd like to come back to what happened on " + std::string(day) + ". Are you open to it?";
}

std::string_view status_name(Status status) {
  switch (status) {
    case Status::Waiting:
      return "waiting";
    case Status::Countered:
      return "countered";
    case Status::Agreed:
      return "agreed";
    case Status::NotYet:
      return "not_yet";
  }
  return "waiting";
}

std::string_view side_name(Side side) { return side == Side::Sent ? "sent" : "received"; }

std::string_view answer_name(AnswerKind kind) {
  switch (kind) {
    case AnswerKind::Offered:
      return "offered";
    case AnswerKind::Now:
      return "now";
    case AnswerKind::Other:
      return "other";
    case AnswerKind::NotYet:
      return "not_yet";
    case AnswerKind::Accept:
      return "accept";
  }
  return "not_yet";
}

std::optional<AnswerKind> parse_answer_name(std::string_view text) {
  for (const auto kind :
       {AnswerKind::Offered, AnswerKind::Now, AnswerKind::Other, AnswerKind::NotYet, AnswerKind::Accept})
    if (answer_name(kind) == text) return kind;
  return std::nullopt;
}

std::optional<int64_t> parse_utc_iso(std::string_view t) {
  // YYYY-MM-DDTHH:MM[:SS[.fff]]Z
  if (t.size() < 17 || t.back() != 'Z' || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != ' ') ||
      t[13] != ':')
    return std::nullopt;
  const auto y = digits(t, 0, 4), mo = digits(t, 5, 2), d = digits(t, 8, 2), h = digits(t, 11, 2),
             mi = digits(t, 14, 2);
  if (!y || !mo || !d || !h || !mi) return std::nullopt;
  int s = 0;
  int frac = 0;
  std::size_t at = 16;
  if (t[at] == ':') {
    const auto sec = digits(t, at + 1, 2);
    if (!sec) return std::nullopt;
    s = *sec;
    at += 3;
    if (t[at] == '.') {
      const auto f = digits(t, at + 1, 3);
      if (!f) return std::nullopt;
      frac = *f;
      at += 4;
    }
  }
  if (at != t.size() - 1) return std::nullopt;
  if (*mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 || s > 59) return std::nullopt;
  const int64_t days = days_from_civil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d));
  return ((days * 24 + *h) * 60 + *mi) * 60000 + s * 1000LL + frac;
}

}  // namespace attune::invite
