// Preparing alone as a person meets it: what is kept, what is refused and
// why, which draft a later session offers, and the words carried into step 7
// when a quick repair grows into the whole conversation.
#include "attune/prepare/preparation.hpp"

#include <gtest/gtest.h>

#include "attune/prepare/carry_over.hpp"

namespace attune::prepare {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;

std::string problem_of(const std::variant<Preparation, Problem>& r) {
  return std::holds_alternative<Problem>(r) ? std::get<Problem>(r).message : "";
}

Preparation kept(const Words& w, int64_t now = kNow) {
  auto r = accept_new(w, now);
  EXPECT_TRUE(std::holds_alternative<Preparation>(r)) << problem_of(r);
  return std::holds_alternative<Preparation>(r) ? std::get<Preparation>(r) : Preparation{};
}

TEST(PrepareAlone, EveryPartIsKeptCleaned) {
  Words w;
  w.what = "We argued\r\nabout the\x1b[31m trip";
  w.activation = 6;
  w.generous = "Maybe they were tired";
  w.share = "I felt alone when the plans changed\xE2\x80\xAE";
  w.own_part = "When I feel cornered I go quiet";
  w.reassure = "I still want us";
  w.gesture = "a walk";
  const Preparation p = kept(w);
  EXPECT_EQ(p.created_ms, kNow);
  EXPECT_EQ(p.updated_ms, kNow);
  EXPECT_EQ(p.words.what.find('\x1b'), std::string::npos);
  EXPECT_EQ(p.words.what.find('\r'), std::string::npos);
  EXPECT_EQ(p.words.share.find("\xE2\x80\xAE"), std::string::npos);
  EXPECT_EQ(p.words.activation, 6);
  EXPECT_EQ(p.words.gesture, "a walk");
}

TEST(PrepareAlone, NothingWrittenAsksForAFewWords) {
  Words w;
  w.share = "  \xE2\x80\x8B ";
  EXPECT_NE(problem_of(accept_new(w, kNow)).find("Write a few words"), std::string::npos);
  w.activation = 4;  // A number alone is not a preparation.
  EXPECT_NE(problem_of(accept_new(w, kNow)).find("Write a few words"), std::string::npos);
}

TEST(PrepareAlone, BrokenUtf8IsRefusedInAnyPart) {
  for (Part part : kParts) {
    Words w;
    w.what = "something";
    text_of(w, part) = "caf\xC3";
    EXPECT_NE(problem_of(accept_new(w, kNow)).find("couldn't be read"), std::string::npos) << part_name(part);
  }
}

TEST(PrepareAlone, EachPartHasTheSizeTheSessionAccepts) {
  for (Part part : kParts) {
    Words w;
    text_of(w, part) = std::string(max_bytes(part), 'a');
    EXPECT_EQ(problem_of(accept_new(w, kNow)), "") << part_name(part);
    text_of(w, part) += "a";
    EXPECT_NE(problem_of(accept_new(w, kNow)).find("long"), std::string::npos) << part_name(part);
  }
  EXPECT_EQ(max_bytes(Part::Share), kMaxTextBytes);
  EXPECT_EQ(max_bytes(Part::Gesture), kMaxGestureBytes);
}

TEST(PrepareAlone, ActivationIsZeroToTenAndHighOffersThePacer) {
  Words w;
  w.what = "x";
  for (int level : {-2, 11, 99}) {
    w.activation = level;
    EXPECT_NE(problem_of(accept_new(w, kNow)).find("0 (calm) to 10"), std::string::npos) << level;
  }
  w.activation = 10;
  EXPECT_EQ(problem_of(accept_new(w, kNow)), "");
  EXPECT_FALSE(wants_pacer(3));
  EXPECT_TRUE(wants_pacer(4));
  EXPECT_FALSE(wants_pacer(kNoActivation));
}

TEST(PrepareAlone, AnEditKeepsWhenItWasMadeAndMovesItsLastEdit) {
  Words w;
  w.what = "first";
  Preparation p = kept(w);
  p.id = 7;
  w.share = "now with a share";
  auto edited = accept_edit(p, w, kNow + 5000);
  ASSERT_TRUE(std::holds_alternative<Preparation>(edited));
  EXPECT_EQ(std::get<Preparation>(edited).id, 7);
  EXPECT_EQ(std::get<Preparation>(edited).created_ms, kNow);
  EXPECT_EQ(std::get<Preparation>(edited).updated_ms, kNow + 5000);
  EXPECT_EQ(std::get<Preparation>(edited).words.share, "now with a share");
  // A clock set back never puts the edit before the preparation.
  EXPECT_EQ(std::get<Preparation>(accept_edit(p, w, kNow - 99999)).updated_ms, kNow);
  Words broken = w;
  broken.reassure = "\xFF";
  EXPECT_NE(problem_of(accept_edit(p, broken, kNow)), "");
}

TEST(PrepareAlone, SessionStepsMapToTheParts) {
  EXPECT_EQ(part_for_step(v1::STEP_BENEFIT), Part::Generous);
  EXPECT_EQ(part_for_step(v1::STEP_SHARE), Part::Share);
  EXPECT_EQ(part_for_step(v1::STEP_OWN_PATTERN), Part::OwnPart);
  EXPECT_EQ(part_for_step(v1::STEP_OWN_PART), Part::OwnPart);
  EXPECT_EQ(part_for_step(v1::STEP_REASSURE), Part::Reassure);
  EXPECT_EQ(part_for_step(v1::STEP_RECONNECT), Part::Gesture);
  for (v1::Step s : {v1::STEP_NAME_IT, v1::STEP_GAUGE, v1::STEP_REFLECT, v1::STEP_WHO_FIRST, v1::STEP_COMPLETE})
    EXPECT_FALSE(part_for_step(s).has_value()) << v1::Step_Name(s);
}

TEST(PrepareAlone, TheOfferComesFromTheLatestEditWithWordsForThatStep) {
  Preparation older = kept(Words{"old", -1, "", "old share", "", "", ""}, kNow - 1000);
  older.id = 1;
  Preparation newer = kept(Words{"new", -1, "", "", "new part", "", ""}, kNow);
  newer.id = 2;
  const std::vector<Preparation> all = {older, newer};
  const auto share = offer_for(all, Part::Share);
  ASSERT_TRUE(share);
  EXPECT_EQ(share->id, 1);  // The newer one has no share: the older one's is offered.
  EXPECT_EQ(share->text, "old share");
  EXPECT_EQ(offer_for(all, Part::OwnPart)->id, 2);
  EXPECT_FALSE(offer_for(all, Part::Gesture));
  EXPECT_FALSE(offer_for({}, Part::Share));
}

TEST(PrepareAlone, HistoryShowsTheLatestEditFirstAndAHeadline) {
  Preparation a = kept(Words{"a quiet evening that went wrong after dinner and then more words", -1, "", "", "", "", ""},
                       kNow - 10);
  a.id = 1;
  Preparation b = kept(Words{"", -1, "", "I felt small", "", "", ""}, kNow);
  b.id = 2;
  const auto h = history_of({a, b});
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].id, 2);
  EXPECT_EQ(headline(h[0].words), "I felt small");
  EXPECT_EQ(headline(a.words, 20), "a quiet evening that...");
}

