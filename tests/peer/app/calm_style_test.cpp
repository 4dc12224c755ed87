// Calm, not stock; the keyboard; the coach's own view; toasts that end with
// their moment. Read from what each real window drew, with input through
// the same widget code a click or a key goes through. Run under xvfb-run.
#include <GLFW/glfw3.h>

#include "app/theme.hpp"
#include "attune/intents.hpp"
#include "window_devices.hpp"

namespace attune::app {
namespace {

using CalmStyle = test::WindowDevices;

bool has_notice(const test::Device& d) { return d.window->regions().count("notice") > 0; }

bool overlaps(const Region& a, const Region& b) {
  return std::min(a.max.x, b.max.x) > std::max(a.min.x, b.min.x) &&
         std::min(a.max.y, b.max.y) > std::max(a.min.y, b.min.y);
}

// Alex's share ends and both check in: the gate opens Reflect while the
// partners' windows watch, so each gets "You're both ready. On to ...".
void through_the_first_gate(test::LocalFlow& f, const std::function<void()>& at_the_gate) {
  ASSERT_EQ(f.to_share(), "");
  f.advance_seconds(240);
  ASSERT_EQ(f.send(*f.alex, intents::pass_floor()), "");
  at_the_gate();
  ASSERT_EQ(f.both_check_in(2, 2), "");
}

TEST_F(CalmStyle, AToastEndsWhenItsMomentIsOver) {
  through_the_first_gate(f_, [&] { all_frames("style-1-at-the-gate"); });
  all_frames("style-2-both-ready");
  ASSERT_TRUE(has_notice(alex_)) << "no \"You're both ready\" toast after the gate";
  ASSERT_TRUE(has_notice(sam_));
  EXPECT_FALSE(has_notice(robin_)) << "the coach got a toast meant for the partners";

  // Sam reflects, Alex answers "Not quite": the toast about the gate is over.
  ASSERT_EQ(f_.send(*f_.sam, intents::write("I heard you felt alone.")), "");
  f_.advance_seconds(180);
  ASSERT_EQ(f_.reflect_through(*f_.sam), "");
  frames(alex_);
  ASSERT_EQ(alex_.window->click("Not quite"), DeviceWindow::Click::Done);
  frames(alex_);  // (Input settles first; the picture is of the settled screen.)
  frames(alex_, "style-3-not-quite-alex");
  frames(sam_, "style-3-not-quite-sam");
  EXPECT_FALSE(has_notice(alex_)) << "the gate's toast outlived \"not quite\"";
  EXPECT_FALSE(has_notice(sam_)) << "the gate's toast outlived \"not quite\"";
}

TEST_F(CalmStyle, TheLastGatesToastIsGoneOnTheSummary) {
  ASSERT_EQ(f_.to_share(), "");
  const Intent pass = intents::pass_floor();
  for (int round = 0; round < 2; ++round) {
    NodeApi& speaker = round == 0 ? *f_.alex : *f_.sam;
    NodeApi& listener = round == 0 ? *f_.sam : *f_.alex;
    f_.advance_seconds(240);
    ASSERT_EQ(f_.send(speaker, pass), "");
    ASSERT_EQ(f_.both_check_in(2, 2), "");
    f_.advance_seconds(180);
    ASSERT_EQ(f_.reflect_through(listener), "");
    ASSERT_EQ(f_.send(speaker, intents::heard()), "");
    ASSERT_EQ(f_.both_check_in(1, 2), "");
  }
  for (int step = 0; step < 2; ++step) {
    f_.advance_seconds(120);
    ASSERT_EQ(f_.send(*f_.alex, pass), "");
    f_.advance_seconds(120);
    ASSERT_EQ(f_.send(*f_.sam, pass), "");
    if (step == 1) all_frames("style-4-last-gate");
    ASSERT_EQ(f_.both_check_in(1, 1), "");
  }
  all_frames("style-5-on-to-reconnect");
  ASSERT_TRUE(has_notice(alex_)) << "no toast on to Reconnect";
  f_.advance_seconds(60);
  ASSERT_EQ(f_.send(*f_.sam, intents::propose_gesture("A long hug")), "");
  ASSERT_EQ(f_.send(*f_.alex, intents::accept_gesture(f_.host_state().gestures(0).id())), "");
  ASSERT_EQ(f_.alex->snapshot()->state.phase(), v1::PHASE_COMPLETE);
  all_frames("style-6-summary");
  EXPECT_FALSE(has_notice(alex_)) << "\"On to Reconnect\" still shows on the summary";
  EXPECT_FALSE(has_notice(sam_)) << "\"On to Reconnect\" still shows on the summary";
}

TEST_F(CalmStyle, AToastNeverCoversTheWritingBox) {
  // A short window, so the writing box reaches the foot where toasts go.
  glfwSetWindowSize(sam_.window->glfw(), 1000, 560);
  through_the_first_gate(f_, [&] { frames(sam_); });
  frames(sam_, "style-7-toast-and-writing-sam");
  const auto& regions = sam_.window->regions();
  ASSERT_TRUE(regions.count("notice")) << "no toast after the gate";
  ASSERT_TRUE(regions.count("writing")) << "Sam, reflecting, has no writing box";
  EXPECT_FALSE(overlaps(regions.at("notice"), regions.at("writing"))) << "the toast covers the writing box";
}

TEST_F(CalmStyle, TheCoachIsToldWhatIsAskedOfThemAndWhereEachPartnerIs) {
  ASSERT_EQ(f_.admit_everyone(), "");
  ASSERT_EQ(f_.send(*f_.alex, intents::share_with_coach(true)), "");
  ASSERT_EQ(f_.send(*f_.sam, intents::share_with_coach(true)), "");
  ASSERT_EQ(f_.match_coach(*f_.sam), "");
  ASSERT_EQ(f_.start(), "");
  ASSERT_EQ(f_.send(*f_.alex, intents::confirm()), "");
  frames(robin_, "style-8-coach-name-it");
  EXPECT_TRUE(robin_.window->drawn().shows("Alex is done; waiting for Sam.")) << "no progress per partner";
  ASSERT_EQ(f_.send(*f_.sam, intents::confirm()), "");
  ASSERT_EQ(f_.check_in(*f_.sam, 2), "");
  frames(robin_, "style-9-coach-check-in");
  EXPECT_TRUE(robin_.window->drawn().shows("Sam has checked in; waiting for Alex."))
      << "no progress at the gate";
  ASSERT_EQ(f_.check_in(*f_.alex, 3), "");
  frames(robin_, "style-10-coach-numbers");
  // Shared numbers carry the step they came at.
  EXPECT_TRUE(robin_.window->drawn().shows("Alex \u00b7 Step 2: Check in with yourself"))
      << "a shared number without its step";
  EXPECT_TRUE(robin_.window->drawn().shows("Sam \u00b7 Step 2: Check in with yourself"));

  // Step 3 done, then who goes first: the partners ask the coach.
  f_.advance_seconds(45);
  ASSERT_EQ(f_.send(*f_.alex, intents::confirm()), "");
  ASSERT_EQ(f_.send(*f_.sam, intents::confirm()), "");
  ASSERT_EQ(f_.both_check_in(2, 2), "");
  ASSERT_EQ(f_.send(*f_.alex, intents::ask_coach()), "");
  if (!f_.host_state().coach_asked()) {
    ASSERT_EQ(f_.send(*f_.sam, intents::accept_first()), "");
  }
  ASSERT_TRUE(f_.host_state().coach_asked());
  frames(robin_, "style-11-coach-asked");
  const auto& lines = robin_.window->drawn().lines;
  ASSERT_GE(lines.size(), 2u);
  // The headline comes right after the step line (and the link chip).
  const auto step_line =
      std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return l.rfind("Step ", 0) == 0; });
  ASSERT_NE(step_line, lines.end());
  ASSERT_NE(step_line + 1, lines.end());
  EXPECT_EQ(*(step_line + 1), "Choose who starts") << "the headline doesn't say what is asked of the coach";
}

