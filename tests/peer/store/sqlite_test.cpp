// The one SQLite wrapper (peer/store/sqlite.hpp): its error policy and its
// transactions, as the store, the history and recent hosts rely on them.
#include "store/sqlite.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "peer_process.hpp"

namespace attune::store {
namespace {

int64_t count_rows(Database& db) {
  Statement count(db, "SELECT COUNT(*) FROM t");
  EXPECT_TRUE(count.step());
  return count.integer(0);
}

TEST(StoreSqlite, AFailedCallSaysWhatWeWereDoingAndKeepsItsCode) {
  auto db = Database::memory();
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  Statement put(db, "INSERT INTO t (id, v) VALUES (?, ?)", /*persistent=*/true);
  put.bind(1, int64_t{1}).bind(2, std::string("one")).run();
  try {
    put.bind(1, int64_t{1}).bind(2, std::string("again")).run();
    FAIL() << "a duplicate key was taken";
  } catch (const SqliteError& error) {
    EXPECT_EQ(error.code(), SQLITE_CONSTRAINT);
    EXPECT_NE(std::string(error.what()).find("could not run a query"), std::string::npos) << error.what();
  }
  // The kept statement is ready again after the failure.
  put.bind(1, int64_t{2}).bind(2, std::string("two")).run();
  EXPECT_EQ(count_rows(db), 2);
  EXPECT_THROW(Statement(db, "SELECT nothing FROM nowhere"), StoreError);
  EXPECT_THROW(db.exec("NOT SQL"), SqliteError);
}

TEST(StoreSqlite, ATransactionLeavesNothingBehindUnlessCommitted) {
  auto db = Database::memory();
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  try {
    Transaction transaction(db);
    Statement(db, "INSERT INTO t (id, v) VALUES (1, 'kept?')").run();
    Statement(db, "INSERT INTO t (id, v) VALUES (1, 'clash')").run();  // Throws.
    transaction.commit();
  } catch (const SqliteError&) {
  }
  EXPECT_EQ(count_rows(db), 0);
  EXPECT_TRUE(sqlite3_get_autocommit(db.handle())) << "a transaction was left open";
  {
    Transaction transaction(db);
    Statement(db, "INSERT INTO t (id, v) VALUES (1, 'kept')").run();
    transaction.commit();
  }
  EXPECT_EQ(count_rows(db), 1);
}

TEST(StoreSqlite, OpeningAFolderThatIsNotThereIsAClearError) {
  test::TempDir dir;
  try {
    (void)Database::open((dir.path() / "missing" / "x.db").string(), OpenOptions{.create = true});
    FAIL() << "opened a file in a folder that does not exist";
  } catch (const SqliteError& error) {
    EXPECT_EQ(error.code(), SQLITE_CANTOPEN);
    EXPECT_NE(std::string(error.what()).find("could not open"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace attune::store
