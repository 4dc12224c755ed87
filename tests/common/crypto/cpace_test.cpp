// CPace-ristretto255-SHA512 against the published test vectors of
// draft-irtf-cfrg-cpace-21 (April 2026), appendix B.3 and A.1/A.3. The hex
// strings below are the draft's values, not outputs of this code.
#include "attune/crypto/cpace.hpp"

#include <gtest/gtest.h>

#include "attune/crypto/sodium_init.hpp"

namespace attune::crypto {
namespace {

Bytes hex(std::string_view h) {
  auto b = from_hex(h);
  EXPECT_TRUE(b.has_value()) << h;
  return b.value_or(Bytes{});
}

std::array<std::uint8_t, 32> hex32(std::string_view h) {
  Bytes b = hex(h);
  std::array<std::uint8_t, 32> out{};
  EXPECT_EQ(b.size(), 32u);
  std::copy_n(b.begin(), std::min<std::size_t>(32, b.size()), out.begin());
  return out;
}

// draft-irtf-cfrg-cpace-21, B.3.1 .. B.3.6.
const Bytes kPrs = {'P', 'a', 's', 's', 'w', 'o', 'r', 'd'};
constexpr std::string_view kCi = "0b415f696e69746961746f720b425f726573706f6e646572";
constexpr std::string_view kSid = "7e4b4791d6a8ef019b936c79fb7f2c57";
constexpr std::string_view kGeneratorString =
    "11435061636552697374726574746f3235350850617373776f726464"
    "00000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000180b415f696e69746961746f"
    "720b425f726573706f6e646572107e4b4791d6a8ef019b936c79fb7f"
    "2c57";
constexpr std::string_view kG = "222b6b195fe84b1652badb6f6a3ae3d24341e7306967f0b8115b40d5698c7e56";
constexpr std::string_view kYaScalar = "da3d23700a9e5699258aef94dc060dfda5ebb61f02a5ea77fad53f4ff0976d08";
constexpr std::string_view kYa = "d6bac480f2c386c394efc7c47adb9925dcd2630b64f240c50f8d0eec482b9157";
constexpr std::string_view kYbScalar = "d2316b454718c35362d83d69df6320f38578ed5984651435e2949762d900b80d";
constexpr std::string_view kYb = "3ea7e0b19560d7c0b0f5734f63b955286dfa8232b5ebe63324e2d9e7433f7258";
constexpr std::string_view kK = "80b69a8a76457ab6a4d7f887a4bf6b55a2f80ac19c333f917a05fc9887c8b40f";
constexpr std::string_view kTranscriptIr =
    "20d6bac480f2c386c394efc7c47adb9925dcd2630b64f240c50f8d0e"
    "ec482b915703414461203ea7e0b19560d7c0b0f5734f63b955286dfa"
    "8232b5ebe63324e2d9e7433f725803414462";
constexpr std::string_view kIskIr =
    "b69effbf61b51d56401c0f65601abe428de8206feaaf0e32198896dc"
    "ae7b35cd2b38950a39dfd5d4a79164614c2984f7daa460b588c1e80c"
    "3fa2068af7900447";
constexpr std::string_view kTranscriptOc =
    "6f6320d6bac480f2c386c394efc7c47adb9925dcd2630b64f240c50f"
    "8d0eec482b915703414461203ea7e0b19560d7c0b0f5734f63b95528"
    "6dfa8232b5ebe63324e2d9e7433f725803414462";
const Bytes kAda = {'A', 'D', 'a'};
const Bytes kAdb = {'A', 'D', 'b'};

class CpaceTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(init_crypto()); }
};

TEST_F(CpaceTest, StringUtilitiesMatchDraftAppendixA) {
  EXPECT_EQ(to_hex(prepend_len({})), "00");
  const Bytes s1234 = {'1', '2', '3', '4'};
  EXPECT_EQ(to_hex(prepend_len(s1234)), "0431323334");
  Bytes r128(128);
  for (std::size_t i = 0; i < r128.size(); ++i) r128[i] = static_cast<std::uint8_t>(i);
  const Bytes p127 = prepend_len(ByteView(r128).first(127));
  EXPECT_EQ(p127.size(), 128u);
  EXPECT_EQ(p127[0], 0x7f);
  const Bytes p128 = prepend_len(r128);
  EXPECT_EQ(p128.size(), 130u);
  EXPECT_EQ(p128[0], 0x80);
  EXPECT_EQ(p128[1], 0x01);

  const Bytes five = {'5'}, s678 = {'6', '7', '8'};
  EXPECT_EQ(to_hex(lv_cat({s1234, five, {}, s678})), "043132333401350003363738");

  const Bytes p123 = {'1', '2', '3'}, p234 = {'2', '3', '4'};
  const Bytes party_a = {'P', 'a', 'r', 't', 'y', 'A'}, party_b = {'P', 'a', 'r', 't', 'y', 'B'};
  EXPECT_EQ(to_hex(transcript_ir(p123, party_a, p234, party_b)),
            "03313233065061727479410332333406506172747942");
  EXPECT_EQ(to_hex(transcript_oc(p123, party_a, p234, party_b)),
            "6f6303323334065061727479420331323306506172747941");
  const Bytes p3456 = {'3', '4', '5', '6'}, p2345 = {'2', '3', '4', '5'};
  EXPECT_EQ(to_hex(transcript_oc(p3456, party_a, p2345, party_b)),
            "6f63043334353606506172747941043233343506506172747942");
}

