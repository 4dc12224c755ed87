// proto/HANDSHAKE.md section 9, the rows after the handshake: a probe pairs
// with a real headless host over loopback (the code handshake, done with the
// pure JoinerHandshake), then sends one wrong thing; the host's answer must
// be the one the document names.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <map>

#include "attune/crypto/secure_channel.hpp"
#include "attune/frame_decoder.hpp"
#include "attune/pairing/handshake.hpp"
#include "attune/wire_codec.hpp"
#include "doc_section.hpp"
#include "peer_process.hpp"

namespace attune::test {
namespace {

// A joiner that speaks exact messages: handshake in clear, then sealed envelopes.
class Probe {
 public:
  Probe(uint16_t port, const std::string& device_id) : identity_(device_id, seed()) {
    fd_ = connect_loopback(port, std::chrono::seconds(5), &connected_);
  }
  ~Probe() { ::close(fd_); }

  // The code handshake; true once both sides have confirmed the keys.
  bool pair(const std::string& code) {
    if (!connected_) return false;
    auto joiner = pairing::JoinerHandshake::with_code(
        identity_, code, [](std::span<std::uint8_t> out) { randombytes_buf(out.data(), out.size()); });
    v1::Envelope out;
    *out.mutable_handshake() = joiner.hello();
    for (int round = 0; round < 2; ++round) {
      send_clear(out);
      const auto in = read_one();
      if (!in || !in->has_handshake()) return false;
      const pairing::HandshakeStep step = joiner.receive(in->handshake());
      if (step.success) {
        channel_.emplace(step.success->keys);
        return true;
      }
      if (!step.send) return false;
      *out.mutable_handshake() = *step.send;
    }
    return false;
  }

  void send_clear(const v1::Envelope& e) { write(*encode_envelope(e)); }
  // An Envelope's bytes written by hand, as protobuf itself never would.
  void send_raw(const std::string& envelope_bytes) { write(*encode_frame(envelope_bytes)); }
  // The host's next message (opened if sealed), or nothing once it closed.
  std::optional<v1::Envelope> next() { return read_one(); }
  void send_sealed(const v1::Envelope& inner) {
    const std::string bytes = inner.SerializeAsString();
    const crypto::Bytes frame = channel_->seal(crypto::as_bytes(bytes));
    v1::Envelope outer;
    outer.set_sealed(std::string(frame.begin(), frame.end()));
    send_clear(outer);
  }
  v1::Hello hello() const {
    v1::Hello h;
    h.set_protocol_version(1);
    h.set_app_version("probe");
    h.set_device_id(identity_.device_id());
    h.set_display_name("Probe");
    h.set_requested_role(v1::ROLE_COACH);
    return h;
  }

  // Every message until the host closes (opened if sealed); bounded by the receive timeout.
  std::vector<v1::Envelope> read_until_closed() {
    std::vector<v1::Envelope> out;
    for (int n = 0; n < 64; ++n) {
      auto e = read_one();
      if (!e) break;
      out.push_back(std::move(*e));
    }
    return out;
  }
  int fd() const { return fd_; }
  // The host's close frame, once read_until_closed() reached it.
  const std::optional<v1::Close>& close() const { return close_; }

 private:
  static crypto::Seed seed() {
    crypto::Seed s;
    randombytes_buf(s.data(), s.size());
    return s;
  }
  void write(const std::string& bytes) { (void)!::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }

  std::optional<v1::Envelope> read_one() {
    std::string payload;
    char buffer[4096];
    while (decoder_.next(payload) != FrameDecoder::Status::Good) {
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return std::nullopt;
      decoder_.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
    }
    v1::Envelope e;
    if (decode_envelope(payload, e)) return std::nullopt;
    if (!e.has_sealed() || !channel_) return e;
    const auto opened = channel_->open(crypto::as_bytes(e.sealed()));
    v1::Envelope inner;
    if (opened.ok() && opened.kind == crypto::FrameKind::Close) {
      // The sealed close frame: its payload says why (an empty one parses as UNSPECIFIED).
      close_.emplace();
      if (!close_->ParseFromArray(opened.payload.data(), static_cast<int>(opened.payload.size())))
        close_.reset();
      return std::nullopt;
    }
    if (!opened.ok() || opened.kind != crypto::FrameKind::Data ||
        !inner.ParseFromArray(opened.payload.data(), static_cast<int>(opened.payload.size()))) {
      return std::nullopt;
    }
    return inner;
  }

  crypto::DeviceIdentity identity_;
  std::optional<v1::Close> close_;
  int fd_ = -1;
  bool connected_ = false;
  FrameDecoder decoder_;
  std::optional<crypto::SecureChannel> channel_;
};

// The answer as the document writes it: the last message before the close.
std::string answer(const std::vector<v1::Envelope>& got) {
  for (auto it = got.rbegin(); it != got.rend(); ++it) {
    if (it->has_error()) return "`Error{" + v1::ErrorCode_Name(it->error().code()) + "}`";
    if (it->has_version_mismatch()) return "`VersionMismatch`";
  }
  return got.empty() ? "nothing" : "(no error)";
}

std::map<std::string, std::string> documented_answers() {
  std::map<std::string, std::string> out;
  const auto table =
      contract::read_contract(contract::source_dir() / "proto" / "HANDSHAKE.md", "handshake-failures");
  if (!table) return out;
  for (const auto& row : contract::markdown_rows(*table)) {
    if (row.size() == 4 && row[0].size() > 2) out[row[0].substr(1, row[0].size() - 2)] = row[3];
  }
  return out;
}

// HANDSHAKE.md with its whitespace squeezed, to find a sentence in it.
std::string handshake_doc() {
  return contract::read_squeezed(contract::source_dir() / "proto" / "HANDSHAKE.md");
}

class HelloFailureDoc : public ::testing::Test {
 protected:
  // A fresh host per row: every probe pairs with a code, and paired devices use up its seats.
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    const std::vector<std::string> args{"--headless", "--data-dir", (dir_.path() / "host").string(),
                                        "host",       "--name",     "Alex",
                                        "--role",     "partner-a",  "--bind",
                                        "127.0.0.1",  "--port",     "0"};
    host_ = std::make_unique<PeerProcess>("host", ATTUNE_BINARY, args, dir_.path() / "host.stderr");
    auto event = [](const char* name) {
      return [name](const Json& j) { return j.value("event", "") == name; };
    };
    const auto started = host_->wait_for(event("started"), 20s);
    const auto listening = host_->wait_for(event("listening"), 20s);
    const auto code = host_->wait_for(event("pairing_code"), 20s);
    ASSERT_TRUE(started && listening && code) << host_->tail();
    host_id_ = (*started)["device_id"].get<std::string>();
    port_ = (*listening)["port"].get<uint16_t>();
    code_ = (*code)["code"].get<std::string>();
  }

  // Pairs a fresh probe, runs `act`, and checks the host's answer against the document.
  void expect_documented(const std::string& row, const std::function<void(Probe&)>& act) {
    const auto rows = documented_answers();
    ASSERT_TRUE(rows.count(row)) << "proto/HANDSHAKE.md has no row " << row;
    Probe probe(port_, "probe-" + row);
    ASSERT_TRUE(probe.pair(code_)) << host_->tail();
    act(probe);
    EXPECT_EQ(answer(probe.read_until_closed()), rows.at(row)) << row << "\n" << host_->tail();
  }