TEST_F(CalmStyle, CtrlZeroResetsTheTextSizeAndPicksNoLevel) {
  ASSERT_EQ(f_.admit_everyone(), "");
  ASSERT_EQ(f_.start(), "");
  ASSERT_EQ(f_.send(*f_.alex, intents::confirm()), "");
  ASSERT_EQ(f_.send(*f_.sam, intents::confirm()), "");
  alex_.ui.text_scale = 1.3f;
  frames(alex_);
  alex_.window->press_key(GLFW_KEY_0, /*ctrl=*/true);
  frames(alex_, "style-12-ctrl-zero-alex");
  EXPECT_FLOAT_EQ(alex_.ui.text_scale, 1.0f) << "Ctrl+0 didn't reset the text size";
  EXPECT_EQ(alex_.ui.check_in_level, -1) << "Ctrl+0 also picked level 0";
  expect_no_number(alex_, "Alex");
  // A plain 0 still picks it.
  alex_.window->press_key(GLFW_KEY_0);
  frames(alex_);
  EXPECT_EQ(alex_.ui.check_in_level, 0);
}

TEST_F(CalmStyle, NoJargonAndSliderValuesReadBesideTheirGrab) {
  ASSERT_EQ(f_.admit_everyone(), "");
  all_frames("style-13-lobby");
  for (const test::Device* d : {&alex_, &sam_, &robin_}) {
    for (const std::string& line : d->window->drawn().lines) {
      EXPECT_EQ(line.find("Partner A"), std::string::npos) << line;
      EXPECT_EQ(line.find("Partner B"), std::string::npos) << line;
      EXPECT_EQ(line.find("Hosting"), std::string::npos) << line;
    }
  }
  const uint32_t threshold = f_.alex->snapshot()->state.settings().threshold();
  EXPECT_TRUE(alex_.window->drawn().shows(std::to_string(threshold) + " of 10"))
      << "the threshold's value isn't shown";
  const auto& regions = alex_.window->regions();
  for (const std::string id : {"threshold", "pause", "long"}) {
    ASSERT_TRUE(regions.count(id + "_slider") && regions.count(id + "_value")) << id;
    EXPECT_FALSE(overlaps(regions.at(id + "_slider"), regions.at(id + "_value")))
        << id << " is under its grab";
  }
  // The start screen's hint speaks plainly: no made-up address.
  test::Device start;
  std::string error;
  start.window = DeviceWindow::create("Attune", WindowGeometry{0, 0, 1000, 780}, &error);
  ASSERT_TRUE(start.window) << error;
  start.ui.display_name = "Alex";
  for (int i = 0; i < 4; ++i) {
    FrameContext ctx;
    ctx.dispatch.join = [](const JoinRequest&) {};
    ctx.dispatch.host = [](const HostRequest&) {};
    ctx.dispatch.nearby = [] { return std::vector<NearbySession>{}; };
    ctx.dispatch.wants_code = [] { return true; };
    ASSERT_TRUE(start.window->render(NodeView{}, start.ui, ctx));
  }
  ASSERT_TRUE(start.window->drawn().shows("Join by invite or address"));
  for (const std::string& line : start.window->drawn().lines)
    EXPECT_EQ(line.find("192.168."), std::string::npos) << line;
}

