#include "invite/letters.hpp"

#include <sodium.h>

#include "attune/crypto/bytes.hpp"
#include "attune/text.hpp"

namespace attune::invite {

namespace {

v1::InviteAnswerKind wire_kind(AnswerKind kind) {
  switch (kind) {
    case AnswerKind::Offered: return v1::INVITE_ANSWER_KIND_OFFERED;
    case AnswerKind::Now: return v1::INVITE_ANSWER_KIND_NOW;
    case AnswerKind::Other: return v1::INVITE_ANSWER_KIND_OTHER;
    case AnswerKind::NotYet: return v1::INVITE_ANSWER_KIND_NOT_YET;
    case AnswerKind::Accept: return v1::INVITE_ANSWER_KIND_ACCEPT;
  }
  return v1::INVITE_ANSWER_KIND_UNSPECIFIED;
}

std::optional<AnswerKind> pure_kind(v1::InviteAnswerKind kind) {
  switch (kind) {
    case v1::INVITE_ANSWER_KIND_OFFERED: return AnswerKind::Offered;
    case v1::INVITE_ANSWER_KIND_NOW: return AnswerKind::Now;
    case v1::INVITE_ANSWER_KIND_OTHER: return AnswerKind::Other;
    case v1::INVITE_ANSWER_KIND_NOT_YET: return AnswerKind::NotYet;
    case v1::INVITE_ANSWER_KIND_ACCEPT: return AnswerKind::Accept;
    default: return std::nullopt;
  }
}

std::string clean_partner_name(const std::string& name) {
  const std::string cleaned = clean_name(name);
  return std::string(utf8_prefix(cleaned, kMaxNameBytes));
}

std::variant<Invitation, Problem> arrived_invitation(const v1::PartnerInvitation& w,
                                                     const std::optional<Invitation>& current,
                                                     const std::string& partner_device_id) {
  if (current) return Problem{"This invitation is already here."};
  if (w.offers_utc_ms_size() > static_cast<int>(kMaxOffers)) return Problem{"The invitation offers too many times."};
  Invitation inv;
  inv.id = w.invitation_id();
  inv.partner_device_id = partner_device_id;
  inv.partner_name = w.sender_name();
  inv.day = w.day();
  inv.offers_utc_ms.assign(w.offers_utc_ms().begin(), w.offers_utc_ms().end());
  inv.offers_now = w.offers_now();
  inv.words = w.words();
  inv.created_utc_ms = inv.updated_utc_ms = w.created_utc_ms();
  return accept_received(std::move(inv));
}

std::variant<Invitation, Problem> arrived_answer(const v1::InvitationAnswer& w,
                                                 const std::optional<Invitation>& current) {
  if (!current) return Problem{"An answer came for an invitation this device doesn't have."};
  const auto kind = pure_kind(w.kind());
  if (!kind) return Problem{"An answer came that this Attune doesn't understand."};
  Answer a;
  a.kind = *kind;
  a.offer_index = w.offer_index();
  a.at_utc_ms = w.at_utc_ms();
  a.answered_utc_ms = w.answered_utc_ms();
  // The partner answers from the other end of the invitation.
  const Side answerer = current->side == Side::Sent ? Side::Received : Side::Sent;
  if (auto p = answer_problem(*current, a, answerer)) return *p;
  Invitation next = apply_answer(*current, a);
  if (const std::string name = clean_partner_name(w.sender_name()); !name.empty()) next.partner_name = name;
  return next;
}

}  // namespace

std::string random_id() {
  std::array<std::uint8_t, 16> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return crypto::to_hex(crypto::view_of(bytes));
}

v1::InviteLetter invitation_letter(const Invitation& inv, const std::string& letter_id, const std::string& my_name) {
  v1::InviteLetter letter;
  letter.set_letter_id(letter_id);
  auto* w = letter.mutable_invitation();
  w->set_invitation_id(inv.id);
  w->set_day(inv.day);
  for (const int64_t at : inv.offers_utc_ms) w->add_offers_utc_ms(at);
  w->set_offers_now(inv.offers_now);
  w->set_words(inv.words);
  w->set_created_utc_ms(inv.created_utc_ms);
  w->set_sender_name(my_name);
  return letter;
}

v1::InviteLetter answer_letter(const std::string& invitation_id, const Answer& a, const std::string& letter_id,
                               const std::string& my_name) {
  v1::InviteLetter letter;
  letter.set_letter_id(letter_id);
  auto* w = letter.mutable_answer();
  w->set_invitation_id(invitation_id);
  w->set_kind(wire_kind(a.kind));
  w->set_offer_index(static_cast<std::uint32_t>(a.offer_index));
  w->set_at_utc_ms(a.at_utc_ms);
  w->set_answered_utc_ms(a.answered_utc_ms);
  w->set_sender_name(my_name);
  return letter;
}

std::variant<Invitation, Problem> arrived(const v1::InviteLetter& letter, const std::optional<Invitation>& current,
                                          const std::string& partner_device_id) {
  if (current && current->partner_device_id != partner_device_id)
    return Problem{"A letter came about an invitation with someone else."};
  switch (letter.body_case()) {
    case v1::InviteLetter::kInvitation: return arrived_invitation(letter.invitation(), current, partner_device_id);
    case v1::InviteLetter::kAnswer: return arrived_answer(letter.answer(), current);
    case v1::InviteLetter::BODY_NOT_SET: break;
  }
  return Problem{"An empty letter came."};
}

std::string invitation_id_of(const v1::InviteLetter& letter) {
  if (letter.has_invitation()) return letter.invitation().invitation_id();
  if (letter.has_answer()) return letter.answer().invitation_id();
  return {};
}

}  // namespace attune::invite