  TempDir dir_;
  std::unique_ptr<PeerProcess> host_;
  std::string host_id_;
  uint16_t port_ = 0;
  std::string code_;
};

TEST_F(HelloFailureDoc, FirstMessageNotAHello) {
  expect_documented("first-not-hello", [](Probe& p) {
    v1::Envelope e;
    e.mutable_submit_intent()->set_intent_id("x");
    e.mutable_submit_intent()->mutable_intent()->mutable_call_pause();
    p.send_sealed(e);
  });
}

TEST_F(HelloFailureDoc, SecondHello) {
  expect_documented("second-hello", [](Probe& p) {
    v1::Envelope e;
    *e.mutable_hello() = p.hello();
    p.send_sealed(e);
    p.send_sealed(e);
  });
}

TEST_F(HelloFailureDoc, HelloNamesAnotherDeviceThanTheProvenOne) {
  expect_documented("hello-other-id", [](Probe& p) {
    v1::Envelope e;
    *e.mutable_hello() = p.hello();
    e.mutable_hello()->set_device_id("someone-else");
    p.send_sealed(e);
  });
}

TEST_F(HelloFailureDoc, HelloNamesTheHost) {
  expect_documented("hello-host-id", [this](Probe& p) {
    v1::Envelope e;
    *e.mutable_hello() = p.hello();
    e.mutable_hello()->set_device_id(host_id_);
    p.send_sealed(e);
  });
}

TEST_F(HelloFailureDoc, HelloWithAnotherProtocolVersion) {
  expect_documented("hello-version", [](Probe& p) {
    v1::Envelope e;
    *e.mutable_hello() = p.hello();
    e.mutable_hello()->set_protocol_version(99);
    p.send_sealed(e);
  });
}

TEST_F(HelloFailureDoc, ClearTextAfterTheHandshake) {
  expect_documented("clear-after-handshake", [](Probe& p) {
    v1::Envelope e;
    *e.mutable_hello() = p.hello();
    p.send_clear(e);
  });
}

TEST_F(HelloFailureDoc, SealedMessageHoldingAHandshake) {
  expect_documented("sealed-in-sealed", [](Probe& p) {
    v1::Envelope e;
    e.mutable_handshake()->mutable_client_hello()->set_protocol_version(1);
    p.send_sealed(e);
  });
}

// HANDSHAKE.md section 9 (reader 12, L2): the version of a first Hello is
// judged before its id, and a second Hello's version not at all.
TEST_F(HelloFailureDoc, AFirstHelloOfAnotherVersionIsAVersionMismatchWhateverItsId) {
  const auto rows = documented_answers();
  ASSERT_NE(handshake_doc().find(
                "so a first `Hello` of another version is answered `VersionMismatch` whatever device id it "
                "names; then `second-hello` (a second `Hello` is `Error{ERROR_CODE_PROTOCOL}`, whatever its "
                "version), then `hello-host-id`, then `hello-other-id`."),
            std::string::npos);
  for (const std::string& id : {std::string("someone-else"), host_id_}) {
    Probe probe(port_, "probe-order-" + std::to_string(id.size()));
    ASSERT_TRUE(probe.pair(code_)) << host_->tail();
    v1::Envelope e;
    *e.mutable_hello() = probe.hello();
    e.mutable_hello()->set_device_id(id);
    e.mutable_hello()->set_protocol_version(99);
    probe.send_sealed(e);
    EXPECT_EQ(answer(probe.read_until_closed()), rows.at("hello-version")) << id;
  }
  Probe probe(port_, "probe-order-second");
  ASSERT_TRUE(probe.pair(code_)) << host_->tail();
  v1::Envelope e;
  *e.mutable_hello() = probe.hello();
  probe.send_sealed(e);
  e.mutable_hello()->set_protocol_version(99);
  probe.send_sealed(e);
  EXPECT_EQ(answer(probe.read_until_closed()), rows.at("second-hello"));
}

// proto/README.md, Closing: the close frame after an Error says ERROR
// (reconnect), and a device that goes quiet is let go with SILENCE.
TEST_F(HelloFailureDoc, AMistakeEndsWithAnErrorThenACloseFrameSayingError) {
  Probe probe(port_, "probe-error-close");
  ASSERT_TRUE(probe.pair(code_)) << host_->tail();
  v1::Envelope e;
  *e.mutable_hello() = probe.hello();
  probe.send_sealed(e);
  probe.send_sealed(e);  // A second Hello: a protocol mistake.
  const auto got = probe.read_until_closed();
  EXPECT_EQ(answer(got), "`Error{ERROR_CODE_PROTOCOL}`");
  ASSERT_TRUE(probe.close()) << "the host closed without a close frame\n" << host_->tail();
  EXPECT_EQ(probe.close()->reason(), v1::CLOSE_REASON_ERROR);
  EXPECT_FALSE(probe.close()->message().empty());
}

TEST_F(HelloFailureDoc, ADeviceThatGoesQuietIsLetGoWithACloseFrameSayingSilence) {
  Probe probe(port_, "probe-silent");
  ASSERT_TRUE(probe.pair(code_)) << host_->tail();
  v1::Envelope e;
  *e.mutable_hello() = probe.hello();
  probe.send_sealed(e);
  // Then nothing, not even a heartbeat: the host's silence limit (5 s) passes.
  const auto started = std::chrono::steady_clock::now();
  const auto got = probe.read_until_closed();
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));
  EXPECT_TRUE(std::any_of(got.begin(), got.end(), [](const v1::Envelope& m) { return m.has_welcome(); }));
  ASSERT_TRUE(probe.close()) << "the host closed without a close frame\n" << host_->tail();
  EXPECT_EQ(probe.close()->reason(), v1::CLOSE_REASON_SILENCE);
}

