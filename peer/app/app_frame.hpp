// One whole frame for one device: the status bar, then the screen the view
// model picks. Used by the window app and by the screenshot test.
#pragma once

#include "app/frame_context.hpp"
#include "app/ui_state.hpp"
#include "node_api.hpp"

namespace attune::app {

void draw_app(const NodeView& snap, UiState& ui, const FrameContext& ctx);

}  // namespace attune::app
