// The invitation screens through the real views and real clicks, under a
// virtual display: an invitation from the partner on the start screen,
// answered with one tap or with another time picked in local time (which
// the sender's window then agrees to); inviting the partner back; the file
// read on a change, not per frame, and a file that can't be read said in
// words. PNGs land in <build>/screenshots (invite-*.png).
#include <sodium.h>

#include <cstdlib>
#include <ctime>

#include "attune/crypto/sodium_init.hpp"
#include "identity/pinned_peer_store.hpp"
#include "invite/invite_store.hpp"
#include "invite/outgoing.hpp"
#include "peer_process.hpp"
#include "screen_test.hpp"
#include "sql_reads.hpp"
#include "time_zone.hpp"

namespace attune::app {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;  // Fri 15 Jan 2027, 08:00 UTC.
constexpr int64_t kHour = 60LL * 60 * 1000;

class InviteScreens : public ScreenTest {
 protected:
  void SetUp() override {
    test::SqlReads::install();
    open_window("Attune invitations");
    std::string error;
    store_ = invite::InviteStore::open(dir_.path(), &error);
    ASSERT_TRUE(store_) << error;
    // Paired once with Sam's laptop.
    crypto::init_crypto();
    crypto::PeerIdentity sam{"sam-laptop", {}};
    randombytes_buf(sam.public_key.data(), sam.public_key.size());
    identity::PinnedPeerStore pins(dir_.path());
    ASSERT_FALSE(pins.load());
    ASSERT_FALSE(pins.pin(sam, kNow));
  }
  void prepare(FrameContext& ctx) override {
    ctx.dispatch.invitations = store_.get();
    ctx.dispatch.invite_data_dir = dir_.path().string();
  }
  void frames(UiState& ui, const std::string& name = "", int n = 8) { ScreenTest::frames(ui, kNow, name, n); }
  void click(UiState& ui, const std::string& label) { ScreenTest::click(ui, kNow, label); }

  // Sam's invitation, as the postbox keeps it when it arrives.
  void arrives_from_sam(const std::string& id = "inv-1", const std::string& day = "Tuesday") {
    store_->take_in("letter-" + id, id, [&](const std::optional<invite::Invitation>&) {
      invite::Invitation inv;
      inv.id = id;
      inv.side = invite::Side::Received;
      inv.partner_device_id = "sam-laptop";
      inv.partner_name = "Sam";
      inv.day = day;
      inv.offers_utc_ms = {kNow + 3 * kHour, kNow + 27 * kHour};
      inv.offers_now = true;
      inv.words = "I keep thinking about how I left the room.";
      inv.created_utc_ms = inv.updated_utc_ms = kNow - kHour;
      return std::optional<invite::Invitation>(inv);
    });
  }

  test::TempDir dir_;
  std::unique_ptr<invite::InviteStore> store_;
};

TEST_F(InviteScreens, AnInvitationFromThePartnerIsAnsweredWithOneTap) {
  arrives_from_sam();
  UiState ui;
  ui.display_name = "Alex";
  frames(ui, "invite-1-received");
  EXPECT_TRUE(shows("Sam would like to reconnect"));
  EXPECT_TRUE(shows("I'd like to come back to what happened on Tuesday. Are you open to it?"));
  EXPECT_TRUE(shows("No reason is needed."));
  click(ui, "Now works");
  const auto inv = store_->find("inv-1");
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->status, invite::Status::Agreed);
  EXPECT_EQ(*inv->agreed_utc_ms, kNow);
  EXPECT_EQ(store_->waiting_letters().size(), 1u) << "the answer waits for Sam's device";
  frames(ui, "invite-2-agreed");
  EXPECT_FALSE(shows("Sam would like to reconnect"));
  EXPECT_TRUE(shows("Agreed with Sam"));
}

TEST_F(InviteScreens, NotYetAsksForNoReason) {
  arrives_from_sam();
  UiState ui;
  frames(ui);
  click(ui, "Not yet");
  EXPECT_EQ(store_->find("inv-1")->status, invite::Status::NotYet);
  frames(ui, "invite-3-not-yet");
  EXPECT_TRUE(shows("It can wait until you're ready."));
}

TEST_F(InviteScreens, InvitingThePartnerBackTakesADayAndATime) {
  UiState ui;
  ui.display_name = "Alex";
  frames(ui);
  click(ui, "Invite your partner back");
  ASSERT_TRUE(ui.invite.writing);
  click(ui, "Send invitation");
  EXPECT_TRUE(shows("Say which day")) << "no day yet: a kind word, nothing sent";
  EXPECT_TRUE(store_->list().empty());
  ui.invite.day = "Sunday";
  ui.invite.words = "I miss us.";
  frames(ui, "invite-4-writing");
  click(ui, "Send invitation");
  const auto all = store_->list();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].day, "Sunday");
  EXPECT_EQ(all[0].words, "I miss us.");
  EXPECT_EQ(all[0].partner_device_id, "sam-laptop");
  EXPECT_EQ(all[0].offers_utc_ms.size(), 1u);  // Tomorrow is chosen unless changed.
  frames(ui, "invite-5-sent");
  EXPECT_TRUE(shows("Your invitation is ready"));
}