// proto/README.md, "Session start" (reader 13, G1): an Envelope with no
// kind is the link layer's to answer, before the host looks at the order,
// so before the Hello it is UNKNOWN_MESSAGE, not PROTOCOL.
TEST_F(HelloFailureDoc, AnEnvelopeWithNoKindBeforeTheHelloIsUnknownNotOutOfOrder) {
  const std::string doc = contract::read_squeezed(contract::source_dir() / "proto" / "README.md");
  ASSERT_NE(doc.find("First, before the host looks at the order: an `Envelope` with no kind set (a newer version's "
                     "kind lands in unknown fields) is answered by the link layer with "
                     "`Error{ERROR_CODE_UNKNOWN_MESSAGE}`"),
            std::string::npos);
  Probe probe(port_, "probe-no-kind");
  ASSERT_TRUE(probe.pair(code_)) << host_->tail();
  probe.send_sealed(v1::Envelope());
  EXPECT_EQ(answer(probe.read_until_closed()), "`Error{ERROR_CODE_UNKNOWN_MESSAGE}`") << host_->tail();
  ASSERT_TRUE(probe.close()) << "no close frame after the Error";
  EXPECT_EQ(probe.close()->reason(), v1::CLOSE_REASON_ERROR);
}

// HANDSHAKE.md section 2 (reader 11, L2): the 1024-byte limit counts the
// HandshakeMessage as the host parsed it, serialized again: unknown fields
// count, a field sent twice counts once.
class HandshakeSizeDoc : public HelloFailureDoc {
 protected:
  // A fresh probe's ClientHello, as `Envelope` bytes: the host's answer.
  std::string answer_to(const std::string& envelope_bytes) {
    Probe probe(port_, "probe-size");
    probe.send_raw(envelope_bytes);
    const auto got = probe.next();
    if (!got || !got->has_handshake()) return "nothing";
    if (got->handshake().has_server_hello()) return "ServerHello";
    return "`HandshakeRefusal{" + v1::HandshakeRefusalReason_Name(got->handshake().refusal().reason()) + "}`";
  }
  static std::string length_delimited(int field, const std::string& bytes) {
    std::string out(1, static_cast<char>(field << 3 | 2));
    for (std::size_t n = bytes.size();; n >>= 7) {
      out.push_back(static_cast<char>((n & 0x7f) | (n > 0x7f ? 0x80 : 0)));
      if (n <= 0x7f) break;
    }
    return out + bytes;
  }
  // A code-mode ClientHello whose HandshakeMessage serializes to exactly
  // `size` bytes, padded with an unknown field.
  v1::HandshakeMessage hello_of_size(std::size_t size) const {
    auto joiner = pairing::JoinerHandshake::with_code(
        crypto::DeviceIdentity("probe-size", crypto::Seed{}), code_,
        [](std::span<std::uint8_t> out) { randombytes_buf(out.data(), out.size()); });
    v1::HandshakeMessage message = joiner.hello();
    for (std::size_t pad = 0; pad < 2 * size; ++pad) {
      v1::HandshakeMessage padded = message;
      auto* unknown =
          padded.mutable_client_hello()->GetReflection()->MutableUnknownFields(padded.mutable_client_hello());
      unknown->AddLengthDelimited(15, std::string(pad, 'p'));
      if (padded.ByteSizeLong() == size) return padded;
    }
    ADD_FAILURE() << "no padding gives " << size << " bytes";
    return message;
  }
};

