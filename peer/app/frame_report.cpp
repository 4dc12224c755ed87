#include "app/frame_report.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

#include "app/view_model.hpp"

namespace attune::app {

namespace {

const char* screen_name(Screen s) {
  switch (s) {
    case Screen::Start:
      return "start";
    case Screen::Waiting:
      return "waiting";
    case Screen::Lobby:
      return "lobby";
    case Screen::Step:
      return "step";
    case Screen::Pause:
      return "pause";
    case Screen::LongBreak:
      return "long_break";
    case Screen::Coach:
      return "coach";
    case Screen::Summary:
      return "summary";
  }
  return "unknown";
}

nlohmann::json drawn_json(const NodeView& snap, const DrawnFrame& drawn) {
  nlohmann::json buttons = nlohmann::json::array();
  for (const DrawnButton& b : drawn.buttons) buttons.push_back({{"label", b.label}, {"enabled", b.enabled}});
  return {{"screen", screen_name(screen_for(snap))},
          {"role", v1::Role_Name(snap.my_role)},
          {"phase", v1::Phase_Name(snap.state.phase())},
          {"step", v1::Step_Name(snap.state.step())},
          {"lines", drawn.lines},
          {"buttons", buttons},
          {"focused", drawn.focused}};  // Where the keyboard's focus ring is ("" if none).
}

}  // namespace

int64_t FrameReport::now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

FrameReport::FrameReport(const std::string& path) : out_(path, std::ios::app) {}

void FrameReport::ack(uint64_t seq, const std::string& command, bool ok, const NodeView& snap,
                      const DrawnFrame& drawn) {
  if (!out_) return;
  nlohmann::json line = drawn_json(snap, drawn);
  line["event"] = "ack";
  line["seq"] = seq;
  line["command"] = command;
  line["ok"] = ok;
  line["t_us"] = now_us();
  out_ << line.dump() << '\n';
  out_.flush();
}

void FrameReport::sent(const std::string& window) {
  if (!out_) return;
  out_ << nlohmann::json{{"event", "sent"}, {"window", window}, {"t_us", now_us()}}.dump() << '\n';
  out_.flush();
}

void FrameReport::start_phases_once(const std::vector<std::pair<const char*, int64_t>>& phases) {
  if (!out_ || phases_written_) return;
  phases_written_ = true;
  nlohmann::json marks = nlohmann::json::array();
  for (const auto& [what, us] : phases) marks.push_back({{"phase", what}, {"t_us", us}});
  out_ << nlohmann::json{{"event", "phases"}, {"phases", marks}, {"t_us", now_us()}}.dump() << '\n';
  out_.flush();
}

void FrameReport::frame(const std::string& window, const NodeView& snap, const DrawnFrame& drawn,
                        int64_t started_us) {
  if (!out_) return;
  const nlohmann::json body = drawn_json(snap, drawn);
  std::string line = body.dump();
  if (last_[window] == line) return;
  last_[window] = line;
  nlohmann::json with_window = body;
  with_window["event"] = "frame";
  with_window["window"] = window;
  with_window["t_us"] = now_us();
  if (started_us) with_window["started_us"] = started_us;
  out_ << with_window.dump() << '\n';
  out_.flush();
}

}  // namespace attune::app
