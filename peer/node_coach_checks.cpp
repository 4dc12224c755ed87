// A joining partner and the coach's check number (issue 15): what the
// window and the headless door show for each coach key the host names, the
// person's "they match" or "they don't", and the matches kept across
// sessions (identity/coach_pins.hpp). The sealing itself checks the same
// CoachKeyWatch (net::Joiner::send_level), so nothing is sealed to a key
// the person has not matched.
#include <spdlog/spdlog.h>

#include "attune/crypto/check_number.hpp"
#include "coach_check_words.hpp"
#include "identity/coach_pins.hpp"
#include "node.hpp"
#include "wall_clock.hpp"

namespace attune {

namespace {

bool same(const crypto::CoachCheck& a, const crypto::CoachCheck& b) {
  return a.coach_id == b.coach_id && a.key == b.key && a.trust == b.trust && a.before == b.before;
}

}  // namespace

bool coach_check_asks(crypto::CoachTrust trust) {
  return trust == crypto::CoachTrust::Unchecked || trust == crypto::CoachTrust::Declined ||
         trust == crypto::CoachTrust::Changed;
}

std::string coach_trust_name(crypto::CoachTrust trust) {
  switch (trust) {
    case crypto::CoachTrust::Unchecked: return "unchecked";
    case crypto::CoachTrust::Matched: return "matched";
    case crypto::CoachTrust::Declined: return "declined";
    case crypto::CoachTrust::Changed: return "changed";
    case crypto::CoachTrust::Proven: return "proven";
    case crypto::CoachTrust::Refused: return "refused";
  }
  return "unchecked";
}

std::string coach_check_words(const crypto::CoachCheck& check, const std::string& name) {
  const std::string who = name.empty() ? "the coach" : name;
  switch (check.trust) {
    case crypto::CoachTrust::Unchecked:
      return "Before you share, ask " + who + " to read out the check number on their screen, and compare it "
             "with this one. If they match, your numbers go to " + who + "'s device and nowhere else.";
    case crypto::CoachTrust::Matched:
      return "The numbers match, so this is " + who + "'s device. If you share, your numbers go to it and "
             "nowhere else. This device remembers it for next time.";
    case crypto::CoachTrust::Declined:
      return "Thanks for checking. Your numbers won't go to this device, and nothing of yours was sent to it. "
             "It may be a simple mix-up, such as another screen; you can compare again together.";
    case crypto::CoachTrust::Changed:
      return "This isn't the number you compared with " + who + " before (" + check.before +
             "), so your numbers won't go to this device. If " + who + " set their device up again, compare "
             "the new number together; until then your numbers stay here.";
    case crypto::CoachTrust::Proven:
      return "You paired with " + who + "'s device yourself, so there is nothing to compare.";
    case crypto::CoachTrust::Refused:
      return "This key isn't " + who + "'s own, so your numbers won't go to it. They stay on this device.";
  }
  return "";
}

void Node::load_coach_matches() {
  std::string problem;
  identity::load_coach_trust(options_.data_dir, joiner_->coach_watch(), problem);
  if (!problem.empty()) spdlog::warn("coach check numbers: {}", problem);
}

void Node::refresh_coach_checks() {
  std::vector<crypto::CoachCheck> now;
  if (joiner_ && is_partner(working_.my_role))
    now = joiner_->coach_watch().checks(crypto::coach_keys(working_.state));
  for (const auto& check : now) {
    const bool told = std::any_of(working_.coach_checks.begin(), working_.coach_checks.end(),
                                  [&](const crypto::CoachCheck& before) { return same(before, check); });
    const auto* coach = find_participant(working_.state, check.coach_id);
    if (!told && observer_.coach_check) observer_.coach_check(check, coach ? coach->display_name() : "");
  }
  working_.coach_checks = std::move(now);
}

void Node::compare_coach(const std::string& coach_id, const std::string& number, bool match) {
  asio::post(io_, [this, coach_id, number, match] { do_compare_coach(coach_id, number, match); });
}

void Node::do_compare_coach(const std::string& coach_id, const std::string& number, bool match) {
  if (!joiner_) return;
  for (const auto& named : crypto::coach_keys(working_.state)) {
    if (named.coach_id != coach_id) continue;
    // The host may have named another key since the person saw the number.
    if (crypto::check_number(named.key) != number) {
      spdlog::warn("coach {}'s check number changed while it was compared; asking again", coach_id);
      break;
    }
    if (!joiner_->coach_watch().compare(named, match)) break;
    identity::CoachPins pins(options_.data_dir);
    const auto error = match ? pins.pin(coach_id, named.key, wall_ms()) : pins.decline(coach_id, named.key);
    if (error) spdlog::warn("could not keep the coach's check number: {}", *error);
    break;
  }
  refresh_coach_checks();
  publish();
}

}  // namespace attune