TEST(PrepareAlone, PartNamesRoundTrip) {
  for (Part part : kParts) EXPECT_EQ(parse_part(part_name(part)), part);
  EXPECT_FALSE(parse_part("everything"));
}

State escalated(v1::Role repairer) {
  State s;
  s.mutable_settings()->set_kind(v1::REPAIR_KIND_QUICK);
  s.mutable_settings()->set_repairer(repairer);
  s.mutable_quick()->set_own_text("I went cold on you");
  s.mutable_quick()->set_other_text("I pushed too hard");
  s.mutable_quick()->set_escalated(true);
  return s;
}

TEST(StepSevenAfterAQuickRepair, EachPartnerStartsFromTheirOwnWords) {
  const State s = escalated(v1::ROLE_PARTNER_B);
  EXPECT_EQ(said_in_quick_repair(s, v1::ROLE_PARTNER_B), "I went cold on you");
  EXPECT_EQ(said_in_quick_repair(s, v1::ROLE_PARTNER_A), "I pushed too hard");
  EXPECT_EQ(said_in_quick_repair(s, v1::ROLE_COACH), "");
}

TEST(StepSevenAfterAQuickRepair, NothingCarriesOverWithoutTheMove) {
  State s = escalated(v1::ROLE_PARTNER_A);
  s.mutable_quick()->set_escalated(false);
  EXPECT_EQ(said_in_quick_repair(s, v1::ROLE_PARTNER_A), "");
}

TEST(OfferInASession, OnlyTheOneAskedAtAStepWithADraftIsOffered) {
  State s;
  s.set_phase(v1::PHASE_ACTIVE);
  s.set_step(v1::STEP_SHARE);
  s.set_floor(v1::ROLE_PARTNER_A);
  EXPECT_EQ(part_asked_of(s, v1::ROLE_PARTNER_A), Part::Share);
  EXPECT_FALSE(part_asked_of(s, v1::ROLE_PARTNER_B)) << "the listener is not asked to share";
  EXPECT_FALSE(part_asked_of(s, v1::ROLE_COACH));
  const std::string share_moment = offer_moment(s);
  s.set_floor(v1::ROLE_PARTNER_B);
  EXPECT_NE(offer_moment(s), share_moment) << "the second speaker's turn is a new moment";
  s.set_phase(v1::PHASE_CHECK_IN);
  EXPECT_FALSE(part_asked_of(s, v1::ROLE_PARTNER_B)) << "not while checking in";
  s.set_phase(v1::PHASE_ACTIVE);
  s.set_step(v1::STEP_RECONNECT);
  EXPECT_EQ(part_asked_of(s, v1::ROLE_PARTNER_A), Part::Gesture);
  s.set_step(v1::STEP_REFLECT);
  EXPECT_FALSE(part_asked_of(s, v1::ROLE_PARTNER_B)) << "reflecting is not prepared";
}

}  // namespace
}  // namespace attune::prepare
