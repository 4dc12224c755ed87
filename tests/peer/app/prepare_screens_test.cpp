// Preparing alone through the real views and real clicks, under a virtual
// display: the start screen's way in (and its word about practising with a
// friend), the walk from what happened to a gesture, saved and edited later;
// then a real session (the product's own nodes over the in-process
// loopback) that offers the draft at the steps it was made for, sends
// nothing until the person sends it; and step 7 starting from what was said
// in a quick repair that grew into the whole conversation.
// PNGs land in <build>/screenshots.
#include <algorithm>

#include "attune/intents.hpp"
#include "local_flow.hpp"
#include "prepare/prepare_store.hpp"
#include "screen_test.hpp"
#include "sql_reads.hpp"

namespace attune::app {
namespace {

using attune::test::Line;
using attune::test::Who;

class PrepareScreens : public ScreenTest {
 protected:
  void SetUp() override {
    attune::test::SqlReads::install();
    open_window("Attune prepare");
    std::string error;
    store_ = prepare::PrepareStore::open(prepare::prepare_file(dir_.path()), &error);
    ASSERT_TRUE(store_) << error;
  }
  void prepare(FrameContext& ctx) override {
    ctx.dispatch.prepare = store_.get();
    ctx.dispatch.node = node_;
    ctx.dispatch.load_history = [] { return std::vector<HistoryEntry>{}; };
  }
  // At the test's own clock, which it moves on.
  void frames(const NodeView& snap, UiState& ui, const std::string& name = "") {
    ScreenTest::frames(snap, ui, now_ms_, name, 6);
  }
  void frames(UiState& ui, const std::string& name = "") { frames(NodeView{}, ui, name); }
  void click(const NodeView& snap, UiState& ui, const std::string& label) {
    ScreenTest::click(snap, ui, now_ms_, label);
  }
  void click(UiState& ui, const std::string& label) { click(NodeView{}, ui, label); }
  // The prepare screen, drawn, with one preparation about `what`.
  UiState on_the_list_with(prepare::Words& w, const std::string& what) {
    w.what = what;
    keep(w);
    UiState ui;
    ui.start_panel = StartPanel::Prepare;
    frames(ui);
    return ui;
  }
  void keep(const prepare::Words& words) {
    ASSERT_TRUE(std::holds_alternative<prepare::Preparation>(store_->add(words, now_ms_)));
  }

  attune::test::TempDir dir_;
  std::unique_ptr<prepare::PrepareStore> store_;
  NodeApi* node_ = nullptr;
  int64_t now_ms_ = 1'800'000'000'000;
};

TEST_F(PrepareScreens, PreparingAloneWalksTheStepsAndIsKeptToEditLater) {
  UiState ui;
  ui.display_name = "Alex";
  frames(ui, "prepare-1-start");
  EXPECT_TRUE(shows("your friend joins in your partner's seat")) << "the start screen says how to practise with a friend";
  click(ui, "Prepare alone");
  ASSERT_EQ(ui.start_panel, StartPanel::Prepare);
  frames(ui, "prepare-2-empty");
  click(ui, "Start preparing");
  ASSERT_TRUE(ui.prepare.walking);
  click(ui, "Save");
  EXPECT_TRUE(shows("Write a few words")) << "nothing written gets a kind word, and nothing is kept";
  EXPECT_TRUE(store_->list().empty());
  ui.prepare.words.what = "Sunday's phone call: I hung up on you and left the room.";
  frames(ui);
  click(ui, "Next");
  click(ui, "7");  // Activation: high, so the pacer comes.
  frames(ui, "prepare-3-activation");
  EXPECT_TRUE(drawn("prepare_pacer")) << "a high number offers the pacer";
  click(ui, "Next");
  ui.prepare.words.generous = "Maybe they were scared about the money too.";
  frames(ui);
  click(ui, "Next");
  EXPECT_TRUE(window_->drawn().button("I felt ... when ...")) << "the share has its sentence starters";
  ui.prepare.words.share = "I felt alone when the call ended. You never ask how I am.";
  frames(ui, "prepare-4-share");
  EXPECT_TRUE(drawn("hints")) << "blame language gets its gentle hint, as in a session";
  ui.prepare.words.share = "I felt alone when the call ended, and I needed to be asked.";
  frames(ui);
  click(ui, "Next");
  ui.prepare.words.own_part = "When I feel cornered I hang up and go quiet.";
  frames(ui);
  click(ui, "Next");
  ui.prepare.words.reassure = "I still want us, even when I walk away.";
  frames(ui);
  click(ui, "Next");
  click(ui, "A walk together");
  click(ui, "Next");
  EXPECT_TRUE(shows("A walk together"));
  frames(ui, "prepare-5-review");
  click(ui, "Save");
  auto all = store_->list();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].words.activation, 7);
  EXPECT_EQ(all[0].words.gesture, "A walk together");
  EXPECT_EQ(all[0].words.own_part, "When I feel cornered I hang up and go quiet.");
  EXPECT_TRUE(shows("Saved on this device"));