TEST_F(CalmStyle, TheStopDialogHasTheAppsPaddingAndTheTabsAreNotStock) {
  ASSERT_EQ(f_.admit_everyone(), "");
  ASSERT_EQ(f_.start(), "");
  frames(alex_);
  ASSERT_EQ(alex_.window->click("I need to stop"), DeviceWindow::Click::Done);
  frames(alex_);  // (Input settles first; the picture is of the settled screen.)
  frames(alex_, "style-14-stop-dialog-alex");
  const auto& regions = alex_.window->regions();
  ASSERT_TRUE(regions.count("stop_dialog")) << "no \"Stop here for now?\" dialog";
  const Region& box = regions.at("stop_dialog");
  const Region& text = regions.at("stop_dialog_text");
  EXPECT_GE(text.min.x - box.min.x, 20.0f) << "the dialog's words sit against its edge";
  EXPECT_GE(text.min.y - box.min.y, 16.0f) << "the dialog's words sit against its edge";

  // The app's style, in a context of its own.
  ImGuiContext* previous = ImGui::GetCurrentContext();
  ImGuiContext* context = ImGui::CreateContext();
  ImGui::SetCurrentContext(context);
  apply_style(1.0f);
  EXPECT_GE(ImGui::GetStyle().WindowRounding, 8.0f) << "a dialog (a modal window) has square corners";
  EXPECT_GE(ImGui::GetStyle().PopupRounding, 8.0f);
  ImGuiStyle stock;
  ImGui::StyleColorsLight(&stock);
  for (ImGuiCol col : {ImGuiCol_Tab, ImGuiCol_TabHovered, ImGuiCol_TabActive}) {
    const ImVec4 a = ImGui::GetStyle().Colors[col], b = stock.Colors[col];
    EXPECT_FALSE(a.x == b.x && a.y == b.y && a.z == b.z)
        << ImGui::GetStyleColorName(col) << " is ImGui's stock colour";
  }
  ImGui::DestroyContext(context);
  ImGui::SetCurrentContext(previous);
}

}  // namespace
}  // namespace attune::app

