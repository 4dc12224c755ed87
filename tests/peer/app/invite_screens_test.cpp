// The invitation screens through the real views and real clicks, under a
// virtual display: an invitation from the partner on the start screen,
// answered with one tap; then inviting the partner back. PNGs land in
// <build>/screenshots (invite-*.png).
#include <GLFW/glfw3.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <filesystem>

#include "app/device_window.hpp"
#include "attune/crypto/sodium_init.hpp"
#include "identity/pinned_peer_store.hpp"
#include "invite/invite_store.hpp"
#include "peer_process.hpp"

namespace attune::app {
namespace {

namespace fs = std::filesystem;
constexpr int64_t kNow = 1'800'000'000'000;
constexpr int64_t kHour = 60LL * 60 * 1000;

fs::path out_dir() {
  const char* dir = std::getenv("ATTUNE_SCREENSHOT_DIR");
  return dir ? fs::path(dir) : fs::current_path() / "screenshots";
}

class InviteScreens : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(glfwInit()) << "No display: run this test under xvfb-run.";
    fs::create_directories(out_dir());
  }
  void SetUp() override {
    std::string error;
    window_ = DeviceWindow::create("Attune invitations", WindowGeometry{0, 0, 1100, 800}, &error);
    ASSERT_TRUE(window_) << error;
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

  void frames(UiState& ui, const std::string& name = "", int n = 8) {
    for (int i = 0; i < n; ++i) {
      FrameContext ctx;
      ctx.now_ms = kNow;
      ctx.time_s = time_s_ += 0.05;
      ctx.dispatch.invitations = store_.get();
      ctx.dispatch.invite_data_dir = dir_.path().string();
      const std::string path = (out_dir() / (name + ".png")).string();
      ASSERT_TRUE(window_->render(NodeView{}, ui, ctx, i == n - 1 && !name.empty() ? &path : nullptr));
    }
  }
  void click(UiState& ui, const std::string& label) {
    for (int tries = 0; tries < 6; ++tries) {
      const auto result = window_->click(label);
      if (result == DeviceWindow::Click::Done) return frames(ui);
      ASSERT_NE(result, DeviceWindow::Click::NotDrawn) << "no button \"" << label << "\" on screen";
      frames(ui);
    }
    FAIL() << "\"" << label << "\" stayed out of view";
  }
  bool shows(const std::string& text) const { return window_->drawn().shows(text); }

  // Sam's invitation, as the postbox keeps it when it arrives.
  void arrives_from_sam() {
    store_->take_in("letter-1", "inv-1", [](const std::optional<invite::Invitation>&) {
      invite::Invitation inv;
      inv.id = "inv-1";
      inv.side = invite::Side::Received;
      inv.partner_device_id = "sam-laptop";
      inv.partner_name = "Sam";
      inv.day = "Tuesday";
      inv.offers_utc_ms = {kNow + 3 * kHour, kNow + 27 * kHour};
      inv.offers_now = true;
      inv.words = "I keep thinking about how I left the room.";
      inv.created_utc_ms = inv.updated_utc_ms = kNow - kHour;
      return std::optional<invite::Invitation>(inv);
    });
  }

  test::TempDir dir_;
  std::unique_ptr<DeviceWindow> window_;
  std::unique_ptr<invite::InviteStore> store_;
  double time_s_ = 1;
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

}  // namespace
}  // namespace attune::app
