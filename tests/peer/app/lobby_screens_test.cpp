// The lobby of a session "Start now" began for the paired partner, through
// the real views under a virtual display: the partner's row says "On the
// way" with nothing to let in, and a code for anyone else waits behind
// "Pair someone else", drawn in the app's own style. PNGs land in
// <build>/screenshots (or $ATTUNE_SCREENSHOT_DIR).
#include <GLFW/glfw3.h>

#include "app/theme.hpp"
#include "picture.hpp"
#include "screen_test.hpp"

namespace attune::app {
namespace {

// Alex hosts; Sam's device (paired before) has asked and comes in by itself.
NodeView start_now_lobby() {
  NodeView snap;
  State& s = snap.state;
  s.set_session_id("s1");
  s.set_session_name("Sunday evening");
  s.set_step(v1::STEP_LOBBY);
  s.set_phase(v1::PHASE_LOBBY);
  s.mutable_settings()->set_threshold(3);
  s.mutable_settings()->set_min_pause_seconds(120);
  s.mutable_settings()->set_long_break_seconds(1800);
  for (const auto& [id, name, role] : {std::tuple{"dev-alex", "Alex", v1::ROLE_PARTNER_A},
                                       std::tuple{"dev-sam", "Sam", v1::ROLE_PARTNER_B}}) {
    v1::Participant* p = s.add_participants();
    p->set_id(id);
    p->set_display_name(name);
    p->set_role(role);
    p->set_connected(true);
    p->set_admitted(role == v1::ROLE_PARTNER_A);
    p->set_host(role == v1::ROLE_PARTNER_A);
  }
  snap.my_id = "dev-alex";
  snap.my_role = v1::ROLE_PARTNER_A;
  snap.link = LinkState::Connected;
  return snap;
}

class LobbyScreens : public ScreenTest {
 protected:
  void SetUp() override { open_window("Attune lobby"); }
  void prepare(FrameContext& ctx) override {
    ctx.dispatch.partner_session = [] { return PartnerSession{"dev-sam", "Sam"}; };
    ctx.dispatch.invite = [] { return std::string("attune1:q2vx7k3m  (or 127.0.0.1:47100, code 482913)"); };
  }

  const Region& region(const std::string& name) const { return window_->regions().at(name); }
  test::Picture picture(const std::string& name) const {
    return test::Picture((screenshot_dir() / (name + ".png")).string());
  }
  // Tab (bounded) until the focus ring is on `label`.
  void tab_to(const std::string& label) {
    for (int i = 0; i < 30 && window_->drawn().focused != label; ++i) {
      window_->press_key(GLFW_KEY_TAB);
      frames(snap_, ui_, 1000);
    }
    ASSERT_EQ(window_->drawn().focused, label) << "Tab never reached \"" << label << "\"";
  }
  // The disclosure's triangle: pointing right (closed) or down (open), read
  // from the picture at two points of its box.
  enum class Marker { Right, Down, Neither };
  Marker marker(const std::string& png) const {
    const Region& m = region("pair_someone_else_marker");
    const test::Picture shot = picture(png);
    const float w = m.max.x - m.min.x, h = m.max.y - m.min.y;
    // Low on the left: inside a triangle pointing right, outside one pointing down.
    const bool low_left = test::near(shot.at(m.min.x + w * 0.15f, m.min.y + h * 0.75f), palette().text_soft);
    // High in the middle: inside either.
    const bool high_middle = test::near(shot.at(m.min.x + w * 0.4f, m.min.y + h * 0.3f), palette().text_soft);
    if (!high_middle) return Marker::Neither;
    return low_left ? Marker::Right : Marker::Down;
  }

  NodeView snap_ = start_now_lobby();
  UiState ui_;
};

TEST_F(LobbyScreens, StartNowShowsThePartnerOnTheWayWithNothingToLetIn) {
  frames(snap_, ui_, 1000, "lobby-start-now-1-on-the-way");
  EXPECT_TRUE(shows("On the way"));
  EXPECT_TRUE(shows("Waiting for Sam. Their device comes in by itself when they tap Start now."));
  EXPECT_TRUE(shows("Waiting for Sam to come in."));
  EXPECT_FALSE(shows("Let everyone in")) << "nobody needs letting in by hand";
  EXPECT_EQ(window_->drawn().button("Let in"), nullptr);
  EXPECT_EQ(window_->drawn().button("Decline"), nullptr);
  EXPECT_FALSE(shows("482 913")) << "the code for someone else shows before they asked for it";
}

// Not ImGui's stock header bar: a soft button in the app's colours and
// rounding, as wide as its words, with a triangle that says open or closed;
// Tab reaches it and Enter opens and closes it.
TEST_F(LobbyScreens, PairSomeoneElseIsAQuietDisclosureInTheAppsStyle) {
  frames(snap_, ui_, 1000, "lobby-start-now-2-pair-closed");
  ASSERT_NE(window_->drawn().button("Pair someone else"), nullptr);
  const Region& pair = region("pair_someone_else");
  const Region& card = region("people");
  const test::Picture closed = picture("lobby-start-now-2-pair-closed");
  ASSERT_TRUE(closed.loaded());
  const float mid = (pair.min.y + pair.max.y) * 0.5f;
  EXPECT_TRUE(test::near(closed.at(pair.min.x + 4, mid), palette().surface_alt))
      << "not the app's soft button colour";
  EXPECT_FALSE(test::near(closed.at(pair.min.x + 1, pair.min.y + 1), palette().surface_alt))
      << "square corners";
  EXPECT_LT(pair.max.x - pair.min.x, (card.max.x - card.min.x) * 0.5f)
      << "a bar across the card, not a button";
  EXPECT_GE(pair.min.x, card.min.x + 8) << "it sticks out of the card's padding";
  ASSERT_TRUE(window_->regions().count("pair_someone_else_marker"))
      << "no open/closed marker of the app's own";
  EXPECT_EQ(marker("lobby-start-now-2-pair-closed"), Marker::Right);
  EXPECT_FALSE(shows("482 913"));

  tab_to("Pair someone else");
  window_->press_key(GLFW_KEY_ENTER);
  frames(snap_, ui_, 1000, "lobby-start-now-3-pair-open");
  EXPECT_TRUE(shows("482 913")) << "Enter didn't open it";
  EXPECT_EQ(marker("lobby-start-now-3-pair-open"), Marker::Down);
  EXPECT_EQ(window_->drawn().focused, "Pair someone else") << "the focus moved off it";

  window_->press_key(GLFW_KEY_KP_ENTER);
  frames(snap_, ui_, 1000, "lobby-start-now-4-pair-closed-again");
  EXPECT_FALSE(shows("482 913")) << "keypad Enter didn't close it";
  EXPECT_EQ(marker("lobby-start-now-4-pair-closed-again"), Marker::Right);
}

}  // namespace
}  // namespace attune::app
