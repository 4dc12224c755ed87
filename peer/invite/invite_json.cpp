#include "invite/invite_json.hpp"

#include "journal/local_time.hpp"

namespace attune::invite {

nlohmann::json time_json(int64_t utc_ms) {
  return {{"utc", journal::utc_iso(utc_ms)}, {"utc_ms", utc_ms}, {"local", journal::local_date_time(utc_ms)}};
}

nlohmann::json invitation_json(const Invitation& inv) {
  nlohmann::json offers = nlohmann::json::array();
  for (const int64_t at : inv.offers_utc_ms) offers.push_back(time_json(at));
  nlohmann::json j = {{"id", inv.id},
                      {"side", std::string(side_name(inv.side))},
                      {"partner_device_id", inv.partner_device_id},
                      {"partner_name", inv.partner_name},
                      {"day", inv.day},
                      {"sentence", invitation_sentence(inv.day)},
                      {"offers", offers},
                      {"offers_now", inv.offers_now},
                      {"words", inv.words},
                      {"status", std::string(status_name(inv.status))}};
  if (inv.proposed_utc_ms) j["proposed"] = time_json(*inv.proposed_utc_ms);
  if (inv.agreed_utc_ms) j["agreed"] = time_json(*inv.agreed_utc_ms);
  return j;
}

nlohmann::json agreed_event(const Appointment& a) {
  nlohmann::json j = {{"event", "invitation_agreed"},
                      {"id", a.id},
                      {"partner_device_id", a.partner_device_id},
                      {"partner_name", a.partner_name}};
  j["at"] = time_json(a.at_utc_ms);
  return j;
}

}  // namespace attune::invite
