// Drives the real views through a whole session under a (virtual) display,
// saves each screen as a PNG in the build folder, and checks the pictures:
// not blank, and the regions that matter are there in the right colours.
// Run under xvfb-run (see CMakeLists.txt); look at the PNGs to review.
#include <GLFW/glfw3.h>
#include <gtest/gtest.h>
#include <stb/stb_image.h>

#include <cmath>
#include <filesystem>
#include <set>

#include "app/device_window.hpp"
#include "app/theme.hpp"
#include "app/view_model.hpp"
#include "app/widgets.hpp"
#include "attune/discovery/invite_code.hpp"
#include "attune/intents.hpp"
#include "attune/pairing/pairing_policy.hpp"
#include "local_flow.hpp"
#include "store/store.hpp"

namespace attune::app {
namespace {

namespace fs = std::filesystem;

fs::path out_dir() {
  const char* dir = std::getenv("ATTUNE_SCREENSHOT_DIR");
  return dir ? fs::path(dir) : fs::current_path() / "screenshots";
}

struct Image {
  int w = 0, h = 0;
  std::vector<unsigned char> rgb;
  ImU32 at(float x, float y) const {
    const int xi = std::clamp(static_cast<int>(x), 0, w - 1), yi = std::clamp(static_cast<int>(y), 0, h - 1);
    const unsigned char* p = &rgb[(static_cast<std::size_t>(yi) * w + xi) * 3];
    return IM_COL32(p[0], p[1], p[2], 255);
  }
};

Image load_png(const fs::path& path) {
  Image img;
  int n = 0;
  unsigned char* data = stbi_load(path.c_str(), &img.w, &img.h, &n, 3);
  if (!data) return img;
  img.rgb.assign(data, data + static_cast<std::size_t>(img.w) * img.h * 3);
  stbi_image_free(data);
  return img;
}

bool close_to(ImU32 a, ImU32 b, int tolerance = 12) {
  for (int shift : {IM_COL32_R_SHIFT, IM_COL32_G_SHIFT, IM_COL32_B_SHIFT}) {
    const int ca = static_cast<int>((a >> shift) & 0xFF), cb = static_cast<int>((b >> shift) & 0xFF);
    if (std::abs(ca - cb) > tolerance) return false;
  }
  return true;
}

std::string hex(ImU32 c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", (c >> IM_COL32_R_SHIFT) & 0xFF,
                (c >> IM_COL32_G_SHIFT) & 0xFF, (c >> IM_COL32_B_SHIFT) & 0xFF);
  return buf;
}

class Screens : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(glfwInit()) << "No display: run this test under xvfb-run.";
    fs::create_directories(out_dir());
  }
  // (GLFW is shut down once, at the end: it won't start again after glfwTerminate.)

  void SetUp() override {
    std::string error;
    window_ = DeviceWindow::create("Attune screenshot", WindowGeometry{0, 0, 1100, 800}, &error);
    ASSERT_TRUE(window_) << error;
  }
  void TearDown() override { window_.reset(); }

  // Renders a few frames (ImGui settles layout over two or three), saves the
  // last as name.png, and loads it back for checking.
  Image shoot(const std::string& name, const NodeView& snap, UiState& ui, int64_t now_ms,
              double time_s = 2.0) {
    const fs::path path = out_dir() / (name + ".png");
    for (int i = 0; i < 4; ++i) {
      FrameContext ctx;
      ctx.now_ms = now_ms;
      ctx.time_s = time_s;
      ctx.dispatch.save_history = [this](const HistoryEntry& e) { history_.push_back(e); };
      ctx.dispatch.load_history = [this] { return history_; };
      ctx.dispatch.nearby = [] {
        return std::vector<NearbySession>{{"s-nearby", "K7QM", 3, "192.168.1.20"}};
      };
      ctx.dispatch.host = [](const HostRequest&) {};
      ctx.dispatch.join = [](const JoinRequest&) {};
      ctx.dispatch.wants_code = [] { return true; };
      ctx.dispatch.fresh_start = [] {};
      if (extra_dispatch_) extra_dispatch_(ctx.dispatch);
      const std::string target = path.string();
      EXPECT_TRUE(window_->render(snap, ui, ctx, i == 3 ? &target : nullptr));
    }
    Image img = load_png(path);
    EXPECT_GT(img.w, 0) << "couldn't read back " << path;
    expect_not_blank(img, name);
    return img;
  }

  static void expect_not_blank(const Image& img, const std::string& name) {
    std::set<ImU32> colours;
    std::size_t differs = 0;
    const ImU32 bg = palette().background;
    for (int y = 0; y < img.h; y += 3)
      for (int x = 0; x < img.w; x += 3) {
        const ImU32 c = img.at(static_cast<float>(x), static_cast<float>(y));
        colours.insert(c);
        if (!close_to(c, bg, 2)) ++differs;
      }
    const double share = static_cast<double>(differs) / ((img.w / 3.0) * (img.h / 3.0));
    EXPECT_GT(colours.size(), 40u) << name << " looks blank";
    EXPECT_GT(share, 0.05) << name << " is mostly empty background";
  }

  const Region& region(const std::string& name) {
    static const Region none{};
    const auto& regions = window_->regions();
    auto it = regions.find(name);
    EXPECT_NE(it, regions.end()) << "region " << name << " was not drawn";
    return it == regions.end() ? none : it->second;
  }

  void expect_colour(const Image& img, float x, float y, ImU32 want, const std::string& what) {
    const ImU32 got = img.at(x, y);
    EXPECT_TRUE(close_to(got, want)) << what << ": expected " << hex(want) << " at (" << x << "," << y
                                     << ") but found " << hex(got);
  }

  std::unique_ptr<DeviceWindow> window_;
  std::vector<HistoryEntry> history_;
  std::function<void(Dispatch&)> extra_dispatch_;  // What a test adds to each frame's dispatch.

  void share_pause_and_drop(test::LocalFlow& f);
};

