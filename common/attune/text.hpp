// Small text checks for anything a person types.
#pragma once

#include <string_view>

namespace attune {

// True when `text` is well-formed UTF-8 (protobuf strings must be).
bool is_valid_utf8(std::string_view text);

// `text` without leading and trailing ASCII white space.
std::string_view trim(std::string_view text);

// True when `text` holds an ASCII control character other than tab/newline.
bool has_control_chars(std::string_view text);

}  // namespace attune
