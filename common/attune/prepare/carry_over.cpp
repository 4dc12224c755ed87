#include "attune/prepare/carry_over.hpp"

namespace attune::prepare {

std::string said_in_quick_repair(const State& state, v1::Role me) {
  const v1::QuickRepair& q = state.quick();
  if (!q.escalated()) return {};
  if (me != v1::ROLE_PARTNER_A && me != v1::ROLE_PARTNER_B) return {};
  return me == state.settings().repairer() ? q.own_text() : q.other_text();
}

std::optional<Part> part_asked_of(const State& state, v1::Role me) {
  if (state.phase() != v1::PHASE_ACTIVE || !awaits_from(state, me)) return std::nullopt;
  return part_for_step(state.step());
}

std::string offer_moment(const State& state) {
  return std::to_string(state.phase()) + ":" + std::to_string(state.step()) + ":" + std::to_string(state.rounds_size()) + ":" +
         std::to_string(state.floor());
}

}  // namespace attune::prepare