// `who` types `command` at this line of the walk.
bool is(const attune::test::Line& line, attune::test::Who who, const std::string& command) {
  return line.who == who && line.command == command;
}

// The shared walk (session_script) through the real views: a screen at the
// moments that matter, and a pause and a dropped link on the way.
TEST_F(Screens, TheWholeSessionLooksRight) {
  using attune::test::Line;
  using attune::test::Who;
  const Palette& pal = palette();
  test::LocalFlow f;

  // 1. Start.
  {
    UiState ui;
    ui.display_name = "Alex";
    const Image img = shoot("01-start", NodeView{}, ui, f.now_ms());
    const Region& card = region("host_card");
    expect_colour(img, card.min.x + 6, (card.min.y + card.max.y) * 0.5f, pal.surface, "host card");
    region("name_card");
  }
  bool shared = false;  // Screens 4 to 9 are taken while Alex first shares.
  attune::test::WalkHooks hooks;
  hooks.before = [&](const Line& line, std::size_t) {
    f.advance_seconds(30);  // Each move takes a moment.
    const State& state = f.host_state();
    // 2. Lobby: Sam is in, Robin (coach) waits for Alex to let them in.
    if (is(line, Who::A, "admit coach")) {
      UiState ui;
      const Image img = shoot("02-lobby", *f.alex->snapshot(), ui, f.now_ms());
      const Region& privacy = region("privacy");
      expect_colour(img, privacy.min.x + 6, (privacy.min.y + privacy.max.y) * 0.5f, pal.accent_soft,
                    "privacy card");
      region("people");
    }
    // 3. The first check-in, on Alex's device, with 2 picked.
    if (state.step() == v1::STEP_GAUGE && is(line, Who::A, "checkin 2")) {
      UiState ui;
      ui.check_in_level = 2;
      const Image img = shoot("03-check-in", *f.alex->snapshot(), ui, f.now_ms());
      const Region& scale = region("check_in_scale");
      const float d = scale.max.y - scale.min.y;
      const float step = (scale.max.x - scale.min.x - d) / 10.0f;
      // The chosen circle (2) is filled with the accent; 0 is not.
      expect_colour(img, scale.min.x + 2 * step + d * 0.5f, scale.min.y + d * 0.85f, pal.accent,
                    "chosen level");
      EXPECT_FALSE(close_to(img.at(scale.min.x + d * 0.5f, scale.min.y + d * 0.85f), pal.accent)) << "level 0";
    }
    if (!shared && state.step() == v1::STEP_SHARE && is(line, Who::A, "pass-floor")) {
      shared = true;
      share_pause_and_drop(f);
    }
  };
  attune::test::run_walk(attune::test::nine_steps(), [&](const Line& line) { f.play(line); }, hooks);
  ASSERT_TRUE(shared);
  ASSERT_FALSE(HasFailure());

  // 10. The end: summary with my own timeline, saved to history.
  {
    UiState ui;
    const Image img = shoot("10-summary", *f.alex->snapshot(), ui, f.now_ms());
    const Region& plot = region("plot");
    // Bottom of the plot area is the calm band (at or below the threshold).
    expect_colour(img, plot.min.x + (plot.max.x - plot.min.x) * 0.5f, plot.max.y - 30, pal.accent_soft,
                  "calm band");
    ASSERT_EQ(history_.size(), 1u);
    EXPECT_TRUE(history_[0].completed);
  }
  // 11. History on this device.
  {
    UiState ui;
    ui.start_panel = StartPanel::History;
    shoot("11-history", NodeView{}, ui, f.now_ms());
    region("plot");
  }
}