// "Another time": Alex picks a day and a time in Alex's own time (New
// York here); it is kept and sent in UTC; Sam's window shows it in Sam's
// own time and agrees to it with one tap.
TEST_F(InviteScreens, AnotherTimeIsPickedInLocalTimeSentInUtcAndTheSenderAgrees) {
  test::Zone new_york("America/New_York");  // 08:00 UTC is 03:00 here, on Friday 15 January.
  arrives_from_sam();
  UiState ui;
  ui.display_name = "Alex";
  frames(ui);
  click(ui, "Another time");
  EXPECT_TRUE(shows("Which day suits you?"));
  click(ui, "Tomorrow");
  ui.invite.other.hour = 19;  // The hour slider, as a drag would leave it.
  click(ui, ":30");
  frames(ui, "invite-6-another-time");
  EXPECT_TRUE(shows("That is Sat 16 Jan, 19:30, your time."));
  click(ui, "Propose this time");
  auto inv = store_->find("inv-1");
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->status, invite::Status::Countered);
  EXPECT_EQ(inv->proposed_utc_ms, invite::parse_utc_iso("2027-01-17T00:30Z")) << "19:30 in New York, kept in UTC";
  EXPECT_EQ(store_->waiting_letters().size(), 1u) << "the answer waits for Sam's device";
  frames(ui, "invite-7-proposed");
  EXPECT_FALSE(shows("Sam would like to reconnect"));
  EXPECT_TRUE(shows("You proposed Sat 16 Jan, 19:30 to Sam"));

  // Sam's device, in Berlin, as its postbox keeps Alex's answer.
  test::Zone berlin("Europe/Berlin");
  test::TempDir sam_dir;
  std::string error;
  auto sam_store = invite::InviteStore::open(sam_dir.path(), &error);
  ASSERT_TRUE(sam_store) << error;
  invite::Invitation sent = *inv;
  sent.side = invite::Side::Sent;
  sent.partner_device_id = "alex-laptop";
  sent.partner_name = "Alex";
  sam_store->take_in("letter-2", "inv-1", [&](const auto&) { return std::optional<invite::Invitation>(sent); });
  store_ = std::move(sam_store);
  UiState sam;
  sam.display_name = "Sam";
  frames(sam, "invite-8-sender-sees-the-other-time");
  EXPECT_TRUE(shows("Alex proposed another time"));
  EXPECT_TRUE(shows("Sun 17 Jan, 01:30")) << "the same moment in Berlin";
  click(sam, "Yes, that works");
  inv = store_->find("inv-1");
  EXPECT_EQ(inv->status, invite::Status::Agreed);
  EXPECT_EQ(inv->agreed_utc_ms, invite::parse_utc_iso("2027-01-17T00:30Z"));
  frames(sam, "invite-9-other-time-agreed");
  EXPECT_TRUE(shows("Agreed with Alex: Sun 17 Jan, 01:30"));
}

TEST_F(InviteScreens, AnotherTimeAlreadyGoneGetsAKindWordAndNothingIsSent) {
  test::Zone utc("UTC");
  arrives_from_sam();
  UiState ui;
  frames(ui);
  click(ui, "Another time");
  click(ui, "Today");
  ui.invite.other.hour = 6;  // 06:00 today: two hours ago.
  frames(ui);
  click(ui, "Propose this time");
  EXPECT_TRUE(shows("should be from now on"));
  EXPECT_EQ(store_->find("inv-1")->status, invite::Status::Waiting);
  EXPECT_TRUE(store_->waiting_letters().empty());
}

// The invitations file is read on a change or every few seconds, not per
// frame; one the postbox takes in shows within a few seconds.
TEST_F(InviteScreens, TheFileIsReadOnAChangeNotEveryFrame) {
  arrives_from_sam();
  UiState ui;
  frames(ui);
  test::SqlReads::reset();
  frames(ui, "", 60);  // Three seconds of frames.
  EXPECT_LE(test::SqlReads::count("invitations.db"), 2) << "60 frames read the file that often";
  click(ui, "Not yet");
  EXPECT_FALSE(shows("Sam would like to reconnect")) << "an answer given here shows at once";
  arrives_from_sam("inv-2", "Sunday");  // The postbox takes in another.
  frames(ui, "", 45);
  EXPECT_TRUE(shows("what happened on Sunday")) << "one the postbox took in shows within a few seconds";
}

TEST_F(InviteScreens, AFileThatCantBeReadIsSaidInWords) {
  arrives_from_sam();
  UiState ui;
  frames(ui);
  ASSERT_TRUE(test::SqlReads::spoil(invite::invite_file(dir_.path()).string(), "invitations"));
  time_s_ += 3;
  frames(ui, "invite-10-cant-read");
  EXPECT_TRUE(shows("Your invitations couldn't be read just now")) << "not silence";
}

}  // namespace
}  // namespace attune::app
