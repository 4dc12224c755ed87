// Repair invitations on this device: invitations.db in the data folder,
// mode 0600 before SQLite ever opens it, every commit synced (WAL,
// synchronous=FULL). It holds the invitations (sent and received), the
// letters still waiting for the partner's acknowledgement, and the id of
// every letter already taken in, which is what makes delivery exactly once
// (common/attune/invite/ledger.hpp). One-shot commands (`attune invite send`)
// and the running postbox may use the file at the same time; every change is
// one IMMEDIATE transaction.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attune/invite/invitation.hpp"
#include "attune/invite/ledger.hpp"
#include "store/sqlite.hpp"

namespace attune::invite {

std::filesystem::path invite_file(const std::filesystem::path& data_dir);

struct WaitingLetter {
  std::string letter_id;
  std::string partner_device_id;
  std::string bytes;  // A serialized v1::InviteLetter.
};

class InviteStore {
 public:
  // Opens (creating) data_dir's invitations.db; nullptr, with plain words in
  // *error, when it can't (nothing is changed then).
  static std::unique_ptr<InviteStore> open(const std::filesystem::path& data_dir, std::string* error);

  // Keeps `invitation` (new, or changed by this device's own answer) and the
  // letter that carries it to the partner, in one transaction. Throws
  // store::StoreError (nothing kept) when the disk refuses.
  void keep_with_letter(const Invitation& invitation, const WaitingLetter& letter);

  // What a letter's effect decided: the invitation to keep (nullopt:
  // nothing), or the words it was turned away with (INVITE.md section 4).
  struct Judgement {
    Judgement(std::optional<Invitation> kept = std::nullopt) : keep(std::move(kept)) {}  // NOLINT: implicit.
    static Judgement refused(std::string words);
    std::optional<Invitation> keep;
    std::optional<std::string> refusal;
  };
  struct TakenIn {
    Arrival arrival = Arrival::Fresh;
    // The words this letter was turned away with, now or when it first came
    // (nullopt: it was kept, or it came before refusals were stored).
    std::optional<std::string> refusal;
  };
  // A letter from the partner, in one transaction: if its id was taken in
  // before, returns AlreadyHad, with the refusal stored for it if it was
  // turned away, and changes nothing. Otherwise `effect` gets the invitation
  // it concerns (nullopt if none here) and judges it; what it keeps is
  // written, and the id is remembered with the refusal, if any. Returns Fresh.
  using Effect = std::function<Judgement(const std::optional<Invitation>& current)>;
  TakenIn take_in(const std::string& letter_id, const std::string& invitation_id, const Effect& effect);

  // The partner acknowledged the letter: it no longer waits.
  void acknowledged(const std::string& letter_id);

  std::vector<WaitingLetter> waiting_letters();
  // Oldest first.
  std::vector<std::string> taken_ids();
  // Received invitations from that partner still waiting for this person's answer.
  std::size_t unanswered_received(const std::string& partner_device_id);
  // take_in remembers at most this many letter ids, forgetting the oldest
  // (kMaxTakenLetters; tests lower it).
  void limit_taken(std::size_t ids) { taken_cap_ = ids; }

  std::optional<Invitation> find(const std::string& id);
  // Newest first.
  std::vector<Invitation> list();
  // Every agreed time, soonest first: what the reminder needs.
  std::vector<Appointment> agreed_appointments();

  // The partner's address to dial ("host:port"), as last given; "" if none.
  std::string partner_address(const std::string& device_id);
  void remember_partner_address(const std::string& device_id, const std::string& address);

 private:
  explicit InviteStore(store::Database db) : db_(std::move(db)) {}
  // A file from before refusals were stored gets their column (its rows: kept).
  void add_refusal_column();
  void write_invitation(const Invitation& invitation);

  store::Database db_;
  std::size_t taken_cap_ = kMaxTakenLetters;
};

}  // namespace attune::invite