// Screens 4 to 9, while Alex shares: the writing box, Sam listening, a
// pause Sam calls (and the coach's view of it), then Sam's link drops and
// comes back. The session is back where it was: Alex sharing.
void Screens::share_pause_and_drop(test::LocalFlow& f) {
  const Palette& pal = palette();
  // 4. Share: Alex speaks and writes; a blame phrase gets a gentle hint.
  {
    UiState ui;
    ui.drafts["6:1:0"] = "I felt lonely when the plans changed. You never ask me first.";
    ui.vocabulary_open = true;
    const Image img = shoot("04-speaker", *f.alex->snapshot(), ui, f.now_ms());
    const Region& banner = region("floor_speaking");
    expect_colour(img, banner.min.x + 12, (banner.min.y + banner.max.y) * 0.5f, pal.accent, "speaker banner");
    region("writing_box");
    region("hints");
  }
  {
    // A huge paste: the box keeps what one message can hold and says so.
    UiState ui;
    ui.drafts["6:1:0"] = std::string(9000, 'a');
    shoot("04b-speaker-full-box", *f.alex->snapshot(), ui, f.now_ms());
    EXPECT_LE(ui.drafts["6:1:0"].size(), kMaxTextBytes);
    EXPECT_TRUE(room_left_note(ui.drafts["6:1:0"].size(), kMaxTextBytes).find("as much as") !=
                std::string::npos);
    region("writing_limit");
  }
  // 5. Sam listens.
  {
    UiState ui;
    const Image img = shoot("05-listener", *f.sam->snapshot(), ui, f.now_ms());
    const Region& banner = region("floor_listening");
    expect_colour(img, banner.min.x + 12, (banner.min.y + banner.max.y) * 0.5f, pal.listen,
                  "listener banner");
  }
  // 6. Sam calls a pause: the pacer and the countdown.
  ASSERT_EQ(f.send(*f.sam, intents::pause()), "");
  f.advance_seconds(18);
  {
    UiState ui;
    const Image img = shoot("06-pause", *f.sam->snapshot(), ui, f.now_ms(), /*time_s=*/3.0);
    const Region& pacer = region("pacer");
    const float r = (pacer.max.x - pacer.min.x) * 0.5f;
    const ImVec2 c((pacer.min.x + pacer.max.x) * 0.5f, (pacer.min.y + pacer.max.y) * 0.5f);
    expect_colour(img, c.x, c.y + r * 0.32f, pal.breath, "pacer circle");
    expect_colour(img, c.x, c.y + r * 0.97f, pal.breath_soft, "pacer outer ring");
    region("countdown");
  }
  // 7. The coach sees the pause, the people and who shares their numbers.
  {
    UiState ui;
    ui.coach_notes = "Both settled quickly after the first gate.\nSam asked for a pause during the share.";
    const Image img = shoot("07-coach", *f.robin->snapshot(), ui, f.now_ms(), 3.0);
    const Region& levels = region("coach_levels");
    expect_colour(img, levels.min.x + 6, (levels.min.y + levels.max.y) * 0.5f, pal.surface,
                  "coach numbers card");
    region("pacer");
  }
  // 8. Sam's link drops: honest state on both sides.
  ASSERT_EQ(f.finish_pause(), "");
  ASSERT_EQ(f.both_check_in(2, 2), "");
  f.set_connected("dev-sam", false);
  {
    UiState ui;
    const Image img = shoot("08-partner-offline", *f.alex->snapshot(), ui, f.now_ms());
    const Region& band = region("connection_band");
    expect_colour(img, band.min.x + 6, (band.min.y + band.max.y) * 0.5f, pal.notice_soft, "offline band");
  }
  {
    UiState ui;
    const Image img = shoot("09-reconnecting", *f.sam->snapshot(), ui, f.now_ms());
    const Region& band = region("connection_band");
    expect_colour(img, band.min.x + 6, (band.min.y + band.max.y) * 0.5f, pal.alert_soft, "reconnecting band");
  }
  f.advance_seconds(130);
  f.set_connected("dev-sam", true);  // The minimum pause is over: straight to the check-in.
  ASSERT_EQ(f.both_check_in(2, 2), "");
  ASSERT_EQ(f.host_state().step(), v1::STEP_SHARE);
}

