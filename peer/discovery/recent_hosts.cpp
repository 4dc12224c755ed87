#include "recent_hosts.hpp"

#include <filesystem>

#include "identity/private_file.hpp"

namespace attune::discovery {

namespace {

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS recent_hosts ("
    " address TEXT PRIMARY KEY NOT NULL,"
    " label TEXT NOT NULL DEFAULT '',"
    " last_used_ms INTEGER NOT NULL)";

constexpr int kBusyTimeoutMs = 1000;

}  // namespace

template <typename Body>
void RecentHosts::quietly(Body&& body) const {
  if (!db_) return;
  try {
    body();
  } catch (const store::StoreError& error) {
    problem_ = error.what();
  }
}

RecentHosts::RecentHosts(const std::string& path) {
  // The hosts someone joined say where they've been: the owner's alone.
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) (void)identity::ensure_private_dir(parent);
  identity::precreate_private_file(path);
  try {
    db_ = store::Database::open(path, store::OpenOptions{.busy_timeout_ms = kBusyTimeoutMs});
  } catch (const store::StoreError& error) {
    problem_ = error.what();
    try {
      db_ = store::Database::memory();
    } catch (const store::StoreError&) {
      return;  // problem() already says why.
    }
  }
  quietly([&] { db_.exec(kSchema); });
}

void RecentHosts::remember(const std::string& address, const std::string& label, int64_t now_ms) {
  quietly([&] {
    store::Statement(
        db_,
        "INSERT INTO recent_hosts(address, label, last_used_ms) VALUES(?1, ?2, ?3) "
        "ON CONFLICT(address) DO UPDATE SET label = excluded.label, last_used_ms = excluded.last_used_ms")
        .bind(1, address)
        .bind(2, label)
        .bind(3, now_ms)
        .run();
    store::Statement(db_,
                     "DELETE FROM recent_hosts WHERE address NOT IN "
                     "(SELECT address FROM recent_hosts ORDER BY last_used_ms DESC LIMIT ?1)")
        .bind(1, static_cast<int64_t>(kKeep))
        .run();
  });
}

void RecentHosts::forget(const std::string& address) {
  quietly(
      [&] { store::Statement(db_, "DELETE FROM recent_hosts WHERE address = ?1").bind(1, address).run(); });
}

std::vector<RecentHost> RecentHosts::list() const {
  std::vector<RecentHost> out;
  quietly([&] {
    store::Statement get(
        db_, "SELECT address, label, last_used_ms FROM recent_hosts ORDER BY last_used_ms DESC LIMIT ?1");
    get.bind(1, static_cast<int64_t>(kKeep));
    while (get.step()) out.push_back(RecentHost{get.text(0), get.text(1), get.integer(2)});
  });
  return out;
}

}  // namespace attune::discovery
