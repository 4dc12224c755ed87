// The pause screen at a small size and in the coach's view: the words in
// the circle fit it, the title and "I need to stop" stay in view, and the
// long break's slider starts at the length agreed. Run under xvfb-run.
#include "window_devices.hpp"
#include "attune/intents.hpp"

namespace attune::app {
namespace {

class PauseScreen : public test::WindowDevices {
 protected:
  // Frames at a moment of the breath (6 s in: "Breathe out").
  void frames_at(test::Device& d, double time_s, const std::string& png) {
    for (int i = 0; i < 6; ++i) {
      FrameContext ctx;
      ctx.now_ms = f_.now_ms();
      ctx.time_s = time_s;
      ctx.dispatch.node = d.node;
      const std::string path = (out_dir() / (png + ".png")).string();
      ASSERT_TRUE(d.window->render(*d.node->snapshot(), d.ui, ctx, i == 5 ? &path : nullptr));
    }
  }
};

bool inside(const Region& inner, const Region& outer) {
  return inner.min.x >= outer.min.x && inner.max.x <= outer.max.x && inner.min.y >= outer.min.y &&
         inner.max.y <= outer.max.y;
}

TEST_F(PauseScreen, BreatheOutFitsInsideTheCircleAtEverySize) {
  ASSERT_EQ(f_.to_share(), "");
  ASSERT_EQ(f_.send(*f_.sam, intents::pause()), "");
  for (auto* d : {&alex_, &robin_}) {
    frames_at(*d, 6.0, d == &alex_ ? "pause-1-breathe-out-alex" : "pause-1-breathe-out-robin");
    const auto& r = d->window->regions();
    ASSERT_TRUE(r.count("pacer") && r.count("pacer_words"));
    // The words' box within the circle's inner square (radius / sqrt 2 each way) is too strict for a
    // word; inside the circle's bounding box and no wider than 1.5 radii is what fits.
    const Region circle = r.at("pacer"), words = r.at("pacer_words");
    const float radius = (circle.max.x - circle.min.x) * 0.5f;
    EXPECT_TRUE(inside(words, circle)) << (d == &alex_ ? "alex" : "robin");
    EXPECT_LE(words.max.x - words.min.x, radius * 1.5f + 1) << "\"Breathe out\" spills out of the circle";
  }
}

TEST_F(PauseScreen, FitsAt980By780WithTheTitleAndTheWayOutInView) {
  std::string error;
  alex_.window = DeviceWindow::create("Attune", WindowGeometry{0, 0, 980, 780}, &error);
  ASSERT_TRUE(alex_.window) << error;
  ASSERT_EQ(f_.to_share(), "");
  ASSERT_EQ(f_.send(*f_.alex, intents::pause()), "");
  frames(alex_);
  frames(alex_, "pause-2-at-980x780-alex");
  const DrawnButton* stop = alex_.window->drawn().button("I need to stop");
  ASSERT_NE(stop, nullptr);
  EXPECT_LE(stop->max.y, 780.0f) << "\"I need to stop\" is below the window";
  ASSERT_TRUE(alex_.window->regions().count("pause_title"));
  EXPECT_GE(alex_.window->regions().at("pause_title").min.y, 0.0f) << "the title scrolled away";
  // The long break's length starts at the one agreed in the lobby (20 minutes by default).
  ASSERT_EQ(f_.host_state().settings().long_break_seconds(), 1200u);
  EXPECT_TRUE(alex_.window->drawn().shows("20 minutes")) << "the slider doesn't start at the agreed length";
}

}  // namespace
}  // namespace attune::app
