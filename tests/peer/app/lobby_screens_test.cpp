// The lobby of a session "Start now" began for the paired partner, through
// the real views under a virtual display: the partner's row says "On the
// way" with nothing to let in, and a code for anyone else waits behind
// "Pair someone else", drawn in the app's own style. PNGs land in
// <build>/screenshots (or $ATTUNE_SCREENSHOT_DIR).
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

}  // namespace
}  // namespace attune::app
