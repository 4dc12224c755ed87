// Issue 12, hostile and clumsy text at every door, met as a person meets it:
// real `attune --headless` processes on loopback. An oversized message is
// refused in words and never wedges a link (nor a restart); names typed on a
// Latin-1 terminal are repaired and the session still resumes; names are
// cleaned and twins told apart; a refused joiner says why and exits; the
// tail of an over-long stdin line never runs; ports are digits only; and
// text from another device never reaches the terminal raw.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <set>
#include <string>

#include "attune/crypto/secure_channel.hpp"
#include "attune/frame_decoder.hpp"
#include "attune/intents.hpp"
#include "attune/pairing/handshake.hpp"
#include "attune/pairing/secure_link.hpp"
#include "attune/v1/session.pb.h"
#include "attune/wire_codec.hpp"
#include "peer_cluster.hpp"
#include "sealed_device.hpp"
#include "store/store.hpp"

namespace attune::test {
namespace {

int run(const std::vector<std::string>& args, TempDir& dir, std::string* err = nullptr) {
  return run_to_exit(ATTUNE_BINARY, args, dir, err);
}

std::size_t count(const PeerProcess& p, std::size_t from, const std::function<bool(const Json&)>& match) {
  const auto lines = p.lines();
  std::size_t n = 0;
  for (std::size_t i = from; i < lines.size(); ++i) n += match(lines[i]) ? 1 : 0;
  return n;
}

bool is_event(const Json& j, const std::string& event) { return j.value("event", "") == event; }

std::size_t reconnects(const PeerProcess& p, std::size_t from) {
  return count(p, from,
               [](const Json& j) { return is_event(j, "link") && j.value("link", "") == "reconnecting"; });
}

std::size_t problems(const PeerProcess& p, std::size_t from) {
  return count(p, from, [](const Json& j) { return is_event(j, "peer_problem"); });
}

std::vector<std::string> host_args(const TempDir& dir, const std::string& name) {
  return {"--headless", "--data-dir", (dir.path() / "a").string(), "host", "--name", name,
          "--bind",     "127.0.0.1"};
}

std::set<std::string> names_in(const Json& state) {
  std::set<std::string> out;
  for (const auto& p : state["participants"]) out.insert(p.value("display_name", ""));
  return out;
}

// Waits for the host's answer (an ack, or "already ready") to B's "ready":
// either way the link is in order and B is heard. B must be admitted.
void expect_b_is_heard(PeerCluster& cluster) {
  auto& b = cluster.peer(Who::B);
  const std::string id = cluster.submit(Who::B, "ready");
  const auto answer = b.wait_for(
      [&](const Json& j) {
        return (is_event(j, "ack") || is_event(j, "refused")) && j.value("intent_id", "") == id;
      },
      PeerCluster::kWait);
  ASSERT_TRUE(answer) << b.tail();
  if (is_event(*answer, "refused")) {
    EXPECT_EQ((*answer)["code"], "REFUSAL_CODE_ALREADY_DONE") << b.tail();
  }
}

void start_with_b_admitted(PeerCluster& cluster) {
  cluster.start();
  cluster.act(Who::A, "admit partner-b");
}

TEST(TextDoor, AnOversizedMessageIsRefusedInWordsAndNothingWedges) {
  PeerCluster cluster(ATTUNE_BINARY);
  ASSERT_NO_FATAL_FAILURE(start_with_b_admitted(cluster));
  auto& b = cluster.peer(Who::B);
  auto& host = cluster.peer(Who::A);
  const auto from_b = b.line_count();
  const auto from_host = host.line_count();

  // Under the 64 KiB line limit, over what a message may carry.
  b.send("write " + std::string(65500, 'x'));
  const auto error = b.wait_for([](const Json& j) { return is_event(j, "error"); }, 10s, from_b);
  ASSERT_TRUE(error) << b.tail();
  EXPECT_NE((*error)["message"].get<std::string>().find("8192"), std::string::npos) << (*error)["message"];
  // Past the parser too (a huge name): refused at the node's door, in words.
  b.send("join " + std::string(65000, 'y') + " partner-b");
  const auto refused = b.wait_for([](const Json& j) { return is_event(j, "refused"); }, 10s, from_b);
  ASSERT_TRUE(refused) << b.tail();
  EXPECT_EQ((*refused)["code"], "REFUSAL_CODE_BAD_INPUT");
  EXPECT_NE((*refused)["message"].get<std::string>().find("too long"), std::string::npos);

  expect_b_is_heard(cluster);
  EXPECT_EQ(reconnects(b, from_b), 0u) << b.tail();
  EXPECT_EQ(problems(host, from_host), 0u) << host.tail();
}

TEST(TextDoor, APoisonedOutboxEntryFromAnOlderVersionIsSetAsideOnStart) {
  PeerCluster cluster(ATTUNE_BINARY);
  ASSERT_NO_FATAL_FAILURE(start_with_b_admitted(cluster));
  auto& b = cluster.peer(Who::B);
  auto& host = cluster.peer(Who::A);
  b.kill_hard();
  {
    // What an older version queued: a write too big to ever be delivered.
    store::Store stored(cluster.root() / "b");
    const v1::Intent big = intents::write(std::string(65500, 'x'));
    stored.outbox_add("poisoned-intent", big);
  }
  const auto from_b = b.line_count();
  const auto from_host = host.line_count();
  b.restart();
  const auto notice = b.wait_for(
      [](const Json& j) { return is_event(j, "refused") && j.value("intent_id", "") == "poisoned-intent"; },
      20s, from_b);
  ASSERT_TRUE(notice) << b.tail();
  EXPECT_NE((*notice)["message"].get<std::string>().find("set aside"), std::string::npos);
  expect_b_is_heard(cluster);
  EXPECT_EQ(reconnects(b, from_b), 0u) << b.tail();
  EXPECT_EQ(problems(host, from_host), 0u) << host.tail();
  // And it stays gone: a second restart does not bring it back.
  const auto again = b.line_count();
  cluster.kill_and_restart(Who::B);
  expect_b_is_heard(cluster);
  EXPECT_EQ(count(b, again, [](const Json& j) { return j.value("intent_id", "") == "poisoned-intent"; }), 0u);
}

TEST(TextDoor, HostNamesAndSessionNamesAreCheckedAtStart) {
  TempDir dir;
  std::string err;
  EXPECT_EQ(run(host_args(dir, ""), dir, &err), 1);
  EXPECT_NE(err.find("--name"), std::string::npos) << err;
  EXPECT_EQ(run(host_args(dir, "\u00A0\u200B"), dir, &err), 1);
  EXPECT_EQ(run(host_args(dir, std::string(70000, 'x')), dir, &err), 1);
  EXPECT_NE(err.find("long"), std::string::npos) << err;
  auto args = host_args(dir, "Alex");
  args.insert(args.end(), {"--session-name", std::string(70000, 'x')});
  EXPECT_EQ(run(args, dir, &err), 1);
  EXPECT_NE(err.find("--session-name"), std::string::npos) << err;
}

TEST(TextDoor, NamesAreRepairedCleanedAndTwinsToldApartAndTheSessionResumes) {
  ClusterOptions options;
  options.name_a = "Jos\xE9";  // "José" from a Latin-1 terminal.
  options.name_b = "Blake";
  options.name_coach =
      "\u202E\xC2\x9B"
      "Blake";  // Someone else's name, behind an override and a C1 control.
  PeerCluster cluster(ATTUNE_BINARY, options);
  ASSERT_NO_FATAL_FAILURE(start_with_b_admitted(cluster));
  const Json state = cluster.converge();
  EXPECT_EQ(names_in(state), (std::set<std::string>{"José", "Blake", "Blake (2)"})) << state.dump();
  // The saved session reads back: the host resumes it after a restart.
  cluster.kill_and_restart(Who::A);
  auto& host = cluster.peer(Who::A);
  ASSERT_TRUE(host.wait_for([](const Json& j) { return is_event(j, "listening"); }, 20s, 0)) << host.tail();
  expect_b_is_heard(cluster);
  EXPECT_EQ(names_in(cluster.state()).count("José"), 1u);
}

// An older version stored "Jos\xE9" as it came; proto3 can't parse that.
void store_latin1_host_name(const std::filesystem::path& db) {
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  for (const char* table : {"host_session", "changes"}) {
    const std::string select = std::string("SELECT rowid, state FROM ") + table;
    sqlite3_stmt* get = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(handle, select.c_str(), -1, &get, nullptr), SQLITE_OK);
    std::vector<std::pair<int64_t, std::string>> rows;
    while (sqlite3_step(get) == SQLITE_ROW) {
      v1::SessionState state;
      ASSERT_TRUE(state.ParseFromArray(sqlite3_column_blob(get, 1), sqlite3_column_bytes(get, 1)));
      state.mutable_participants(0)->set_display_name("Jos\xE9");
      rows.emplace_back(sqlite3_column_int64(get, 0), state.SerializeAsString());
    }
    sqlite3_finalize(get);
    const std::string update = std::string("UPDATE ") + table + " SET state = ? WHERE rowid = ?";
    for (const auto& [rowid, bytes] : rows) {
      sqlite3_stmt* put = nullptr;
      ASSERT_EQ(sqlite3_prepare_v2(handle, update.c_str(), -1, &put, nullptr), SQLITE_OK);
      sqlite3_bind_blob(put, 1, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
      sqlite3_bind_int64(put, 2, rowid);
      EXPECT_EQ(sqlite3_step(put), SQLITE_DONE);
      sqlite3_finalize(put);
    }
  }
  sqlite3_close(handle);
}

TEST(TextDoor, AStoredNameThatIsNotUtf8IsRepairedOnLoadAndTheSessionResumes) {
  TempDir dir;
  std::string session_id;
  {
    PeerProcess host("host", ATTUNE_BINARY, host_args(dir, "Jordan"), dir.path() / "stderr1");
    const auto state = host.wait_for([](const Json& j) { return is_event(j, "state"); }, 20s);
    ASSERT_TRUE(state) << host.tail();
    session_id = (*state)["state"]["session_id"].get<std::string>();
    host.send("quit");
    ASSERT_EQ(host.wait_exit(10s), 0);
  }
  ASSERT_NO_FATAL_FAILURE(store_latin1_host_name(dir.path() / "a" / "attune.db"));
  PeerProcess again("host", ATTUNE_BINARY, host_args(dir, "Jordan"), dir.path() / "stderr2");
  const auto resumed = again.wait_for([](const Json& j) { return is_event(j, "state"); }, 20s);
  ASSERT_TRUE(resumed) << again.tail() << again.stderr_text();
  EXPECT_EQ((*resumed)["state"]["session_id"], session_id);
  EXPECT_EQ((*resumed)["state"]["participants"][0]["display_name"], "José");
  EXPECT_TRUE(again.running());
}

TEST(TextDoor, AJoinerTheHostTurnsAwaySaysWhyAndExits) {
  TempDir dir;
  PeerProcess host("host", ATTUNE_BINARY, host_args(dir, "Alex"), dir.path() / "host.stderr");
  const auto ready = wait_ready(host);
  ASSERT_TRUE(ready) << host.tail();
  // The host already holds partner A's seat.
  PeerProcess joiner("joiner", ATTUNE_BINARY,
                     {"--headless", "--data-dir", (dir.path() / "b").string(), "join",
                      "127.0.0.1:" + std::to_string(ready->port), "--name", "Robin", "--role", "partner-a",
                      "--code", ready->code},
                     dir.path() / "joiner.stderr");
  const auto exit = joiner.wait_exit(20s);
  ASSERT_TRUE(exit) << joiner.tail();
  EXPECT_EQ(*exit, 7);
  EXPECT_NE(joiner.stderr_text().find("seat"), std::string::npos) << joiner.stderr_text();
  const auto fatal = joiner.wait_for([](const Json& j) { return is_event(j, "fatal"); }, 1s);
  ASSERT_TRUE(fatal);
  EXPECT_EQ((*fatal)["reason"], "join_refused");
}

TEST(TextDoor, AJoinerWithAnInvisibleNameIsToldAtStart) {
  TempDir dir;
  std::string err;
  EXPECT_EQ(run({"--headless", "--data-dir", dir.path().string(), "join", "127.0.0.1:47000", "--name",
                 "\u00A0\u200B", "--code", "123456"},
                dir, &err),
            1);
  EXPECT_NE(err.find("--name"), std::string::npos) << err;
}

TEST(TextDoor, TheTailOfAnOverLongLineNeverRuns) {
  TempDir dir;
  PeerProcess host("host", ATTUNE_BINARY, host_args(dir, "Alex"), dir.path() / "stderr");
  ASSERT_TRUE(host.wait_for([](const Json& j) { return is_event(j, "listening"); }, 20s)) << host.tail();
  const auto from = host.line_count();
  // 17 reads of 4 KiB, then "pause": what used to run after the cut.
  host.send(std::string(69632, 'x') + "pause");
  host.send("state");
  ASSERT_TRUE(
      host.wait_for([](const Json& j) { return is_event(j, "state") && j.contains("link"); }, 10s, from))
      << host.tail();
  EXPECT_EQ(count(host, from, [](const Json& j) { return is_event(j, "submitted"); }), 0u) << host.tail();
  EXPECT_EQ(count(host, from,
                  [](const Json& j) {
                    return is_event(j, "error") && j.value("message", "").find("64 KiB") != std::string::npos;
                  }),
            1u)
      << host.tail();
}

TEST(TextDoor, PortsAreDigitsOnly) {
  TempDir dir;
  for (const std::string target : {"127.0.0.1:80abc", "127.0.0.1:+80", "127.0.0.1: 9", "127.0.0.1:"}) {
    std::string err;
    EXPECT_EQ(run({"--headless", "--data-dir", (dir.path() / "b").string(), "join", target, "--name", "Sam",
                   "--code", "123456"},
                  dir, &err),
              1)
        << target;
    EXPECT_NE(err.find("port"), std::string::npos) << target << ": " << err;
  }
}

// A listening socket on 127.0.0.1 at a free port (written to `port`).
int listen_loopback(uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::listen(fd, 4);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return fd;
}

// A "host" that answers every connection with one cleartext Error frame
// holding terminal escapes, then hangs up.
class FakeHost {
 public:
  FakeHost() : fd_(listen_loopback(port_)) {
    timeval timeout{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~FakeHost() { ::close(fd_); }
  uint16_t port() const { return port_; }

  bool answer_once(const std::string& message) {
    const int conn = ::accept(fd_, nullptr, nullptr);
    if (conn < 0) return false;
    v1::Envelope error;
    error.mutable_error()->set_code(v1::ERROR_CODE_PROTOCOL);
    error.mutable_error()->set_message(message);
    const auto frame = encode_envelope(error);
    (void)!::send(conn, frame->data(), frame->size(), MSG_NOSIGNAL);
    ::shutdown(conn, SHUT_WR);
    char sink[256];
    timeval timeout{2, 0};
    ::setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    while (::recv(conn, sink, sizeof sink, 0) > 0) {
    }
    ::close(conn);
    return true;
  }

 private:
  uint16_t port_ = 0;  // Before fd_: the constructor sets it while opening fd_.
  int fd_ = -1;
};

TEST(TextDoor, TextFromAnotherDeviceNeverReachesTheTerminalRaw) {
  TempDir dir;
  FakeHost fake;
  PeerProcess joiner("joiner", ATTUNE_BINARY,
                     {"--headless", "--data-dir", (dir.path() / "b").string(), "join",
                      "127.0.0.1:" + std::to_string(fake.port()), "--name", "Sam", "--code", "123456"},
                     dir.path() / "stderr");
  ASSERT_TRUE(fake.answer_once("\x1B]0;pwned\x07\x1B[2J\x1B[31mgotcha\r\u202Eevil"));
  const auto problem = joiner.wait_for(
      [](const Json& j) {
        return is_event(j, "peer_problem") && j.value("message", "").find("gotcha") != std::string::npos;
      },
      10s);
  ASSERT_TRUE(problem) << joiner.tail();
  const std::string message = (*problem)["message"];
  EXPECT_EQ(message.find('\x1B'), std::string::npos);
  EXPECT_EQ(message.find("\u202E"), std::string::npos);
  joiner.kill_hard();
  const std::string err = joiner.stderr_text();
  EXPECT_NE(err.find("gotcha"), std::string::npos) << err;  // The words are still shown...
  EXPECT_EQ(err.find('\x1B'), std::string::npos) << err;    // ...but nothing that drives a terminal.
  EXPECT_EQ(err.find('\x07'), std::string::npos);
  EXPECT_EQ(err.find("\u202E"), std::string::npos);
}

TEST(TextDoor, AnIntentWhoseTextIsNotUtf8IsRefusedInWordsAndTheLinkStays) {
  TempDir dir;
  PeerProcess host("host", ATTUNE_BINARY, host_args(dir, "Alex"), dir.path() / "host.stderr");
  const auto ready = wait_ready(host);
  ASSERT_TRUE(ready) << host.tail();
  SealedDevice device(ready->port, ready->code);
  ASSERT_TRUE(device.pair()) << host.tail();

  ASSERT_TRUE(device.welcomed()) << host.tail();
  std::optional<v1::Envelope> got;

  const auto from = host.line_count();
  v1::Envelope submit;
  submit.mutable_submit_intent()->set_intent_id("latin1-join");
  submit.mutable_submit_intent()->mutable_intent()->mutable_join()->set_display_name("Jos\xE9");
  submit.mutable_submit_intent()->mutable_intent()->mutable_join()->set_role(v1::ROLE_PARTNER_B);
  device.send_sealed(submit.SerializeAsString());  // proto3 can't parse this as it stands.
  while ((got = device.next()) && !got->has_intent_refused() && !got->has_error()) {
  }
  ASSERT_TRUE(got) << "the host closed the link\n" << host.tail();
  ASSERT_TRUE(got->has_intent_refused()) << got->DebugString();
  EXPECT_EQ(got->intent_refused().intent_id(), "latin1-join");
  EXPECT_EQ(got->intent_refused().refusal().code(), v1::REFUSAL_CODE_BAD_INPUT);
  EXPECT_NE(got->intent_refused().refusal().message().find("can't read"), std::string::npos);

  // The link is still up: the same device joins with a name the host can read.
  submit.mutable_submit_intent()->set_intent_id("utf8-join");
  submit.mutable_submit_intent()->mutable_intent()->mutable_join()->set_display_name("José");
  device.send_sealed(submit.SerializeAsString());
  while ((got = device.next()) && !got->has_intent_ack()) {
  }
  ASSERT_TRUE(got) << host.tail();
  EXPECT_EQ(got->intent_ack().intent_id(), "utf8-join");
  EXPECT_EQ(problems(host, from), 0u) << host.tail();
}

// A host written for this test: pairs with `code` on one connection, then
// sends a Welcome and a snapshot whose host name is not UTF-8 (what an older
// host, or a hostile one, could send).
class LatinHost {
 public:
  LatinHost() : fd_(listen_loopback(port_)) {}
  ~LatinHost() {
    ::close(conn_);
    ::close(fd_);
  }
  uint16_t port() const { return port_; }

  bool serve(const std::string& code) {
    conn_ = ::accept(fd_, nullptr, nullptr);
    socket_.attach(conn_);
    timeval timeout{10, 0};
    ::setsockopt(conn_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    crypto::Seed seed;
    randombytes_buf(seed.data(), seed.size());
    pairing::HostHandshake server(
        crypto::DeviceIdentity("latin-host", seed), pairing::HostHandshakeConfig{code, {}},
        [](std::span<std::uint8_t> out) { randombytes_buf(out.data(), out.size()); });
    std::optional<crypto::SecureChannel> channel;
    while (!channel) {
      const auto envelope = read();
      if (!envelope || !envelope->has_handshake()) return false;
      const auto step = server.receive(envelope->handshake());
      if (step.send) {
        v1::Envelope reply;
        *reply.mutable_handshake() = *step.send;
        write(reply);
      }
      if (step.error) return false;
      if (step.success) channel.emplace(step.success->keys);
    }
    v1::Envelope welcome;
    welcome.mutable_welcome()->set_protocol_version(kWireProtocolVersion);
    welcome.mutable_welcome()->set_session_id("latin-session");
    welcome.mutable_welcome()->set_seq(1);
    v1::Envelope snapshot;
    snapshot.mutable_snapshot()->set_seq(1);
    auto* state = snapshot.mutable_snapshot()->mutable_state();
    state->set_session_id("latin-session");
    auto* host = state->add_participants();
    host->set_id("latin-host");
    host->set_display_name("Jos\xE9");
    host->set_role(v1::ROLE_PARTNER_A);
    for (const auto* message : {&welcome, &snapshot}) {
      const crypto::Bytes sealed = channel->seal(crypto::as_bytes(message->SerializeAsString()));
      v1::Envelope outer;
      outer.set_sealed(std::string(sealed.begin(), sealed.end()));
      write(outer);
    }
    return true;
  }

 private:
  void write(const v1::Envelope& envelope) { socket_.write(envelope); }
  std::optional<v1::Envelope> read() { return socket_.read(); }

  uint16_t port_ = 0;  // Before fd_: the constructor sets it while opening fd_.
  int fd_ = -1;
  int conn_ = -1;
  EnvelopeSocket socket_;
};

TEST(TextDoor, AJoinerShownAStateThatIsNotUtf8ShowsItInsteadOfLooping) {
  TempDir dir;
  LatinHost latin;
  PeerProcess joiner(
      "joiner", ATTUNE_BINARY,
      {"--headless", "--data-dir", (dir.path() / "b").string(), "--silence-ms", "60000", "join",
       "127.0.0.1:" + std::to_string(latin.port()), "--name", "Sam", "--code", "123456"},
      dir.path() / "stderr");
  ASSERT_TRUE(latin.serve("123456")) << joiner.tail();
  const auto shown = joiner.wait_for(
      [](const Json& j) {
        return is_event(j, "state") && !j["state"]["participants"].empty() &&
               j["state"]["participants"][0].value("display_name", "") == "José";
      },
      10s);
  ASSERT_TRUE(shown) << joiner.tail();
  EXPECT_EQ(reconnects(joiner, 0), 0u) << joiner.tail();
}

}  // namespace
}  // namespace attune::test
