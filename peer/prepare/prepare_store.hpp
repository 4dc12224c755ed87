// Where this device keeps what its person prepared alone: a SQLite file of
// its own in the data folder (prepare.db), mode 0600 before SQLite first
// opens it, never sent anywhere. Every change is one transaction synced to
// disk before it returns, so a kill at any moment keeps each preparation
// whole or not at all. The rules are common/attune/prepare.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "attune/prepare/preparation.hpp"
#include "store/sqlite.hpp"

namespace attune::prepare {

// The preparations' file inside a data folder.
std::filesystem::path prepare_file(const std::filesystem::path& data_dir);

class PrepareStore {
 public:
  // Opens (or creates, 0600) the file. Returns nullptr and sets *error to
  // plain words when it can't be used (damaged, not ours, newer); such a
  // file is left untouched.
  static std::unique_ptr<PrepareStore> open(const std::filesystem::path& file, std::string* error);
  PrepareStore(const PrepareStore&) = delete;
  PrepareStore& operator=(const PrepareStore&) = delete;

  std::variant<Preparation, Problem> add(const Words& words, int64_t now_ms);
  std::variant<Preparation, Problem> edit(int64_t id, const Words& words, int64_t now_ms);
  std::optional<Problem> remove(int64_t id);
  // Every preparation, in the order they were made.
  std::vector<Preparation> list() const;
  // The same, but a file it can't read throws store::StoreError (the window says so).
  std::vector<Preparation> read() const;
  std::optional<Preparation> find(int64_t id) const;

 private:
  explicit PrepareStore(store::Database db) : db_(std::move(db)) {}
  mutable store::Database db_;
};

}  // namespace attune::prepare
