// README.md "Output": real headless peers (a host, partner B, a coach, and a
// device with a wrong code) are driven through the lobby into the first
// check-in, and every JSON line any of them prints must be an event the
// README lists, with exactly the fields it lists, of the types it says; the
// first lines must come in the order it states.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>
#include <set>

#include "doc_section.hpp"
#include "peer_process.hpp"
#include "peer_cluster.hpp"

namespace attune::test {
namespace {

struct FieldSpec {
  bool optional = false;
  std::string type;              // string, integer, object, array, set, prefix
  std::set<std::string> values;  // For "one of".
  std::string prefix;            // For "a `X_` name".
};

using EventSpec = std::map<std::string, FieldSpec>;

FieldSpec parse_type(std::string text) {
  FieldSpec f;
  if (text.starts_with("optional, ")) {
    f.optional = true;
    text = text.substr(10);
  }
  static const std::regex word("`([^`]+)`");
  if (text.starts_with("one of ")) {
    f.type = "set";
    for (std::sregex_iterator it(text.begin(), text.end(), word), end; it != end; ++it)
      f.values.insert((*it)[1]);
  } else if (text.starts_with("a `")) {
    f.type = "prefix";
    std::smatch m;
    std::regex_search(text, m, word);
    f.prefix = m[1];
  } else {
    f.type = text;
  }
  return f;
}

std::map<std::string, EventSpec> documented_events() {
  std::map<std::string, EventSpec> out;
  const auto table = contract::read_contract(contract::source_dir() / "README.md", "headless-events");
  if (!table) return out;
  static const std::regex field("`(\\w+)` \\(([^)]*)\\)");
  for (const auto& row : contract::markdown_rows(*table)) {
    if (row.size() != 3 || row[0].size() < 2) continue;
    EventSpec& spec = out[row[0].substr(1, row[0].size() - 2)];
    for (std::sregex_iterator it(row[1].begin(), row[1].end(), field), end; it != end; ++it) {
      spec[(*it)[1]] = parse_type((*it)[2]);
    }
  }
  return out;
}

// "- host, new session: `a`, `b`" -> {"host": [a, b]}
std::map<std::string, std::vector<std::string>> documented_first_events() {
  std::map<std::string, std::vector<std::string>> out;
  const auto list = contract::read_contract(contract::source_dir() / "README.md", "first-events");
  if (!list) return out;
  std::istringstream in(*list);
  std::string line;
  static const std::regex word("`([^`]+)`");
  while (std::getline(in, line)) {
    if (!line.starts_with("- ")) continue;
    const std::string who = line.substr(2, line.find_first_of(",:") - 2);
    for (std::sregex_iterator it(line.begin(), line.end(), word), end; it != end; ++it)
      out[who].push_back((*it)[1]);
  }
  return out;
}

std::string check_value(const Json& v, const FieldSpec& f) {
  if (f.type == "string") return v.is_string() ? "" : "not a string";
  if (f.type == "integer") return v.is_number_integer() ? "" : "not an integer";
  if (f.type == "boolean") return v.is_boolean() ? "" : "not a boolean";
  if (f.type == "object") return v.is_object() ? "" : "not an object";
  if (f.type == "array") return v.is_array() ? "" : "not an array";
  if (!v.is_string()) return "not a string";
  const std::string s = v.get<std::string>();
  if (f.type == "set") return f.values.count(s) ? "" : "'" + s + "' is not one of the listed values";
  if (f.type == "prefix")
    return s.starts_with(f.prefix) && s.size() > f.prefix.size()
               ? ""
               : "'" + s + "' is not a " + f.prefix + " name";
  return "the README gives an unknown type '" + f.type + "'";
}

// Every difference between one printed line and the README's entry for it.
std::vector<std::string> problems(const Json& line, const std::map<std::string, EventSpec>& spec) {
  std::vector<std::string> out;
  const std::string event = line.value("event", "");
  const auto it = spec.find(event);
  if (it == spec.end()) return {"event '" + event + "' is not in the README"};
  for (const auto& [name, value] : line.items()) {
    if (name == "event") continue;
    const auto f = it->second.find(name);
    if (f == it->second.end()) {
      out.push_back(event + "." + name + " is not in the README");
    } else if (auto why = check_value(value, f->second); !why.empty()) {
      out.push_back(event + "." + name + ": " + why);
    }
  }
  for (const auto& [name, f] : it->second) {
    if (!f.optional && !line.contains(name)) out.push_back(event + "." + name + " is missing");
  }
  return out;
}

// The first `n` lines a peer printed by itself (not in answer to a command line).
std::vector<std::string> first_events(const PeerProcess& p, std::size_t n) {
  static const std::set<std::string> answers = {"submitted", "check_in", "error", "help"};
  std::vector<std::string> out;
  for (const auto& line : p.lines()) {
    if (out.size() == n) break;
    const std::string event = line.value("event", "");
    if (answers.count(event) || (line.contains("link") && event == "state")) continue;
    out.push_back(event);
  }
  return out;
}

TEST(HeadlessOutputDoc, EveryLineRealPeersPrintIsAsTheReadmeSays) {
  const auto spec = documented_events();
  ASSERT_GE(spec.size(), 15u) << "README.md lost its headless-events table";
  PeerCluster cluster(ATTUNE_BINARY);
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  auto& host = cluster.peer(Who::A);

  // Into the first check-in, with B sharing numbers with the coach.
  cluster.expect_refusal(Who::B, cluster.submit(Who::B, "confirm"));
  for (const auto& [who, command] : std::vector<std::pair<Who, std::string>>{{Who::A, "admit partner-b"},
                                                                             {Who::A, "admit coach"},
                                                                             {Who::B, "admit coach"},
                                                                             {Who::B, "share-with-coach on"},
                                                                             {Who::A, "ready"},
                                                                             {Who::B, "ready"},
                                                                             {Who::A, "confirm"},
                                                                             {Who::B, "confirm"}}) {
    cluster.act(who, command);
  }
  cluster.match_coach(Who::B);
  cluster.act(Who::B, "checkin 2");
  ASSERT_TRUE(
      cluster.peer(Who::Coach)
          .wait_for([](const Json& j) { return j.value("event", "") == "coach_level"; }, PeerCluster::kWait));
  for (const char* line : {"state", "help", "no-such-command"}) host.send(line);
  cluster.peer(Who::B).send("state");
  ASSERT_TRUE(
      host.wait_for([](const Json& j) { return j.value("event", "") == "error"; }, PeerCluster::kWait));
  // A broken frame from a stranger, and a device with a wrong code.
  bool connected = false;
  const int fd = connect_loopback(cluster.port(), std::chrono::seconds(5), &connected);
  ASSERT_TRUE(connected);
  (void)!::send(fd, "\0\0\0\0", 4, MSG_NOSIGNAL);
  ASSERT_TRUE(host.wait_for([](const Json& j) { return j.value("event", "") == "peer_problem"; },
                            PeerCluster::kWait));
  ::close(fd);
  const std::string wrong = cluster.code() == "000000" ? "111111" : "000000";
  PeerProcess stranger(
      "stranger", ATTUNE_BINARY,
      {"--headless", "--data-dir", (cluster.root() / "stranger").string(), "join",
       "127.0.0.1:" + std::to_string(cluster.port()), "--name", "Dana", "--role", "coach", "--code", wrong},
      cluster.root() / "stranger.stderr");
  ASSERT_TRUE(stranger.wait_exit(PeerCluster::kWait));
  // --fresh-start over the stranger's folder sets its data file aside.
  PeerProcess fresh("fresh", ATTUNE_BINARY,
                    {"--headless", "--data-dir", (cluster.root() / "stranger").string(), "--fresh-start",
                     "host", "--name", "Eli", "--bind", "127.0.0.1", "--port", "0"},
                    cluster.root() / "fresh.stderr");
  ASSERT_TRUE(
      fresh.wait_for([](const Json& j) { return j.value("event", "") == "listening"; }, PeerCluster::kWait))
      << fresh.tail();
  fresh.close_stdin();
  ASSERT_TRUE(fresh.wait_exit(PeerCluster::kWait));

  std::set<std::string> seen;
  for (PeerProcess* p : {&host, &cluster.peer(Who::B), &cluster.peer(Who::Coach), &stranger, &fresh}) {
    for (const auto& line : p->lines()) {
      seen.insert(line.value("event", ""));
      for (const auto& why : problems(line, spec))
        ADD_FAILURE() << p->name() << ": " << why << "\n  " << line.dump();
    }
  }
  for (const char* event :
       {"started", "listening", "state", "submitted", "ack", "refused", "check_in", "coach_level", "link",
        "peer_problem", "pairing_code", "error", "help", "fatal", "fresh_start"}) {
    EXPECT_TRUE(seen.count(event)) << "the peers never printed " << event;
  }
  // The `state` command's answer is the one line that carries `link`.
  EXPECT_TRUE(host.wait_for(
      [](const Json& j) { return j.value("event", "") == "state" && j.value("link", "") == "hosting"; }, 1s));
  EXPECT_TRUE(cluster.peer(Who::B).wait_for(
      [](const Json& j) { return j.value("event", "") == "state" && j.value("link", "") == "connected"; },
      1s));

  const auto order = documented_first_events();
  ASSERT_TRUE(order.count("host") && order.count("join")) << "README.md lost its first-events list";
  EXPECT_EQ(first_events(host, order.at("host").size()), order.at("host")) << host.tail();
  for (Who who : {Who::B, Who::Coach}) {
    EXPECT_EQ(first_events(cluster.peer(who), order.at("join").size()), order.at("join"))
        << cluster.peer(who).tail();
  }
}

}  // namespace
}  // namespace attune::test
