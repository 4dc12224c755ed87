// Broken input from one device closes only that device's link, with a clear
// error, while the session carries on for everyone else; an incompatible
// version is told so on both sides.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <string>

#include "attune/frame_decoder.hpp"
#include "attune/wire_codec.hpp"
#include "peer_process.hpp"
#include "peer_cluster.hpp"

namespace attune::test {
namespace {

std::string header(uint32_t n) {
  return {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
          static_cast<char>(n)};
}

// A raw loopback connection that sends exact bytes and collects what the
// host answers until it closes (bounded by a receive timeout).
class RawLink {
 public:
  explicit RawLink(uint16_t port) { fd_ = connect_loopback(port, 5s, &connected_); }
  ~RawLink() { ::close(fd_); }
  bool connected() const { return connected_; }
  void send(const std::string& bytes) { (void)!::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
  void close_write() { ::shutdown(fd_, SHUT_WR); }

  // Every frame the host sent before closing; `closed` says it did close.
  std::vector<v1::Envelope> read_until_closed(bool& closed) {
    std::vector<v1::Envelope> out;
    FrameDecoder decoder;
    char buffer[4096];
    closed = false;
    for (;;) {
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n == 0 || (n < 0 && errno == ECONNRESET)) {
        closed = true;
        ::shutdown(fd_, SHUT_RDWR);  // Lets the host finish closing at once.
        return out;
      }
      if (n < 0) return out;  // Timed out: the host kept the link open.
      decoder.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
      std::string payload;
      while (decoder.next(payload) == FrameDecoder::Status::Good) {
        v1::Envelope e;
        if (!decode_envelope(payload, e)) out.push_back(e);
      }
    }
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

class WireRobustness : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(cluster_.start());
    cluster_.act(Who::A, "admit partner-b");
    cluster_.act(Who::A, "admit coach");
    cluster_.act(Who::B, "admit coach");
  }

  // Sends `bytes` on a fresh link; expects an Error with `code` (unless
  // UNSPECIFIED) and the link closed; then checks the others are unaffected.
  void expect_only_that_link_closes(const std::string& bytes, v1::ErrorCode code, const std::string& words,
                                    bool close_after = false) {
    auto& host = cluster_.peer(Who::A);
    const auto from = host.line_count();
    RawLink link(cluster_.port());
    ASSERT_TRUE(link.connected());
    link.send(bytes);
    if (close_after) link.close_write();
    bool closed = false;
    const auto frames = link.read_until_closed(closed);
    EXPECT_TRUE(closed) << "the host should close a link that sent: " << words;
    if (code != v1::ERROR_CODE_UNSPECIFIED) {
      ASSERT_FALSE(frames.empty()) << "the host should say why it closes the link";
      EXPECT_TRUE(frames.back().has_error());
      EXPECT_EQ(frames.back().error().code(), code);
      EXPECT_FALSE(frames.back().error().message().empty());
    }
    // The host names the problem in plain words.
    const auto problem = host.wait_for(
        [&](const Json& j) {
          return j.value("event", "") == "peer_problem" &&
                 j.value("message", "").find(words) != std::string::npos;
        },
        PeerCluster::kWait, from);
    EXPECT_TRUE(problem) << host.tail();
    // Everyone else carries on: a partner's intent is applied and replicated.
    toggle_ = !toggle_;
    cluster_.act(Who::B, toggle_ ? "share-with-coach on" : "share-with-coach off");
    for (auto who : {Who::A, Who::B, Who::Coach}) EXPECT_TRUE(cluster_.peer(who).running());
  }

  PeerCluster cluster_{ATTUNE_BINARY};
  bool toggle_ = false;
};

TEST_F(WireRobustness, MalformedFrameClosesOnlyThatLink) {
  expect_only_that_link_closes(header(5) + std::string(5, '\xff'), v1::ERROR_CODE_MALFORMED,
                               "does not parse");
}

TEST_F(WireRobustness, OversizedFrameIsRefusedBeforeItsBodyArrives) {
  // Only the header of a 1 MiB frame: the host must judge it by the length.
  expect_only_that_link_closes(header(1 << 20), v1::ERROR_CODE_TOO_LARGE, "the limit is 65536");
}

TEST_F(WireRobustness, UnknownMessageTypeClosesOnlyThatLink) {
  const std::string future("\x9a\x06\x00", 3);  // Envelope field 99: from a newer version.
  expect_only_that_link_closes(header(3) + future, v1::ERROR_CODE_UNKNOWN_MESSAGE, "does not know");
}

TEST_F(WireRobustness, TruncatedFrameIsReportedWhenTheLinkCloses) {
  expect_only_that_link_closes(header(100) + std::string(10, 'x'), v1::ERROR_CODE_UNSPECIFIED,
                               "in the middle of a message", /*close_after=*/true);
}

TEST_F(WireRobustness, IntentsBeforeHelloAreAProtocolError) {
  v1::Envelope submit;
  submit.mutable_submit_intent()->set_intent_id("x");
  submit.mutable_submit_intent()->mutable_intent()->mutable_call_pause();
  expect_only_that_link_closes(*encode_envelope(submit), v1::ERROR_CODE_PROTOCOL, "must be a Hello");
}

TEST(VersionCheck, AnIncompatibleDeviceIsToldSoOnBothSides) {
  PeerCluster cluster(ATTUNE_BINARY);
  ASSERT_NO_FATAL_FAILURE(cluster.start());
  TempDir dir;
  PeerProcess old_device(
      "old device", ATTUNE_BINARY,
      {"--headless", "--data-dir", dir.path().string(), "join", "127.0.0.1:" + std::to_string(cluster.port()),
       "--name", "Old", "--role", "coach", "--code", cluster.code(), "--protocol-version", "99"},
      dir.path() / "stderr");
  const auto code = old_device.wait_exit(PeerCluster::kWait);
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 2) << old_device.tail();
  const auto fatal = old_device.wait_for([](const Json& j) { return j.value("event", "") == "fatal"; }, 1s);
  ASSERT_TRUE(fatal);
  EXPECT_EQ((*fatal)["reason"], "version_mismatch");
  EXPECT_NE((*fatal)["message"].get<std::string>().find("version"), std::string::npos);
  EXPECT_NE(old_device.stderr_text().find("version"), std::string::npos);
  const auto host_side = cluster.peer(Who::A).wait_for(
      [](const Json& j) {
        return j.value("event", "") == "peer_problem" &&
               j.value("message", "").find("speaks version 99") != std::string::npos;
      },
      PeerCluster::kWait);
  EXPECT_TRUE(host_side) << cluster.peer(Who::A).tail();
  // It never took a seat.
  EXPECT_EQ(cluster.state()["participants"].size(), 3u);
}

}  // namespace
}  // namespace attune::test
