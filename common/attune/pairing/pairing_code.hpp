// The short code a host shows and a joiner types: six digits (just under
// 20 bits; 1,000,000 values), drawn uniformly from caller-supplied random
// bytes by rejection sampling, so no code is likelier than another.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace attune::pairing {

inline constexpr std::size_t kCodeDigits = 6;
// Enough randomness that running out (every 20-bit draw >= 10^6) has odds
// below 1e-16; make_code then returns nullopt and the caller draws again.
inline constexpr std::size_t kCodeRandomBytes = 32;

// A code from kCodeRandomBytes random bytes, or nullopt in the (negligible)
// case that every draw was rejected.
std::optional<std::string> make_code(std::span<const std::uint8_t, kCodeRandomBytes> random);

// What the person typed, reduced to the six digits ("123 456", "123-456" and
// "123456" are the same code). nullopt if it is not six digits.
std::optional<std::string> normalize_code(std::string_view typed);

// The code as shown on screen: "123 456".
std::string display_code(std::string_view code);

}  // namespace attune::pairing