// The steps the whole session passes without a screen: the shared walk up
// to the gesture, then a long break.
TEST_F(Screens, TheOtherStepsLookRight) {
  using attune::test::Line;
  using attune::test::Who;
  const Palette& pal = palette();
  test::LocalFlow f;
  auto lines = attune::test::nine_steps();
  // Up to and including the first gesture: a long break follows it.
  lines.erase(std::find_if(lines.begin(), lines.end(),
                           [](const Line& l) { return l.command.starts_with("propose-gesture"); }) +
                  1,
              lines.end());
  bool asked_more = false, answered = false, validated = false;
  bool validating = false;  // (Alex says "nothing more" again after "not quite": shoot the first.)
  attune::test::WalkHooks hooks;
  hooks.before = [&](const Line&, std::size_t) { f.advance_seconds(30); };
  hooks.after = [&](const Line& line, std::size_t) {
    if (is(line, Who::A, "offer-first")) {
      UiState ui;
      shoot("12-who-first", *f.sam->snapshot(), ui, f.now_ms());
      region("now_card");
    }
    // Deeper listening: "Is there more?", the speaker adds, then validation and empathy.
    if (!asked_more && is(line, Who::B, "ask-more")) {
      asked_more = true;
      UiState ui;
      const Image img = shoot("27-is-there-more", *f.alex->snapshot(), ui, f.now_ms());
      const Region& banner = region("floor_speaking");
      expect_colour(img, banner.min.x + 12, (banner.min.y + banner.max.y) * 0.5f, pal.accent, "speaker's turn");
    }
    if (!validating && is(line, Who::A, "nothing-more")) {
      validating = true;
      EXPECT_EQ(f.sam->snapshot()->state.rounds(0).clarifications(), 0u)
          << "28-validate comes after \"not quite\"";
      UiState ui;
      ui.drafts["validate:1:0"] = "It makes sense to me that you felt lonely, because I changed the plans alone.";
      const Image img = shoot("28-validate", *f.sam->snapshot(), ui, f.now_ms());
      const Region& card = region("listening");
      expect_colour(img, card.min.x + 6, (card.min.y + card.max.y) * 0.5f, pal.surface, "listening card");
    }
    // Then empathy, one part at a time; the speaker sees what the listener is doing.
    if (!validated && is(line, Who::B, "validated")) {
      validated = true;
      UiState ui;
      ui.drafts["empathise:1:0"] = "I imagine you might feel small, and left out.";
      const Image img = shoot("28b-empathise", *f.sam->snapshot(), ui, f.now_ms());
      const Region& card = region("listening");
      expect_colour(img, card.min.x + 6, (card.min.y + card.max.y) * 0.5f, pal.surface, "empathy card");
      UiState speaker_ui;
      const Image speaker = shoot("28c-empathise-speaker", *f.alex->snapshot(), speaker_ui, f.now_ms());
      const Region& banner = region("floor_listening");
      expect_colour(speaker, banner.min.x + 12, (banner.min.y + banner.max.y) * 0.5f, pal.listen,
                    "the speaker listens");
      // What Sam is doing is said once (the banner), not again as guidance and as the waiting line.
      const auto& lines = window_->drawn().lines;
      const auto said = [](const std::string& l) { return l.find("imagining how") != std::string::npos; };
      EXPECT_EQ(std::count_if(lines.begin(), lines.end(), said), 1);
    }
    if (!answered && is(line, Who::B, "finish-reflection")) {
      answered = true;
      UiState ui;
      const Image img = shoot("13-reflect-answer", *f.alex->snapshot(), ui, f.now_ms());
      const Region& card = region("now_card");
      expect_colour(img, card.min.x + 6, (card.min.y + card.max.y) * 0.5f, pal.surface, "answer card");
    }
    if (line.step_after == "STEP_OWN_PATTERN" && line.phase_after == "PHASE_ACTIVE") {
      UiState ui;
      const Image img = shoot("14-own-part-listening", *f.sam->snapshot(), ui, f.now_ms());
      const Region& banner = region("floor_listening");
      expect_colour(img, banner.min.x + 12, (banner.min.y + banner.max.y) * 0.5f, pal.listen,
                    "listener banner");
    }
  };
  attune::test::run_walk(lines, [&](const Line& line) { f.play(line); }, hooks);
  ASSERT_FALSE(HasFailure());
  // Step 9: Sam sees the gesture Alex offered.
  {
    UiState ui;
    shoot("15-reconnect", *f.sam->snapshot(), ui, f.now_ms());
    region("now_card");
  }
  // Alex, who offered it, reads it as theirs, waiting on Sam: never "From You".
  {
    UiState ui;
    shoot("15b-reconnect-offered", *f.alex->snapshot(), ui, f.now_ms());
    EXPECT_FALSE(window_->drawn().shows("From You"));
    EXPECT_TRUE(window_->drawn().shows("Your idea. Waiting for Sam's answer."));
    EXPECT_TRUE(window_->drawn().shows("Waiting for Sam's answer. You can offer another too."));
  }
  // A longer break, agreed by both, with a return time.
  ASSERT_EQ(f.send(*f.sam, intents::pause()), "");
  ASSERT_EQ(f.send(*f.alex, intents::propose_long_break(f.now_ms() + 45 * 60'000)), "");
  ASSERT_EQ(f.send(*f.sam, intents::accept_long_break()), "");
  {
    UiState ui;
    const Image img = shoot("16-long-break", *f.alex->snapshot(), ui, f.now_ms());
    const Region& card = region("long_break");
    expect_colour(img, card.min.x + 6, (card.min.y + card.max.y) * 0.5f, pal.breath_soft, "long break card");
  }
  {
    // The host's disk is full: the session goes on, and the band says so.
    NodeView snap = *f.alex->snapshot();
    snap.storage_notice = store::describe(store::Unavailable::DiskFull);
    UiState ui;
    const Image img = shoot("19-storage-in-memory", snap, ui, f.now_ms());
    const Region& band = region("storage_band");
    expect_colour(img, band.min.x + 6, (band.min.y + band.max.y) * 0.5f, pal.notice_soft, "storage band");
    region("long_break");
  }
}

TEST_F(Screens, ADamagedSavedSessionOffersAFreshStart) {
  const Palette& pal = palette();
  UiState ui;
  ui.display_name = "Alex";
  ui.damaged_file = "/home/alex/.local/share/attune/attune.db";
  ui.start_error = "Couldn't open the session saved on this computer.";
  const Image img = shoot("20-damaged-data", NodeView{}, ui, 1'700'000'000'000);
  const Region& card = region("damaged_card");
  expect_colour(img, card.min.x + 6, (card.min.y + card.max.y) * 0.5f, pal.notice_soft, "damaged data card");
}

// The host's lobby after its code was replaced (five wrong tries) and after
// it ran out: a plain sentence next to the code says why. Once it ran out,
// the roster's card offers "Make a new code".
TEST_F(Screens, TheLobbySaysWhyTheCodeChanged) {
  const Palette& pal = palette();
  test::LocalFlow f(/*with_coach=*/false);
  discovery::InviteInfo info;
  info.addresses = {"192.168.1.20"};
  info.port = 47000;
  info.session_code = "482913";
  const std::string invite = discovery::encode_invite(info).text + "  (or 192.168.1.20:47000, code 482913)";
  const std::string plain = "192.168.1.20:47000";
  struct Case {
    std::string name;
    pairing::PolicyEvent event;
    std::string invite;
    bool code_closed;
  };
  for (const Case& c :
       {Case{"17-code-replaced", {pairing::PolicyEventKind::CodeRotated, "482913"}, invite, false},
        Case{"18-code-expired", {pairing::PolicyEventKind::CodeExpired, ""}, plain, true}}) {
    std::string notice = pairing::user_message(c.event);
    bool dismissed = false;
    int pressed = 0;
    extra_dispatch_ = [&](Dispatch& d) {
      d.invite = [&] { return c.invite; };
      d.code_notice = [&] { return dismissed ? std::string() : notice; };
      d.dismiss_code_notice = [&] { dismissed = true; };
      d.can_make_code = [&] { return c.code_closed; };
      d.make_code = [&] { ++pressed; };
    };
    UiState ui;
    const Image img = shoot(c.name, *f.alex->snapshot(), ui, f.now_ms());
    const Region& card = region("code_notice");
    expect_colour(img, card.min.x + 6, (card.min.y + card.max.y) * 0.5f, pal.notice_soft, c.name + " notice");
    // Wrapped inside the window, right under the roster's card and its code.
    EXPECT_LE(card.max.x, static_cast<float>(img.w)) << c.name;
    const Region& people = region("people");
    EXPECT_GE(card.min.y, people.max.y);
    EXPECT_LT(card.min.y - people.max.y, 40.0f) << "the notice sits next to the code";
    EXPECT_GT(card.max.y - card.min.y, 40.0f) << "the sentence and its button need room";
    const bool has_button = window_->regions().count("make_code") > 0;
    EXPECT_EQ(has_button, c.code_closed) << c.name << ": the button shows only while the code is closed";
    if (has_button) {
      // Inside the roster's card, where the code used to be, in the accent colour.
      const Region& button = region("make_code");
      EXPECT_GE(button.min.y, people.min.y);
      EXPECT_LE(button.max.y, people.max.y);
      expect_colour(img, button.max.x - 6, (button.min.y + button.max.y) * 0.5f, pal.accent,
                    c.name + " button");
      EXPECT_NE(notice.find("make a new code"), std::string::npos) << "the notice points at the button";
    }
    EXPECT_EQ(pressed, 0);
  }
  extra_dispatch_ = nullptr;
}

// A quick repair: the lobby choice, each of its own steps, and the summary.
TEST_F(Screens, TheQuickRepairLooksRight) {
  const Palette& pal = palette();
  test::LocalFlow f;
  ASSERT_EQ(f.admit_everyone(), "");
  v1::Settings quick = f.alex->snapshot()->state.settings();
  quick.set_kind(v1::REPAIR_KIND_QUICK);
  quick.set_repairer(v1::ROLE_PARTNER_B);  // Sam is reaching out.
  ASSERT_EQ(f.send(*f.sam, intents::settings(quick)), "");
  {
    UiState ui;
    shoot("21-lobby-quick", *f.alex->snapshot(), ui, f.now_ms());
    const Region& kind = region("kind_choice");
    EXPECT_GT(kind.max.y - kind.min.y, 40.0f) << "both choices and who is reaching out";
  }
  ASSERT_EQ(f.start(), "");
  const Intent confirm = intents::confirm();
  ASSERT_EQ(f.send(*f.alex, confirm), "");
  ASSERT_EQ(f.send(*f.sam, confirm), "");
  ASSERT_EQ(f.both_check_in(2, 1), "");
  ASSERT_EQ(f.sam->snapshot()->state.step(), v1::STEP_ACKNOWLEDGE);
  {
    UiState ui;
    ui.drafts["12:0:0"] = "I see that I hurt you when I checked my phone while you were talking.";
    const Image img = shoot("22-quick-acknowledge", *f.sam->snapshot(), ui, f.now_ms());
    const Region& banner = region("floor_speaking");
    expect_colour(img, banner.min.x + 12, (banner.min.y + banner.max.y) * 0.5f, pal.accent, "repairer banner");
    region("writing_box");
    const Region& progress = region("progress");
    EXPECT_LT(progress.max.x - progress.min.x, 9 * 22.0f * 0.7f) << "five dots, not nine";
    EXPECT_EQ(window_->regions().count("hints"), 0u) << "a kind acknowledgment gets no hint";
  }
  {
    // A defensive explanation gets a gentle hint under the box.
    UiState ui;
    ui.drafts["12:0:0"] = "I didn't mean it that way. Honestly, you're too sensitive about my phone.";
    shoot("29-acknowledge-defence-hint", *f.sam->snapshot(), ui, f.now_ms());
    const Region& hints = region("hints");
    EXPECT_GT(hints.max.y - hints.min.y, region("writing_box").max.y - region("writing_box").min.y)
        << "the hints sit under the writing box";
  }
  ASSERT_EQ(
      f.send(*f.sam, intents::write("I see that I hurt you when I checked my phone while you were talking.")), "");
  ASSERT_EQ(f.send(*f.sam, intents::pass_floor()), "");
  {
    UiState ui;
    const Image img = shoot("23-quick-feel-seen", *f.alex->snapshot(), ui, f.now_ms());
    const Region& card = region("now_card");
    expect_colour(img, card.min.x + 6, (card.min.y + card.max.y) * 0.5f, pal.surface, "answer card");
  }
  ASSERT_EQ(f.send(*f.alex, intents::heard()), "");
  ASSERT_EQ(f.send(*f.sam, intents::pass_floor()), "");
  ASSERT_EQ(f.alex->snapshot()->state.step(), v1::STEP_OTHER_PART);
  {
    UiState ui;
    const Image img = shoot("24-quick-other-part", *f.alex->snapshot(), ui, f.now_ms());
    const Region& banner = region("floor_speaking");
    expect_colour(img, banner.min.x + 12, (banner.min.y + banner.max.y) * 0.5f, pal.accent, "other's banner");
  }
  ASSERT_EQ(f.send(*f.alex, intents::skip_part()), "");
  ASSERT_EQ(f.both_check_in(1, 1), "");
  ASSERT_EQ(f.send(*f.sam, intents::propose_gesture("Phones in the drawer, tea on the sofa")), "");
  const uint32_t id = f.alex->snapshot()->state.gestures(0).id();
  ASSERT_EQ(f.send(*f.alex, intents::accept_gesture(id)), "");
  {
    UiState ui;
    shoot("25-quick-summary", *f.alex->snapshot(), ui, f.now_ms());
    ASSERT_EQ(history_.size(), 1u);
    EXPECT_EQ(history_[0].kind, RepairKindRecord::Quick);
  }
  {
    // History says which kind each session was: add a whole conversation.
    HistoryEntry whole = history_[0];
    whole.session_id = "s-earlier";
    whole.session_name = "Last Tuesday";
    whole.kind = RepairKindRecord::Full;
    whole.steps_reached = 9;
    whole.ended_ms -= 86'400'000;
    history_.push_back(whole);
    UiState ui;
    ui.start_panel = StartPanel::History;
    shoot("26-history-kinds", NodeView{}, ui, f.now_ms());
  }
}

// Calm, not stock (issue 13): the restyled lobby (the code to read aloud,
// the address whole, dots sized to their words, "I'm ready to begin" in
// view), the stop dialog with the app's padding, the coach's own headline.
TEST_F(Screens, CalmStyleStills) {
  test::LocalFlow f;
  const std::string invite = "attune:bicmbkabcqijr3ycdiddiobsheythg5yxs4a  (or 192.168.1.20:47000, code 482913)";
  extra_dispatch_ = [&](Dispatch& d) { d.invite = [&] { return invite; }; };
  ASSERT_EQ(f.admit_everyone(), "");
  {
    UiState ui;
    shoot("30-lobby-code-and-ready", *f.alex->snapshot(), ui, f.now_ms());
    region("pairing_code");
    region("address");
    region("ready_row");
  }
  extra_dispatch_ = nullptr;
  ASSERT_EQ(f.start(), "");
  {
    UiState ui;
    ui.confirm_exit = true;
    shoot("31-stop-dialog", *f.alex->snapshot(), ui, f.now_ms());
    region("stop_dialog");
  }
  ASSERT_EQ(f.send(*f.alex, intents::confirm()), "");
  {
    UiState ui;
    shoot("32-coach-progress", *f.robin->snapshot(), ui, f.now_ms());
  }
}

}  // namespace
}  // namespace attune::app