TEST_F(CpaceTest, GeneratorMatchesB31) {
  const Bytes ci = hex(kCi), sid = hex(kSid);
  const Bytes gen = generator_string(as_bytes(kCpaceDsi), kPrs, ci, sid, kSha512BlockBytes);
  EXPECT_EQ(gen.size(), 170u);
  EXPECT_EQ(to_hex(gen), kGeneratorString);
  EXPECT_EQ(to_hex(view_of(calculate_generator(kPrs, ci, sid))), kG);
}

TEST_F(CpaceTest, FullRunMatchesB32ToB35) {
  const Bytes ci = hex(kCi), sid = hex(kSid);
  const auto ya = hex32(kYaScalar), yb = hex32(kYbScalar);
  auto a = Cpace::start(CpaceRole::A, kPrs, ci, sid, kAda, ya);
  auto b = Cpace::start(CpaceRole::B, kPrs, ci, sid, kAdb, yb);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(to_hex(view_of(a->share())), kYa);
  EXPECT_EQ(to_hex(view_of(b->share())), kYb);

  EXPECT_EQ(to_hex(view_of(*scalar_mult_vfy(view_of(ya), view_of(b->share())))), kK);
  EXPECT_EQ(to_hex(view_of(*scalar_mult_vfy(view_of(yb), view_of(a->share())))), kK);
  EXPECT_EQ(to_hex(transcript_ir(hex(kYa), kAda, hex(kYb), kAdb)), kTranscriptIr);
  EXPECT_EQ(to_hex(transcript_oc(hex(kYa), kAda, hex(kYb), kAdb)), kTranscriptOc);

  const auto isk_a = a->finish(view_of(b->share()), kAdb);
  const auto isk_b = b->finish(view_of(a->share()), kAda);
  ASSERT_TRUE(isk_a && isk_b);
  EXPECT_EQ(to_hex(isk_a->view()), kIskIr);
  EXPECT_EQ(to_hex(isk_b->view()), kIskIr);
}

TEST_F(CpaceTest, ScalarMultVfyMatchesB310AndRefusesB311) {
  const Bytes s = hex("7cd0e075fa7955ba52c02759a6c90dbbfc10e6d40aea8d283e407d88cf538a05");
  const Bytes x = hex("2c3c6b8c4f3800e7aef6864025b4ed79bd599117e427c41bd47d93d654b4a51c");
  const auto sx = scalar_mult_vfy(s, x);
  ASSERT_TRUE(sx.has_value());
  EXPECT_EQ(to_hex(view_of(*sx)), "7c13645fe790a468f62c39beb7388e541d8405d1ade69d1778c5fe3e7f6b600e");
  // Y_i1 does not decode; Y_i2 is the identity's encoding: both must abort.
  EXPECT_FALSE(scalar_mult_vfy(s, hex("2b3c6b8c4f3800e7aef6864025b4ed79bd599117e427c41bd47d93d654b4a51c")));
  EXPECT_FALSE(scalar_mult_vfy(s, Bytes(32, 0)));
}

TEST_F(CpaceTest, RunAbortsOnInvalidPeerShares) {
  const Bytes ci = hex(kCi), sid = hex(kSid);
  auto a = Cpace::start(CpaceRole::A, kPrs, ci, sid, kAda, hex32(kYaScalar));
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->finish(Bytes(32, 0), kAdb));  // Identity.
  EXPECT_FALSE(a->finish(hex("2b3c6b8c4f3800e7aef6864025b4ed79bd599117e427c41bd47d93d654b4a51c"), kAdb));
  EXPECT_FALSE(a->finish(Bytes(31, 1), kAdb));  // Wrong length.
}

TEST_F(CpaceTest, DifferentCodesGiveDifferentKeys) {
  const Bytes ci = hex(kCi), sid = hex(kSid);
  const Bytes wrong = {'P', 'a', 's', 's', 'w', 'o', 'r', 'e'};
  auto a = Cpace::start(CpaceRole::A, kPrs, ci, sid, kAda, hex32(kYaScalar));
  auto b = Cpace::start(CpaceRole::B, wrong, ci, sid, kAdb, hex32(kYbScalar));
  ASSERT_TRUE(a && b);
  const auto isk_a = a->finish(view_of(b->share()), kAdb);
  const auto isk_b = b->finish(view_of(a->share()), kAda);
  ASSERT_TRUE(isk_a && isk_b);
  EXPECT_NE(to_hex(isk_a->view()), to_hex(isk_b->view()));
}

}  // namespace
}  // namespace attune::crypto
