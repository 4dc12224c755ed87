// The one door every private file of this device opens through
// (store/private_database.hpp): made private before anything is written,
// refused in plain words when it isn't ours, newer, damaged or held by
// another Attune, and never touched when refused.
#include "store/private_database.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include "peer_process.hpp"

namespace attune::store {
namespace {

const PrivateFileKind kNotes{0x41545854, 2, "CREATE TABLE IF NOT EXISTS notes (words TEXT NOT NULL)", "Your notes",
                             "a notebook", "notes"};

std::string bytes_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A file of some other SQLite program: stamped with its own id.
void make_foreign(const std::filesystem::path& file, int64_t app_id, int64_t version) {
  auto db = Database::open(file.string());
  db.exec("CREATE TABLE other (x); INSERT INTO other VALUES (1); PRAGMA application_id=" + std::to_string(app_id) +
          "; PRAGMA user_version=" + std::to_string(version) + ";");
}

std::string refusal(const std::filesystem::path& file, const PrivateFileKind& kind = kNotes) {
  std::string error;
  EXPECT_FALSE(open_private_database(file, kind, &error));
  EXPECT_NE(error.find("Your notes at " + file.string() + " can't be opened"), std::string::npos) << error;
  EXPECT_NE(error.find("Nothing was changed"), std::string::npos) << error;
  return error;
}

// Refused with `why`, and not a byte of the file changed.
void expect_refused_untouched(const std::filesystem::path& file, const std::string& why) {
  const std::string before = bytes_of(file);
  EXPECT_NE(refusal(file).find(why), std::string::npos) << why;
  EXPECT_EQ(bytes_of(file), before);
}

TEST(PrivateDatabase, ANewFileIsTheOwnersAloneAndStampedAsOurs) {
  test::TempDir dir;
  const auto file = dir.path() / "inner" / "notes.db";
  std::string error;
  auto db = open_private_database(file, kNotes, &error);
  ASSERT_TRUE(db) << error;
  db->exec("INSERT INTO notes VALUES ('hello')");
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(file.parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  {
    Statement id(*db, "PRAGMA application_id");  // Finished before the file closes.
    ASSERT_TRUE(id.step());
    EXPECT_EQ(id.integer(0), kNotes.application_id);
  }
  db.reset();
  EXPECT_TRUE(open_private_database(file, kNotes, &error)) << "ours the second time too: " << error;
}

TEST(PrivateDatabase, AnotherProgramsFileIsRefusedAndLeftAsItWas) {
  test::TempDir dir;
  const auto file = dir.path() / "notes.db";
  make_foreign(file, 0x12345678, 1);
  expect_refused_untouched(file, "it isn't a notebook Attune made");
}

TEST(PrivateDatabase, AFileFromANewerAttuneIsRefused) {
  test::TempDir dir;
  const auto file = dir.path() / "notes.db";
  make_foreign(file, kNotes.application_id, kNotes.schema_version + 1);
  expect_refused_untouched(file, "written by a newer Attune");
}

TEST(PrivateDatabase, AFileThatIsNoDatabaseIsCalledDamagedAndKept) {
  test::TempDir dir;
  const auto file = dir.path() / "notes.db";
  { std::ofstream(file) << "some words that are not a database at all, long enough to be read as a header....."; }
  expect_refused_untouched(file, "it looks damaged");
}

TEST(PrivateDatabase, AFileAnotherAttuneHoldsIsRefusedSayingSo) {
  test::TempDir dir;
  const auto file = dir.path() / "notes.db";
  std::string error;
  auto first = open_private_database(file, kNotes, &error);
  ASSERT_TRUE(first) << error;
  // The other Attune keeps the file to itself.
  first->exec("PRAGMA locking_mode=EXCLUSIVE; INSERT INTO notes VALUES ('mine');");
  EXPECT_NE(refusal(file).find("another Attune on this computer is using it"), std::string::npos);
}

TEST(PrivateDatabase, AnUnstampedOlderFileIsOursOnlyWhenItHoldsOurTable) {
  test::TempDir dir;
  const auto older = dir.path() / "older.db";
  {
    auto db = Database::open(older.string());
    db.exec("CREATE TABLE notes (words TEXT NOT NULL); INSERT INTO notes VALUES ('kept');");
  }
  std::string error;
  auto db = open_private_database(older, kNotes, &error);
  ASSERT_TRUE(db) << error;
  Statement words(*db, "SELECT words FROM notes");
  ASSERT_TRUE(words.step());
  EXPECT_EQ(words.text(0), "kept");

  const auto stranger = dir.path() / "notes.db";
  make_foreign(stranger, 0, 0);
  EXPECT_NE(refusal(stranger).find("it isn't a notebook Attune made"), std::string::npos);
}

}  // namespace
}  // namespace attune::store