  click(ui, "Back to my preparations");
  EXPECT_TRUE(shows("Sunday's phone call")) << "listed by what happened";
  frames(ui, "prepare-6-list");
  now_ms_ += 3'600'000;
  click(ui, "Open and edit");
  ASSERT_TRUE(ui.prepare.walking);
  EXPECT_EQ(ui.prepare.words.reassure, "I still want us, even when I walk away.") << "opened with its words";
  ui.prepare.words.reassure = "I still want us. I'm not going anywhere.";
  frames(ui);
  click(ui, "Save");
  all = store_->list();
  ASSERT_EQ(all.size(), 1u) << "an edit changes the one, it doesn't add another";
  EXPECT_EQ(all[0].words.reassure, "I still want us. I'm not going anywhere.");
  EXPECT_EQ(all[0].updated_ms, now_ms_);

  // Past sessions list it too, and open it from there.
  ui.prepare.walking = false;
  ui.start_panel = StartPanel::History;
  frames(ui, "prepare-11-in-past-sessions");
  EXPECT_TRUE(drawn("history_preparations")) << "past sessions list what was prepared alone";
  EXPECT_TRUE(shows("Sunday's phone call"));
  click(ui, "Open and edit");
  EXPECT_EQ(ui.start_panel, StartPanel::Prepare);
  ASSERT_TRUE(ui.prepare.walking);
  EXPECT_EQ(ui.prepare.words.reassure, "I still want us. I'm not going anywhere.") << "opened with its words";
}

// What was prepared is read from the file on a change or every few seconds,
// never per frame, on the prepare screen and in past sessions; a change made
// here shows at once, one made elsewhere within a few seconds.
TEST_F(PrepareScreens, TheListsReadTheFileOnAChangeAndEveryFewSecondsNotEveryFrame) {
  prepare::Words w;
  UiState ui = on_the_list_with(w, "Sunday's phone call");
  for (const StartPanel panel : {StartPanel::Prepare, StartPanel::History}) {
    ui.start_panel = panel;
    attune::test::SqlReads::reset();
    ScreenTest::frames(NodeView{}, ui, now_ms_, "", 60);  // Three seconds of frames.
    EXPECT_LE(attune::test::SqlReads::count("prepare.db"), 2) << "60 frames read the file that often";
    EXPECT_TRUE(shows("Sunday's phone call"));
  }
  w.what = "the dishes";
  keep(w);  // As `attune prepare add` would, from another process.
  ScreenTest::frames(NodeView{}, ui, now_ms_, "", 45);
  EXPECT_TRUE(shows("the dishes")) << "another process's change shows within a few seconds";
  ui.start_panel = StartPanel::Prepare;
  frames(ui);
  click(ui, "Remove");
  const auto left = store_->list();
  ASSERT_EQ(left.size(), 1u);
  const std::string gone = left[0].words.what == "the dishes" ? "Sunday's phone call" : "the dishes";
  EXPECT_FALSE(shows(gone)) << "a change made here shows at once";
}

TEST_F(PrepareScreens, AFileThatCantBeReadIsSaidInWords) {
  prepare::Words w;
  UiState ui = on_the_list_with(w, "Sunday's phone call");
  ASSERT_TRUE(attune::test::SqlReads::spoil(prepare::prepare_file(dir_.path()).string(), "preparations"));
  time_s_ += 3;
  frames(ui, "prepare-12-cant-read");
  EXPECT_TRUE(shows("What you prepared couldn't be read just now")) << "not an empty list, as if nothing was there";
  EXPECT_FALSE(shows("Nothing yet"));
}