namespace attune::app {
namespace {

using CalmLayout = test::WindowDevices;

// A few frames of d's own snapshot with a dispatch the test adds to.
void frames_with(test::Device& d, int64_t now_ms, const std::function<void(Dispatch&)>& add) {
  for (int i = 0; i < 5; ++i) {
    FrameContext ctx;
    ctx.now_ms = now_ms;
    ctx.time_s = 2.0;
    ctx.dispatch.node = d.node;
    add(ctx.dispatch);
    ASSERT_TRUE(d.window->render(*d.node->snapshot(), d.ui, ctx));
  }
}

TEST_F(CalmLayout, ReadyToBeginIsInViewAt1280x800) {
  glfwSetWindowSize(alex_.window->glfw(), 1280, 800);
  ASSERT_EQ(f_.admit_everyone(), "");
  frames(alex_, "style-15-lobby-1280x800-alex");
  const DrawnButton* ready = alex_.window->drawn().button("I'm ready to begin");
  ASSERT_NE(ready, nullptr);
  EXPECT_LE(ready->max.y, 800.0f) << "\"I'm ready to begin\" is below the window's edge";
  EXPECT_GE(ready->min.y, 0.0f);
}

TEST_F(CalmLayout, TheCodeReadsAloudAndTheAddressStaysWhole) {
  ASSERT_EQ(f_.admit_everyone(), "");
  const std::string invite =
      "attune:bicmbkabcqijr3ycdiddiobsheythg5yxs4a  (or 192.168.1.20:47000, code 482913)";
  glfwSetWindowSize(alex_.window->glfw(), 760, 780);  // Narrow: where the address broke before.
  frames_with(alex_, f_.now_ms(), [&](Dispatch& d) { d.invite = [&] { return invite; }; });
  frames_with(alex_, f_.now_ms(), [&](Dispatch& d) { d.invite = [&] { return invite; }; });
  const std::string shot = (out_dir() / "style-16-code-and-address-alex.png").string();
  FrameContext ctx;
  ctx.now_ms = f_.now_ms();
  ctx.dispatch.node = alex_.node;
  ctx.dispatch.invite = [&] { return invite; };
  ASSERT_TRUE(alex_.window->render(*alex_.node->snapshot(), alex_.ui, ctx, &shot));
  const auto& regions = alex_.window->regions();
  const float body = alex_.window->fonts_in_use().body->FontSize;
  ASSERT_TRUE(regions.count("pairing_code")) << "the code isn't shown on its own";
  const Region& code = regions.at("pairing_code");
  EXPECT_GE(code.max.y - code.min.y, body * 1.5f) << "the code is no bigger than the words around it";
  EXPECT_TRUE(alex_.window->drawn().shows("482 913"));
  ASSERT_TRUE(regions.count("address")) << "the address isn't shown on its own";
  const Region& address = regions.at("address");
  EXPECT_LT(address.max.y - address.min.y, body * 1.6f) << "the address broke across lines";
  EXPECT_TRUE(alex_.window->drawn().shows("192.168.1.20:47000"));
}

TEST_F(CalmLayout, RadioDotsAreSizedToTheirText) {
  ASSERT_EQ(f_.admit_everyone(), "");
  frames(alex_);
  const auto& regions = alex_.window->regions();
  ASSERT_TRUE(regions.count("kind_radio_dot")) << "the kind of talk has no radio dot of its own";
  const Region& r = regions.at("kind_radio_dot");
  const float body = alex_.window->fonts_in_use().body->FontSize;
  EXPECT_LE(r.max.y - r.min.y, body) << "the radio's dot is taller than its words";
  EXPECT_GE(r.max.y - r.min.y, body * 0.5f) << "the radio's dot is too small to see";
}

TEST_F(CalmLayout, PickingANumberMovesNothingBelowIt) {
  ASSERT_EQ(f_.admit_everyone(), "");
  ASSERT_EQ(f_.start(), "");
  ASSERT_EQ(f_.send(*f_.alex, intents::confirm()), "");
  ASSERT_EQ(f_.send(*f_.sam, intents::confirm()), "");
  frames(alex_, "style-17-check-in-unpicked-alex");
  const DrawnButton* before = alex_.window->drawn().button("Check in");
  ASSERT_NE(before, nullptr);
  const float y = before->min.y;
  ASSERT_EQ(alex_.window->click("4"), DeviceWindow::Click::Done);
  frames(alex_);  // (Input settles first; the picture is of the settled screen.)
  frames(alex_, "style-18-check-in-picked-alex");
  const DrawnButton* after = alex_.window->drawn().button("Check in");
  ASSERT_NE(after, nullptr);
  EXPECT_FLOAT_EQ(after->min.y, y) << "the Check in button jumped when a number was picked";
  EXPECT_EQ(alex_.ui.check_in_level, 4);
}

}  // namespace
}  // namespace attune::app
