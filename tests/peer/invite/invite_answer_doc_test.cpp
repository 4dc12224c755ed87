// proto/INVITE.md section 4 (reader 10, L6): an answer whose kind is
// INVITE_ANSWER_KIND_UNSPECIFIED, or a number the enum lacks, is an unknown
// kind: refused with the words the document quotes, and only after the
// check for an invitation the receiver doesn't hold.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <variant>

#include "doc_section.hpp"
#include "invite/letters.hpp"

namespace attune::invite {
namespace {

v1::InviteLetter answer_of_kind(int kind) {
  v1::InviteLetter letter;
  letter.set_letter_id("letter-1");
  auto* answer = letter.mutable_answer();
  answer->set_invitation_id("inv-1");
  answer->set_kind(static_cast<v1::InviteAnswerKind>(kind));
  answer->set_answered_utc_ms(1'796'119'200'000);
  return letter;
}

std::string problem_of(const std::variant<Invitation, Problem>& result) {
  const auto* problem = std::get_if<Problem>(&result);
  return problem ? problem->message : "(taken)";
}

TEST(InviteAnswerDoc, AnUnspecifiedOrUnknownKindIsRefused) {
  const std::string doc = std::regex_replace(
      contract::read_text(contract::source_dir() / "proto" / "INVITE.md"), std::regex("\\s+"), " ");
  const std::string rule = "an unknown `kind`, which is any value but the five of the table, so "
                           "`INVITE_ANSWER_KIND_UNSPECIFIED` (0, what a letter with `kind` unset carries) too (\"";
  const auto at = doc.find(rule);
  ASSERT_NE(at, std::string::npos) << "INVITE.md no longer says what an unspecified kind is";
  const std::string words = doc.substr(at + rule.size(), doc.find("\";", at + rule.size()) - at - rule.size());
  ASSERT_NE(doc.find("checks in this order: an invitation the receiver doesn't hold; " + rule), std::string::npos);

  Invitation mine;
  mine.id = "inv-1";
  mine.side = Side::Sent;
  mine.partner_device_id = "partner-1";
  mine.day = "Tuesday";
  mine.offers_now = true;
  EXPECT_EQ(problem_of(arrived(answer_of_kind(v1::INVITE_ANSWER_KIND_NOT_YET), mine, "partner-1")), "(taken)")
      << "a known kind must be taken, or the cases below prove nothing";
  EXPECT_EQ(v1::InviteLetter().answer().kind(), v1::INVITE_ANSWER_KIND_UNSPECIFIED);
  for (const int kind : {static_cast<int>(v1::INVITE_ANSWER_KIND_UNSPECIFIED), 9}) {
    EXPECT_EQ(problem_of(arrived(answer_of_kind(kind), mine, "partner-1")), words) << "kind " << kind;
    // The invitation check comes first.
    EXPECT_EQ(problem_of(arrived(answer_of_kind(kind), std::nullopt, "partner-1")),
              "An answer came for an invitation this device doesn't have.")
        << "kind " << kind;
  }
}

}  // namespace
}  // namespace attune::invite