TEST_F(HandshakeSizeDoc, TheLimitCountsTheMessageAsParsed) {
  ASSERT_NE(handshake_doc().find(
                "The length counted is that of the message **as the receiver serializes it again** after "
                "parsing the `Envelope`, not of the bytes as they arrived: unknown fields are kept, so they "
                "count; a field sent more than once counts once, with the value protobuf keeps"),
            std::string::npos);
  const std::size_t limit = pairing::kMaxHandshakeMessageBytes;
  // Unknown fields count: exactly the limit passes, one byte more is refused.
  EXPECT_EQ(answer_to(length_delimited(12, hello_of_size(limit).SerializeAsString())), "ServerHello");
  EXPECT_EQ(answer_to(length_delimited(12, hello_of_size(limit + 1).SerializeAsString())),
            "`HandshakeRefusal{HANDSHAKE_REFUSAL_REASON_PROTOCOL_ERROR}`");
  // A client_nonce sent twice, a long one first: over the limit as sent,
  // but the host keeps only the last, and the message parsed is small.
  const v1::HandshakeMessage small = hello_of_size(100);
  const std::string hello =
      length_delimited(3, std::string(limit, 'n')) + small.client_hello().SerializeAsString();
  const std::string sent = length_delimited(1, hello);
  ASSERT_GT(sent.size(), limit);
  EXPECT_EQ(answer_to(length_delimited(12, sent)), "ServerHello") << host_->tail();
}

