#include "attune/engine.hpp"
namespace attune {
v1::Settings default_settings() { v1::Settings s; s.set_threshold(3); s.set_min_pause_seconds(120); s.set_long_break_seconds(1200); s.set_long_break_at_level(7); return s; }
}
