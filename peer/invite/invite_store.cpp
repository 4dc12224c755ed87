#include "invite/invite_store.hpp"

#include <nlohmann/json.hpp>

#include "store/private_database.hpp"

namespace attune::invite {

namespace {

constexpr int kSchema = 1;
// "ATIV": tells our invitations apart from any other SQLite file.
constexpr int kApplicationId = 0x41544956;

constexpr const char* kTables = R"sql(
CREATE TABLE IF NOT EXISTS invitations (
  id             TEXT PRIMARY KEY,
  side           INTEGER NOT NULL,
  partner_device TEXT NOT NULL,
  partner_name   TEXT NOT NULL,
  day            TEXT NOT NULL,
  offers         TEXT NOT NULL,
  offers_now     INTEGER NOT NULL,
  words          TEXT NOT NULL,
  created_ms     INTEGER NOT NULL,
  status         INTEGER NOT NULL,
  proposed_ms    INTEGER,
  agreed_ms      INTEGER,
  updated_ms     INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS waiting_letters (
  letter_id      TEXT PRIMARY KEY,
  partner_device TEXT NOT NULL,
  bytes          BLOB NOT NULL,
  seq            INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS taken_letters (letter_id TEXT PRIMARY KEY, refusal TEXT);
CREATE TABLE IF NOT EXISTS partner_addresses (device TEXT PRIMARY KEY, address TEXT NOT NULL);)sql";

constexpr const char* kColumns =
    "id, side, partner_device, partner_name, day, offers, offers_now, words, created_ms, status, "
    "proposed_ms, "
    "agreed_ms, updated_ms";

Status status_from(int64_t v) {
  switch (v) {
    case 1:
      return Status::Countered;
    case 2:
      return Status::Agreed;
    case 3:
      return Status::NotYet;
    default:
      return Status::Waiting;
  }
}

int64_t status_number(Status s) {
  switch (s) {
    case Status::Waiting:
      return 0;
    case Status::Countered:
      return 1;
    case Status::Agreed:
      return 2;
    case Status::NotYet:
      return 3;
  }
  return 0;
}

Invitation read_row(const store::Statement& st) {
  Invitation inv;
  inv.id = st.text(0);
  inv.side = st.integer(1) == 1 ? Side::Received : Side::Sent;
  inv.partner_device_id = st.text(2);
  inv.partner_name = st.text(3);
  inv.day = st.text(4);
  const auto offers = nlohmann::json::parse(st.text(5), nullptr, /*allow_exceptions=*/false);
  if (offers.is_array())
    for (const auto& o : offers)
      if (o.is_number_integer()) inv.offers_utc_ms.push_back(o.get<int64_t>());
  inv.offers_now = st.integer(6) != 0;
  inv.words = st.text(7);
  inv.created_utc_ms = st.integer(8);
  inv.status = status_from(st.integer(9));
  if (!st.is_null(10)) inv.proposed_utc_ms = st.integer(10);
  if (!st.is_null(11)) inv.agreed_utc_ms = st.integer(11);
  inv.updated_utc_ms = st.integer(12);
  return inv;
}

}  // namespace

std::filesystem::path invite_file(const std::filesystem::path& data_dir) {
  return data_dir / "invitations.db";
}

std::unique_ptr<InviteStore> InviteStore::open(const std::filesystem::path& data_dir, std::string* error) {
  const store::PrivateFileKind kind{kApplicationId,          kSchema, kTables, "Your invitations",
                                    "a file of invitations", ""};
  auto db = store::open_private_database(invite_file(data_dir), kind, error);
  if (!db) return nullptr;
  std::unique_ptr<InviteStore> store(new InviteStore(std::move(*db)));
  try {
    store->add_refusal_column();
  } catch (const store::SqliteError& e) {
    if (error) *error = std::string("Your invitations couldn't be opened: ") + e.what();
    return nullptr;
  }
  return store;
}

void InviteStore::add_refusal_column() {
  if (db_.has_column("taken_letters", "refusal")) return;
  // NULL in every row there: each of those letters was kept (or came before
  // a refusal was remembered with its id, and is answered as before).
  db_.exec("ALTER TABLE taken_letters ADD COLUMN refusal TEXT");
}

InviteStore::Judgement InviteStore::Judgement::refused(std::string words) {
  Judgement judgement;
  judgement.refusal = std::move(words);
  return judgement;
}

void InviteStore::write_invitation(const Invitation& inv) {
  store::Statement st(db_, (std::string("INSERT OR REPLACE INTO invitations (") + kColumns +
                            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)")
                               .c_str());
  st.bind(1, inv.id).bind(2, int64_t{inv.side == Side::Received ? 1 : 0}).bind(3, inv.partner_device_id);
  st.bind(4, inv.partner_name).bind(5, inv.day).bind(6, nlohmann::json(inv.offers_utc_ms).dump());
  st.bind(7, int64_t{inv.offers_now ? 1 : 0}).bind(8, inv.words).bind(9, inv.created_utc_ms);
  st.bind(10, status_number(inv.status));
  if (inv.proposed_utc_ms)
    st.bind(11, *inv.proposed_utc_ms);
  else
    st.bind_null(11);
  if (inv.agreed_utc_ms)
    st.bind(12, *inv.agreed_utc_ms);
  else
    st.bind_null(12);
  st.bind(13, inv.updated_utc_ms);
  st.run();
}

void InviteStore::keep_with_letter(const Invitation& invitation, const WaitingLetter& letter) {
  store::Transaction tx(db_);
  write_invitation(invitation);
  store::Statement st(db_,
                      "INSERT OR REPLACE INTO waiting_letters (letter_id, partner_device, bytes, seq) VALUES "
                      "(?1, ?2, ?3, (SELECT COALESCE(MAX(seq), 0) + 1 FROM waiting_letters))");
  st.bind(1, letter.letter_id).bind(2, letter.partner_device_id).bind_blob(3, letter.bytes);
  st.run();
  tx.commit();
}

InviteStore::TakenIn InviteStore::take_in(const std::string& letter_id, const std::string& invitation_id,
                                          const Effect& effect) {
  store::Transaction tx(db_);
  store::Statement seen(db_, "SELECT refusal FROM taken_letters WHERE letter_id = ?1");
  seen.bind(1, letter_id);
  if (seen.step()) {
    if (seen.is_null(0)) return {Arrival::AlreadyHad, std::nullopt};
    return {Arrival::AlreadyHad, seen.text(0)};
  }
  std::optional<Invitation> current;
  {
    store::Statement st(db_, (std::string("SELECT ") + kColumns + " FROM invitations WHERE id = ?1").c_str());
    st.bind(1, invitation_id);
    if (st.step()) current = read_row(st);
  }
  const Judgement judged = effect(current);
  if (judged.keep) write_invitation(*judged.keep);
  store::Statement mark(db_, "INSERT INTO taken_letters (letter_id, refusal) VALUES (?1, ?2)");
  mark.bind(1, letter_id);
  if (judged.refusal)
    mark.bind(2, *judged.refusal);
  else
    mark.bind_null(2);
  mark.run();
  // Bounded (INVITE.md section 3): the oldest ids go, in the same transaction.
  store::Statement forget(db_,
                          "DELETE FROM taken_letters WHERE rowid NOT IN "
                          "(SELECT rowid FROM taken_letters ORDER BY rowid DESC LIMIT ?1)");
  forget.bind(1, static_cast<int64_t>(taken_cap_));
  forget.run();
  tx.commit();
  return {Arrival::Fresh, judged.refusal};
}

void InviteStore::acknowledged(const std::string& letter_id) {
  store::Statement st(db_, "DELETE FROM waiting_letters WHERE letter_id = ?1");
  st.bind(1, letter_id);
  st.run();
}

std::vector<WaitingLetter> InviteStore::waiting_letters() {
  std::vector<WaitingLetter> out;
  store::Statement st(db_, "SELECT letter_id, partner_device, bytes FROM waiting_letters ORDER BY seq");
  while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2)});
  return out;
}

