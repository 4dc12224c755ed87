#include "prepare/prepare_store.hpp"

#include <sqlite3.h>

#include "store/private_database.hpp"

namespace attune::prepare {

namespace {

constexpr int64_t kSchemaVersion = 1;
// "ATPR": tells our file apart from any other SQLite file.
constexpr int64_t kApplicationId = 0x41545052;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS preparations (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  created_ms  INTEGER NOT NULL,
  updated_ms  INTEGER NOT NULL,
  what        TEXT NOT NULL,
  activation  INTEGER NOT NULL,
  generous    TEXT NOT NULL,
  share       TEXT NOT NULL,
  own_part    TEXT NOT NULL,
  reassure    TEXT NOT NULL,
  gesture     TEXT NOT NULL
);)sql";

constexpr const char* kColumns =
    "id, created_ms, updated_ms, what, activation, generous, share, own_part, reassure, gesture";

const Problem kNotSaved{"That couldn't be saved just now (the disk said no). Nothing you wrote before was lost; "
                        "please try again in a moment."};

Preparation read_row(const store::Statement& row) {
  Preparation p;
  p.id = row.integer(0);
  p.created_ms = row.integer(1);
  p.updated_ms = row.integer(2);
  p.words.what = row.text(3);
  p.words.activation = static_cast<int>(row.integer(4));
  p.words.generous = row.text(5);
  p.words.share = row.text(6);
  p.words.own_part = row.text(7);
  p.words.reassure = row.text(8);
  p.words.gesture = row.text(9);
  return p;
}

// Binds the words from parameter `first` on, in kColumns' order.
void bind_words(store::Statement& st, int first, const Words& w) {
  st.bind(first, w.what)
      .bind(first + 1, int64_t{w.activation})
      .bind(first + 2, w.generous)
      .bind(first + 3, w.share)
      .bind(first + 4, w.own_part)
      .bind(first + 5, w.reassure)
      .bind(first + 6, w.gesture);
}

}  // namespace

std::filesystem::path prepare_file(const std::filesystem::path& data_dir) { return data_dir / "prepare.db"; }

std::unique_ptr<PrepareStore> PrepareStore::open(const std::filesystem::path& file, std::string* error) {
  const store::PrivateFileKind kind{kApplicationId, kSchemaVersion, kSchema, "What you prepared",
                                    "a file of preparations", ""};
  auto db = store::open_private_database(file, kind, error);
  if (!db) return nullptr;
  return std::unique_ptr<PrepareStore>(new PrepareStore(std::move(*db)));
}

std::variant<Preparation, Problem> PrepareStore::add(const Words& words, int64_t now_ms) {
  auto accepted = accept_new(words, now_ms);
  if (std::holds_alternative<Problem>(accepted)) return accepted;
  Preparation p = std::get<Preparation>(std::move(accepted));
  try {
    store::Transaction tx(db_);
    store::Statement count(db_, "SELECT count(*) FROM preparations");
    if (count.step() && count.integer(0) >= static_cast<int64_t>(kMaxPreparations))
      return Problem{"There are already " + std::to_string(kMaxPreparations) +
                     " preparations here. Remove one you no longer need first."};
    store::Statement st(db_,
                        "INSERT INTO preparations (created_ms, updated_ms, what, activation, generous, share, "
                        "own_part, reassure, gesture) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, p.created_ms).bind(2, p.updated_ms);
    bind_words(st, 3, p.words);
    st.run();
    p.id = sqlite3_last_insert_rowid(db_.handle());
    tx.commit();
  } catch (const store::StoreError&) {
    return kNotSaved;
  }
  return p;
}

std::variant<Preparation, Problem> PrepareStore::edit(int64_t id, const Words& words, int64_t now_ms) {
  try {
    store::Transaction tx(db_);
    const auto before = find(id);
    if (!before) return Problem{"There's no preparation " + std::to_string(id) + " on this device."};
    auto edited = accept_edit(*before, words, now_ms);
    if (std::holds_alternative<Problem>(edited)) return edited;
    const Preparation& p = std::get<Preparation>(edited);
    store::Statement st(db_,
                        "UPDATE preparations SET updated_ms = ?, what = ?, activation = ?, generous = ?, "
                        "share = ?, own_part = ?, reassure = ?, gesture = ? WHERE id = ?");
    st.bind(1, p.updated_ms);
    bind_words(st, 2, p.words);
    st.bind(9, id);
    st.run();
    tx.commit();
    return edited;
  } catch (const store::StoreError&) {
    return kNotSaved;
  }
}

std::optional<Problem> PrepareStore::remove(int64_t id) {
  try {
    store::Transaction tx(db_);
    if (!find(id)) return Problem{"There's no preparation " + std::to_string(id) + " on this device."};
    store::Statement(db_, "DELETE FROM preparations WHERE id = ?").bind(1, id).run();
    tx.commit();
  } catch (const store::StoreError&) {
    return kNotSaved;
  }
  return std::nullopt;
}

std::vector<Preparation> PrepareStore::read() const {
  std::vector<Preparation> out;
  store::Statement st(db_, (std::string("SELECT ") + kColumns + " FROM preparations ORDER BY id").c_str());
  while (st.step()) out.push_back(read_row(st));
  return out;
}

std::vector<Preparation> PrepareStore::list() const {
  try {
    return read();
  } catch (const store::StoreError&) {
    return {};
  }
}

std::optional<Preparation> PrepareStore::find(int64_t id) const {
  try {
    store::Statement st(db_, (std::string("SELECT ") + kColumns + " FROM preparations WHERE id = ?").c_str());
    st.bind(1, id);
    if (st.step()) return read_row(st);
  } catch (const store::StoreError&) {
  }
  return std::nullopt;
}

}  // namespace attune::prepare
