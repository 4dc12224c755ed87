#include "attune/prepare/carry_over.hpp"

namespace attune::prepare {

std::string said_in_quick_repair(const State& state, v1::Role me) {
  const v1::QuickRepair& q = state.quick();
  if (!q.escalated()) return {};
  if (me != v1::ROLE_PARTNER_A && me != v1::ROLE_PARTNER_B) return {};
  return me == state.settings().repairer() ? q.own_text() : q.other_text();
}

}  // namespace attune::prepare