std::vector<std::string> InviteStore::taken_ids() {
  std::vector<std::string> out;
  store::Statement st(db_, "SELECT letter_id FROM taken_letters ORDER BY rowid");
  while (st.step()) out.push_back(st.text(0));
  return out;
}

std::size_t InviteStore::unanswered_received(const std::string& partner_device_id) {
  store::Statement st(
      db_, "SELECT COUNT(*) FROM invitations WHERE side = 1 AND status = 0 AND partner_device = ?1");
  st.bind(1, partner_device_id);
  return st.step() ? static_cast<std::size_t>(st.integer(0)) : 0;
}

std::optional<Invitation> InviteStore::find(const std::string& id) {
  store::Statement st(db_, (std::string("SELECT ") + kColumns + " FROM invitations WHERE id = ?1").c_str());
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_row(st);
}

std::vector<Invitation> InviteStore::list() {
  std::vector<Invitation> out;
  store::Statement st(
      db_, (std::string("SELECT ") + kColumns + " FROM invitations ORDER BY created_ms DESC, id").c_str());
  while (st.step()) out.push_back(read_row(st));
  return out;
}

std::vector<Appointment> InviteStore::agreed_appointments() { return invite::agreed_appointments(list()); }

std::string InviteStore::partner_address(const std::string& device_id) {
  store::Statement st(db_, "SELECT address FROM partner_addresses WHERE device = ?1");
  st.bind(1, device_id);
  return st.step() ? st.text(0) : std::string();
}

void InviteStore::remember_partner_address(const std::string& device_id, const std::string& address) {
  store::Statement st(db_, "INSERT OR REPLACE INTO partner_addresses (device, address) VALUES (?1, ?2)");
  st.bind(1, device_id).bind(2, address);
  st.run();
}

}  // namespace attune::invite