// HANDSHAKE.md section 7 (reader 12, L4): how the host's end closes when a
// handshake fails. Each row of the `handshake-close` table is played against
// the real host: what arrives before the host's stream ends, then whether
// the host still reads what the probe sends ("drains") or resets at once.
class HandshakeCloseDoc : public HelloFailureDoc {
 protected:
  // Reads until the host's stream ends (true) or `within` passes; what
  // arrived before that is added to `bytes`.
  static bool stream_ends(int fd, std::chrono::milliseconds within, std::size_t* bytes) {
    const auto end = std::chrono::steady_clock::now() + within;
    char buffer[4096];
    while (std::chrono::steady_clock::now() < end) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n == 0) return true;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
      if (n > 0) *bytes += static_cast<std::size_t>(n);
    }
    return false;
  }
  // Once the host's stream has ended: one byte every 50 ms until the host
  // answers with a reset. A host that drains reads them for about a second.
  static std::string then_the_host(int fd) {
    const auto started = std::chrono::steady_clock::now();
    const auto end = started + 5s;
    while (std::chrono::steady_clock::now() < end) {
      const char byte = 0;
      const bool reset = ::send(fd, &byte, 1, MSG_NOSIGNAL) < 0;
      pollfd p{fd, POLLIN, 0};
      ::poll(&p, 1, 50);
      char sink[16];
      if (reset || (::recv(fd, sink, sizeof sink, MSG_DONTWAIT) < 0 && errno == ECONNRESET)) {
        const auto took = std::chrono::steady_clock::now() - started;
        if (took < 400ms) return "closes at once";
        if (took > 700ms && took < 3s) return "drains";
        return "reset after " + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()) +
               " ms";
      }
    }
    return "never resets";
  }
  // What the host sends and then does, in the table's words, for one row.
  std::pair<std::string, std::string> play(const std::string& how) {
    Probe probe(port_, "probe-close");
    std::vector<std::unique_ptr<Probe>> newer;
    std::size_t bytes = 0;
    std::string sent = "nothing";
    if (how.find("`HandshakeRefusal`") != std::string::npos) {
      auto joiner = pairing::JoinerHandshake::with_code(
          crypto::DeviceIdentity("probe-close", crypto::Seed{}), code_,
          [](std::span<std::uint8_t> out) { randombytes_buf(out.data(), out.size()); });
      v1::Envelope e;
      *e.mutable_handshake() = joiner.hello();
      e.mutable_handshake()->mutable_client_hello()->set_protocol_version(2);
      probe.send_clear(e);
      const auto got = probe.next();
      if (got && got->has_handshake() && got->handshake().has_refusal()) sent = "the refusal, in clear";
    } else if (how.find("clear message") != std::string::npos) {
      v1::Envelope e;
      *e.mutable_hello() = probe.hello();
      probe.send_clear(e);
      const auto got = probe.next();
      if (got && got->has_error()) sent = "`Error{" + v1::ErrorCode_Name(got->error().code()) + "}`, in clear";
    } else if (how.find("newer handshake") != std::string::npos) {
      // Four more from the same source: the oldest, this probe, gives way.
      for (int i = 0; i < 4; ++i) newer.push_back(std::make_unique<Probe>(port_, "probe-newer"));
    }
    const bool deadline = how.find("deadline") != std::string::npos;
    if (deadline) {
      // A heartbeat every second keeps the silence limit away; the deadline still comes.
      v1::Envelope beat;
      beat.mutable_heartbeat();
      const auto end = std::chrono::steady_clock::now() + 20s;
      bool ended = false;
      while (!ended && std::chrono::steady_clock::now() < end) {
        probe.send_clear(beat);
        ended = stream_ends(probe.fd(), 1s, &bytes);
      }
      if (!ended) return {sent, "never ends its stream"};
    } else if (!stream_ends(probe.fd(), 10s, &bytes)) {
      return {sent, "never ends its stream"};
    }
    if (bytes > 0) sent += " and more";
    return {sent, then_the_host(probe.fd())};
  }
};

TEST_F(HandshakeCloseDoc, EachWayAHandshakeEndsClosesAsTheTableSays) {
  std::string problem;
  const auto rows = contract::contract_table(contract::source_dir() / "proto" / "HANDSHAKE.md", "handshake-close",
                                             3, 4, &problem);
  ASSERT_TRUE(rows) << problem;
  ASSERT_EQ(rows->size(), 5u) << "one row per way a handshake ends";
  for (const auto& row : *rows) {
    const auto started = std::chrono::steady_clock::now();
    const auto [sent, then] = play(row[0]);
    EXPECT_EQ(sent, row[1]) << row[0] << "\n" << host_->tail();
    EXPECT_EQ(then, row[2]) << row[0];
    const auto took = std::chrono::steady_clock::now() - started;
    if (row[0].find("deadline") != std::string::npos) {
      EXPECT_GE(took, 14s) << "the host closed before its 15 s deadline";
    }
    if (row[0].find("silence limit") != std::string::npos) {
      EXPECT_GE(took, 4s) << "the host closed a quiet joiner before its silence limit";
      EXPECT_LT(took, 9s) << "the host waited for its deadline, not the silence limit";
    }
  }
}

}  // namespace
}  // namespace attune::test
