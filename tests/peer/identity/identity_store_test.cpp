// The device key and the pinned peers on disk: private permissions, stable
// across restarts, and a changed key refused with a clear message.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "identity/device_key_store.hpp"
#include "identity/pinned_peer_store.hpp"
#include "identity/private_file.hpp"
#include "identity/system_random.hpp"

namespace attune::identity {
namespace {

namespace fs = std::filesystem;

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

class IdentityStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::init_crypto());
    std::string pattern = (fs::temp_directory_path() / "attune-identity-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root = pattern;
    data_dir = root / "data";
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(root, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(root, ec);
  }

  fs::path root;
  fs::path data_dir;
  crypto::RandomFn random = system_random();
};

TEST_F(IdentityStoreTest, FirstStartCreatesAPrivateKeyFile) {
  const DeviceKeyResult first = load_or_create_device_key(data_dir, random);
  ASSERT_TRUE(first.identity) << first.error;
  EXPECT_TRUE(first.created);
  EXPECT_EQ(mode_of(identity_dir(data_dir)), 0700u);
  EXPECT_EQ(mode_of(identity_dir(data_dir) / "device.json"), 0600u);
  EXPECT_EQ(first.identity->device_id().size(), 32u);
}

TEST_F(IdentityStoreTest, TheSameKeyComesBackAfterARestart) {
  const DeviceKeyResult first = load_or_create_device_key(data_dir, random);
  const DeviceKeyResult second = load_or_create_device_key(data_dir, random);
  ASSERT_TRUE(first.identity && second.identity);
  EXPECT_FALSE(second.created);
  EXPECT_EQ(first.identity->device_id(), second.identity->device_id());
  EXPECT_EQ(first.identity->public_key(), second.identity->public_key());
  // And it still signs as the same key.
  const crypto::Bytes msg = {1, 2, 3};
  const crypto::Signature sig = second.identity->sign(msg);
  EXPECT_TRUE(crypto::verify_signature(first.identity->public_key(), msg, sig));
}

TEST_F(IdentityStoreTest, LoosePermissionsAreTightened) {
  ASSERT_TRUE(load_or_create_device_key(data_dir, random).identity);
  const fs::path file = identity_dir(data_dir) / "device.json";
  ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
  const DeviceKeyResult again = load_or_create_device_key(data_dir, random);
  ASSERT_TRUE(again.identity);
  EXPECT_TRUE(again.tightened);
  EXPECT_EQ(mode_of(file), 0600u);
}

TEST_F(IdentityStoreTest, ADamagedKeyFileIsReportedAndLeftAlone) {
  ASSERT_TRUE(load_or_create_device_key(data_dir, random).identity);
  const fs::path file = identity_dir(data_dir) / "device.json";
  { std::ofstream(file, std::ios::trunc) << "{ not json"; }
  const DeviceKeyResult broken = load_or_create_device_key(data_dir, random);
  EXPECT_FALSE(broken.identity);
  EXPECT_NE(broken.error.find("can't be used"), std::string::npos);
  std::ifstream in(file);
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(contents, "{ not json");  // Not replaced by a new key.
}

TEST_F(IdentityStoreTest, PinsSurviveARestartInAPrivateFile) {
  const crypto::PeerIdentity host{"host-laptop", {}};
  crypto::PeerIdentity peer = host;
  randombytes_buf(peer.public_key.data(), peer.public_key.size());
  {
    PinnedPeerStore store(data_dir);
    ASSERT_EQ(store.load(), std::nullopt);
    EXPECT_EQ(store.check(peer), PinCheck::Unknown);
    ASSERT_EQ(store.pin(peer, 1234), std::nullopt);
  }
  EXPECT_EQ(mode_of(identity_dir(data_dir) / "pinned_peers.json"), 0600u);
  PinnedPeerStore reloaded(data_dir);
  ASSERT_EQ(reloaded.load(), std::nullopt);
  EXPECT_EQ(reloaded.check(peer), PinCheck::Matches);
  EXPECT_EQ(reloaded.find("host-laptop")->pinned_at_ms, 1234);
  EXPECT_EQ(reloaded.keys().at("host-laptop"), peer.public_key);
}

TEST_F(IdentityStoreTest, AChangedKeyIsRefusedWithAClearMessage) {
  PinnedPeerStore store(data_dir);
  ASSERT_EQ(store.load(), std::nullopt);
  crypto::PeerIdentity original{"partner-a", {}};
  randombytes_buf(original.public_key.data(), original.public_key.size());
  ASSERT_EQ(store.pin(original, 1), std::nullopt);

  crypto::PeerIdentity changed = original;
  changed.public_key[0] ^= 0xff;
  EXPECT_EQ(store.check(changed), PinCheck::Changed);
  const std::string message = PinnedPeerStore::changed_key_message(changed, original.public_key);
  EXPECT_NE(message.find("partner-a"), std::string::npos);
  EXPECT_NE(message.find("different security key"), std::string::npos);
  EXPECT_NE(message.find(crypto::key_fingerprint(original.public_key)), std::string::npos);

  // Pairing again with a code replaces the pin; then the new key matches.
  ASSERT_EQ(store.pin(changed, 2), std::nullopt);
  EXPECT_EQ(store.check(changed), PinCheck::Matches);
  EXPECT_EQ(store.check(original), PinCheck::Changed);
}

TEST_F(IdentityStoreTest, ForgettingAPeerNeedsACodeAgain) {
  PinnedPeerStore store(data_dir);
  crypto::PeerIdentity peer{"coach", {}};
  randombytes_buf(peer.public_key.data(), peer.public_key.size());
  ASSERT_EQ(store.pin(peer, 1), std::nullopt);
  ASSERT_EQ(store.forget("coach"), std::nullopt);
  PinnedPeerStore reloaded(data_dir);
  ASSERT_EQ(reloaded.load(), std::nullopt);
  EXPECT_EQ(reloaded.check(peer), PinCheck::Unknown);
}

TEST_F(IdentityStoreTest, ADamagedPinListIsReported) {
  ASSERT_EQ(ensure_private_dir(identity_dir(data_dir)), std::nullopt);
  ASSERT_EQ(write_private_file(identity_dir(data_dir) / "pinned_peers.json", "[1,2"), std::nullopt);
  PinnedPeerStore store(data_dir);
  const auto err = store.load();
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->find("damaged"), std::string::npos);
  EXPECT_EQ(store.size(), 0u);
}

}  // namespace
}  // namespace attune::identity