// Done when: a draft made alone is offered in a later real session, and
// nothing of it is sent unless the person sends it.
TEST_F(PrepareScreens, ALaterSessionOffersTheDraftAndSendsItOnlyWhenChosen) {
  prepare::Words w;
  w.what = "the phone call";
  w.generous = "Maybe they were scared about the money too.";
  w.share = "I felt alone when the call ended, and I needed to be asked.";
  keep(w);
  test::LocalFlow f;
  node_ = f.alex.get();
  ASSERT_EQ(f.admit_everyone(), "");
  ASSERT_EQ(f.start(), "");
  ASSERT_EQ(f.send(*f.alex, intents::confirm()), "");
  ASSERT_EQ(f.send(*f.sam, intents::confirm()), "");
  ASSERT_EQ(f.both_check_in(2, 2), "");
  ASSERT_EQ(f.host_state().step(), v1::STEP_BENEFIT);
  UiState ui;
  frames(*f.alex->snapshot(), ui, "prepare-7-offer-benefit");
  ASSERT_TRUE(drawn("prepared_offer")) << "step 3 offers the generous reading";
  click(*f.alex->snapshot(), ui, "Start from my draft");
  EXPECT_EQ(ui.private_note, w.generous) << "it fills the private note, which is never sent";
  EXPECT_FALSE(drawn("prepared_offer")) << "once used, the offer steps aside";

  ASSERT_EQ(f.send(*f.alex, intents::confirm()), "");
  ASSERT_EQ(f.send(*f.sam, intents::confirm()), "");
  ASSERT_EQ(f.both_check_in(2, 2), "");
  ASSERT_EQ(f.send(*f.alex, intents::offer_first()), "");
  ASSERT_EQ(f.send(*f.sam, intents::accept_first()), "");
  ASSERT_EQ(f.both_check_in(2, 2), "");
  ASSERT_EQ(f.host_state().step(), v1::STEP_SHARE);
  frames(*f.alex->snapshot(), ui, "prepare-8-offer-share");
  ASSERT_TRUE(drawn("prepared_offer")) << "Alex's share offers the prepared draft";
  EXPECT_TRUE(shows("Nothing is sent until you choose to send it."));
  click(*f.alex->snapshot(), ui, "Start from my draft");
  const auto in_box = std::any_of(ui.drafts.begin(), ui.drafts.end(), [&](const auto& d) { return d.second == w.share; });
  EXPECT_TRUE(in_box) << "the writing box starts from the draft";
  EXPECT_EQ(f.host_state().rounds(0).share_text(), "") << "starting from it sends nothing";
  frames(*f.alex->snapshot(), ui, "prepare-9-draft-in-box");
  click(*f.alex->snapshot(), ui, "Show them what I wrote");
  EXPECT_EQ(f.host_state().rounds(0).share_text(), w.share) << "sent when Alex sends it";
  EXPECT_EQ(f.sam->snapshot()->state.rounds(0).share_text(), w.share);
  for (const auto* device : {f.alex.get(), f.sam.get()})
    EXPECT_EQ(device->snapshot()->state.DebugString().find(w.generous), std::string::npos)
        << "the generous reading never reaches the session";

  // The same preparations seen from the listener's seat: no share is asked
  // of them, so nothing is offered.
  UiState sam_ui;
  node_ = f.sam.get();
  frames(*f.sam->snapshot(), sam_ui);
  EXPECT_FALSE(drawn("prepared_offer")) << "the listener is not offered a share";
}

// Step 7 after a quick repair that grew into the nine steps starts from the
// part each partner already named.
TEST_F(PrepareScreens, StepSevenStartsFromWhatWasSaidInTheQuickRepair) {
  const std::string named = "I made a joke to cover my own nerves";
  auto lines = attune::test::quick_then_whole();
  const auto seen = std::find_if(lines.begin(), lines.end(), [](const Line& l) { return l.command == "seen"; });
  ASSERT_NE(seen, lines.end());
  lines.insert(seen + 1, Line{Who::B, "write " + named, "STEP_OWN_PART", ""});
  test::LocalFlow f;
  bool checked_a = false, checked_b = false;
  attune::test::WalkHooks hooks;
  hooks.before = [&](const Line& line, std::size_t) {
    if (f.host_state().step() != v1::STEP_OWN_PATTERN) return;
    const bool b_turn = line.who == Who::B && line.command == "pass-floor";
    const bool a_turn = line.who == Who::A && line.command.rfind("write", 0) == 0;
    if (!a_turn && !b_turn) return;
    auto& device = b_turn ? *f.sam : *f.alex;
    node_ = &device;
    UiState ui;
    frames(*device.snapshot(), ui, b_turn ? "prepare-10-own-part-carried" : "");
    const bool carried = std::any_of(ui.drafts.begin(), ui.drafts.end(), [&](const auto& d) { return d.second == named; });
    if (b_turn) {
      EXPECT_TRUE(carried) << "Sam's step 7 starts from the part Sam named in the quick repair";
      checked_b = true;
    } else {
      EXPECT_FALSE(carried) << "Alex named no part: Alex's box starts empty";
      checked_a = true;
    }
  };
  attune::test::run_walk(lines, [&](const Line& line) { f.play(line); }, hooks);
  EXPECT_TRUE(checked_a && checked_b);
  EXPECT_EQ(f.host_state().quick().own_text(), named);
}

}  // namespace
}  // namespace attune::app
