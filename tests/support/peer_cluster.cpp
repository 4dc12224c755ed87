#include "peer_cluster.hpp"

namespace attune::test {

std::string who_name(Who who) {
  switch (who) {
    case Who::A:
      return "host (partner A)";
    case Who::B:
      return "partner B";
    case Who::Coach:
      return "coach";
  }
  return "?";
}

PeerCluster::PeerCluster(std::string binary, ClusterOptions options)
    : binary_(std::move(binary)), options_(options) {}

std::vector<std::string> PeerCluster::host_args(uint16_t port) const {
  return {"--headless",
          "--data-dir",
          (dir_.path() / "a").string(),
          "--heartbeat-ms",
          std::to_string(options_.heartbeat_ms),
          "--silence-ms",
          std::to_string(options_.silence_ms),
          "host",
          "--name",
          options_.name_a,
          "--role",
          "partner-a",
          "--bind",
          "127.0.0.1",
          "--port",
          std::to_string(port)};
}

std::vector<std::string> PeerCluster::join_args(Who who) const {
  const bool coach = who == Who::Coach;
  const uint16_t dial = options_.route ? options_.route(who, port_) : port_;
  return {"--headless",
          "--data-dir",
          (dir_.path() / (coach ? "coach" : "b")).string(),
          "--heartbeat-ms",
          std::to_string(options_.heartbeat_ms),
          "--silence-ms",
          std::to_string(options_.silence_ms),
          "join",
          "127.0.0.1:" + std::to_string(dial),
          "--name",
          coach ? options_.name_coach : options_.name_b,
          "--role",
          coach ? "coach" : "partner-b",
          "--code",
          code_};
}

void PeerCluster::start() {
  host_ = std::make_unique<PeerProcess>("host", binary_, host_args(0), dir_.path() / "a.stderr");
  const auto listening =
      host_->wait_for([](const Json& j) { return j.value("event", "") == "listening"; }, kWait);
  ASSERT_TRUE(listening) << host_->tail();
  port_ = (*listening)["port"].get<uint16_t>();
  // The host shows a pairing code; the joiners type it (the first time).
  const auto code = host_->wait_for(
      [](const Json& j) { return j.value("event", "") == "pairing_code" && j.value("kind", "") == "opened"; },
      kWait);
  ASSERT_TRUE(code) << host_->tail();
  code_ = (*code)["code"].get<std::string>();
  // Restarts listen on the same port, so the others find the host again.
  host_->set_args(host_args(port_));
  b_ = std::make_unique<PeerProcess>("partner B", binary_, join_args(Who::B), dir_.path() / "b.stderr");
  coach_ =
      std::make_unique<PeerProcess>("coach", binary_, join_args(Who::Coach), dir_.path() / "coach.stderr");
  // Both have joined once the host shows three seats.
  const auto seated =
      host_->wait_state([](const Json& state, uint64_t) { return state["participants"].size() == 3; }, kWait);
  ASSERT_TRUE(seated) << host_->tail() << b_->tail() << coach_->tail();
}

PeerProcess& PeerCluster::peer(Who who) {
  switch (who) {
    case Who::A:
      return *host_;
    case Who::B:
      return *b_;
    case Who::Coach:
      return *coach_;
  }
  return *host_;
}

std::string PeerCluster::submit(Who who, const std::string& command) {
  auto& p = peer(who);
  const auto from = p.line_count();
  p.send(command);
  const auto answer = p.wait_for(
      [&](const Json& j) {
        const auto event = j.value("event", "");
        return (event == "submitted" || event == "error") && j.value("input", "") == command;
      },
      kWait, from);
  if (!answer) {
    ADD_FAILURE() << who_name(who) << " did not take '" << command << "'\n" << p.tail();
    return {};
  }
  if ((*answer)["event"] == "error") {
    ADD_FAILURE() << who_name(who) << " rejected '" << command << "': " << (*answer)["message"];
    return {};
  }
  return (*answer)["intent_id"].get<std::string>();
}

uint64_t PeerCluster::expect_ack(Who who, const std::string& intent_id) {
  auto& p = peer(who);
  const auto answer = p.wait_for(
      [&](const Json& j) {
        const auto event = j.value("event", "");
        return (event == "ack" || event == "refused") && j.value("intent_id", "") == intent_id;
      },
      kWait);
  if (!answer) {
    ADD_FAILURE() << "no answer to " << intent_id << " from the host\n" << p.tail() << host_->tail();
    return 0;
  }
  if ((*answer)["event"] == "refused") {
    ADD_FAILURE() << "the host refused " << who_name(who) << "'s intent: " << (*answer)["message"] << "\n"
                  << p.tail();
    return 0;
  }
  return (*answer)["seq"].get<uint64_t>();
}

std::string PeerCluster::expect_refusal(Who who, const std::string& intent_id) {
  auto& p = peer(who);
  const auto answer = p.wait_for(
      [&](const Json& j) {
        const auto event = j.value("event", "");
        return (event == "ack" || event == "refused") && j.value("intent_id", "") == intent_id;
      },
      kWait);
  if (!answer || (*answer)["event"] != "refused") {
    ADD_FAILURE() << "expected a refusal of " << intent_id << "\n" << p.tail();
    return {};
  }
  return (*answer)["code"].get<std::string>();
}

uint64_t PeerCluster::act(Who who, const std::string& command) {
  const auto id = submit(who, command);
  if (id.empty()) return 0;
  const auto seq = expect_ack(who, id);
  converge();
  return seq;
}

void PeerCluster::match_coach(Who who) {
  auto& partner = peer(who);
  const auto from = partner.line_count();
  partner.send("coach-numbers-match");
  const auto matched = partner.wait_for(
      [](const Json& j) { return j.value("event", "") == "coach_check" && j.value("status", "") == "matched"; },
      kWait, from);
  if (!matched) {
    ADD_FAILURE() << "the coach's check number was never matched\n" << partner.tail();
    return;
  }
  // What the partner compared is what the coach's own first line shows.
  std::string coach_number;
  for (const auto& line : peer(Who::Coach).lines())
    if (line.value("event", "") == "started") coach_number = line.value("check_number", "");
  EXPECT_EQ((*matched).value("check_number", ""), coach_number) << "the partner saw another number than the coach";
  EXPECT_EQ(coach_number.size(), 14u);
}

Json PeerCluster::state() {
  auto latest = host_->latest_state();
  return latest ? (*latest)["state"] : Json::object();
}

Json PeerCluster::converge() {
  // The host's sequence only moves when someone acts, and every test action
  // waits for its ack first, so this settles.
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  for (;;) {
    const auto host_state = host_->latest_state();
    if (!host_state) {
      ADD_FAILURE() << "the host printed no state";
      return Json::object();
    }
    const uint64_t seq = (*host_state)["seq"].get<uint64_t>();
    bool all = true;
    for (auto* p : {b_.get(), coach_.get()}) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      const auto got = p->wait_state([&](const Json&, uint64_t s) { return s >= seq; }, std::max(left, 0ms));
      if (!got) {
        ADD_FAILURE() << p->name() << " never reached change " << seq << "\n" << p->tail() << host_->tail();
        return (*host_state)["state"];
      }
      if ((*got)["seq"].get<uint64_t>() != seq || (*got)["state"] != (*host_state)["state"]) all = false;
    }
    if (all && host_->latest_seq() == seq) return (*host_state)["state"];
    if (std::chrono::steady_clock::now() >= deadline) {
      ADD_FAILURE() << "the replicas did not agree\n" << host_->tail(3) << b_->tail(3) << coach_->tail(3);
      return (*host_state)["state"];
    }
    // Someone is behind the host's newest change; wait for more lines.
    host_->wait_for([](const Json&) { return true; }, 50ms, host_->line_count());
  }
}

void PeerCluster::kill_and_restart(Who who) { peer(who).restart(); }

std::map<std::string, std::set<uint64_t>> PeerCluster::broadcast_causes() {
  std::map<std::string, std::set<uint64_t>> out;
  for (auto* p : {host_.get(), b_.get(), coach_.get()}) {
    for (const auto& line : p->lines()) {
      if (line.value("event", "") != "state") continue;
      const auto cause = line.value("cause", "");
      if (!cause.empty()) out[cause].insert(line["seq"].get<uint64_t>());
    }
  }
  return out;
}

std::set<std::string> PeerCluster::acked_ids() {
  std::set<std::string> out;
  for (auto* p : {host_.get(), b_.get(), coach_.get()}) {
    for (const auto& line : p->lines()) {
      if (line.value("event", "") == "ack") out.insert(line["intent_id"].get<std::string>());
    }
  }
  return out;
}

}  // namespace attune::test
