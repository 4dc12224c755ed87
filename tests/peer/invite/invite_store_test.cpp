// The invitations store: private from its first byte, every change whole,
// and a letter's id taken in only once, across reopening.
#include "invite/invite_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "peer_process.hpp"

namespace attune::invite {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;

Invitation sample(const std::string& id) {
  Invitation inv;
  inv.id = id;
  inv.partner_device_id = "partner-device";
  inv.day = "Tuesday";
  inv.offers_utc_ms = {kNow + 3'600'000};
  inv.created_utc_ms = inv.updated_utc_ms = kNow;
  return inv;
}

TEST(InviteStore, IsPrivateFromTheStartAndKeepsAcrossReopening) {
  test::TempDir dir;
  std::string error;
  {
    auto store = InviteStore::open(dir.path(), &error);
    ASSERT_TRUE(store) << error;
    store->keep_with_letter(sample("inv-1"), {"letter-1", "partner-device", "bytes"});
  }
  struct stat st {};
  ASSERT_EQ(::stat(invite_file(dir.path()).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  auto store = InviteStore::open(dir.path(), &error);
  ASSERT_TRUE(store) << error;
  ASSERT_EQ(store->list().size(), 1u);
  EXPECT_EQ(store->list()[0].offers_utc_ms, sample("x").offers_utc_ms);
  ASSERT_EQ(store->waiting_letters().size(), 1u);
  store->acknowledged("letter-1");
  EXPECT_TRUE(store->waiting_letters().empty());
}

TEST(InviteStore, TakesALetterInOnlyOnce) {
  test::TempDir dir;
  std::string error;
  auto store = InviteStore::open(dir.path(), &error);
  ASSERT_TRUE(store) << error;
  int effects = 0;
  const auto effect = [&](const std::optional<Invitation>& current) {
    ++effects;
    EXPECT_FALSE(current);
    auto inv = sample("inv-2");
    inv.side = Side::Received;
    return std::optional<Invitation>(inv);
  };
  EXPECT_EQ(store->take_in("letter-9", "inv-2", effect).arrival, Arrival::Fresh);
  EXPECT_EQ(store->take_in("letter-9", "inv-2", effect).arrival, Arrival::AlreadyHad);
  store.reset();
  store = InviteStore::open(dir.path(), &error);
  const auto again = store->take_in("letter-9", "inv-2", effect);
  EXPECT_EQ(again.arrival, Arrival::AlreadyHad);
  EXPECT_FALSE(again.refusal) << "a kept letter is acknowledged again";
  EXPECT_EQ(effects, 1);
  EXPECT_EQ(store->list().size(), 1u);
  EXPECT_EQ(store->taken_ids(), std::vector<std::string>{"letter-9"});
}

// A letter turned away under INVITE.md section 4 whose refusal was lost on
// the way comes again: it was answered "ack", and the sender told its person
// it was delivered. It gets the same refusal, across reopening.
TEST(InviteStore, ARefusedLetterSentAgainGetsTheSameRefusal) {
  test::TempDir dir;
  std::string error;
  auto store = InviteStore::open(dir.path(), &error);
  ASSERT_TRUE(store) << error;
  int effects = 0;
  const auto turn_away = [&](const std::optional<Invitation>&) {
    ++effects;
    return InviteStore::Judgement::refused("That invitation isn't waiting here any more.");
  };
  const auto first = store->take_in("letter-r", "inv-gone", turn_away);
  EXPECT_EQ(first.arrival, Arrival::Fresh);
  ASSERT_TRUE(first.refusal);
  store.reset();
  store = InviteStore::open(dir.path(), &error);
  ASSERT_TRUE(store) << error;
  const auto again = store->take_in("letter-r", "inv-gone", turn_away);
  EXPECT_EQ(again.arrival, Arrival::AlreadyHad);
  ASSERT_TRUE(again.refusal) << "answered as if it had been kept";
  EXPECT_EQ(*again.refusal, *first.refusal);
  EXPECT_EQ(effects, 1) << "judged once";
  EXPECT_TRUE(store->list().empty()) << "nothing kept";
}

// A file from before refusals were stored: its taken ids read as kept.
TEST(InviteStore, AnOlderFilesLettersReadAsKept) {
  test::TempDir dir;
  std::string error;
  ASSERT_TRUE(InviteStore::open(dir.path(), &error)) << error;
  {
    auto db = store::Database::open(invite_file(dir.path()).string());
    db.exec("DROP TABLE taken_letters; CREATE TABLE taken_letters (letter_id TEXT PRIMARY KEY);"
            "INSERT INTO taken_letters (letter_id) VALUES ('letter-old');");
  }
  auto store = InviteStore::open(dir.path(), &error);
  ASSERT_TRUE(store) << error;
  const auto never = [](const std::optional<Invitation>&) -> InviteStore::Judgement {
    ADD_FAILURE() << "judged again";
    return {};
  };
  const auto old = store->take_in("letter-old", "inv-1", never);
  EXPECT_EQ(old.arrival, Arrival::AlreadyHad);
  EXPECT_FALSE(old.refusal);
  // New letters in that file remember their refusal.
  const auto turned = store->take_in("letter-new", "inv-1", [](const std::optional<Invitation>&) {
    return InviteStore::Judgement::refused("No.");
  });
  EXPECT_EQ(store->take_in("letter-new", "inv-1", never).refusal, turned.refusal);
}

TEST(InviteStore, AgreedTimesAreWhatTheReminderReads) {
  test::TempDir dir;
  std::string error;
  auto store = InviteStore::open(dir.path(), &error);
  auto inv = sample("inv-3");
  Answer pick;
  pick.kind = AnswerKind::Offered;
  pick.answered_utc_ms = kNow;
  store->keep_with_letter(apply_answer(inv, pick), {"letter-3", "partner-device", "bytes"});
  const auto agreed = store->agreed_appointments();
  ASSERT_EQ(agreed.size(), 1u);
  EXPECT_EQ(agreed[0], (Appointment{"inv-3", "partner-device", "", kNow + 3'600'000}));
}

TEST(InviteStore, RefusesAFileThatIsNotOursWithWordsAndLeavesIt) {
  test::TempDir dir;
  { std::ofstream(invite_file(dir.path())) << "not a database at all, just words"; }
  std::string error;
  EXPECT_FALSE(InviteStore::open(dir.path(), &error));
  EXPECT_NE(error.find("can't be opened"), std::string::npos) << error;
  std::ifstream in(invite_file(dir.path()));
  std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(kept, "not a database at all, just words");
}

}  // namespace
}  // namespace attune::invite
