#include "ports/random_stream.h"

#include <cmath>
#include <numbers>

#include "model/check.h"

namespace adze::ports {
namespace {

uint64_t SplitMix64(uint64_t& x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

uint64_t StreamSeed(uint64_t seed, std::string_view name) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : name) {
    h ^= c;
    h *= 0x100000001B3ULL;
  }
  uint64_t mixed = seed ^ Rotl(h, 17);
  return SplitMix64(mixed) ^ h;
}

RandomStream::RandomStream(uint64_t seed, std::string_view name) {
  uint64_t x = StreamSeed(seed, name);
  for (auto& s : state_) s = SplitMix64(x);
}

uint64_t RandomStream::NextU64() {
  const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
  const uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = Rotl(state_[3], 45);
  return result;
}

double RandomStream::Uniform() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }

uint64_t RandomStream::Below(uint64_t n) {
  ADZE_CHECK(n > 0);
  // Lemire's nearly divisionless method, with rejection for exactness.
  for (;;) {
    const unsigned __int128 m = static_cast<unsigned __int128>(NextU64()) * n;
    const uint64_t low = static_cast<uint64_t>(m);
    if (low >= n || low >= (-n) % n) return static_cast<uint64_t>(m >> 64);
  }
}

double RandomStream::Exponential(double rate) {
  ADZE_CHECK(rate > 0);
  return -std::log1p(-Uniform()) / rate;
}

double RandomStream::Normal() {
  const double u1 = 1.0 - Uniform();  // (0, 1]
  const double u2 = Uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double RandomStream::LogNormal(double mu, double sigma) { return std::exp(mu + sigma * Normal()); }

uint64_t RandomStream::Poisson(double mean) {
  if (mean <= 0) return 0;
  if (mean > 64) {
    const double x = std::round(mean + std::sqrt(mean) * Normal());
    return x < 0 ? 0 : static_cast<uint64_t>(x);
  }
  const double limit = std::exp(-mean);
  uint64_t k = 0;
  double p = Uniform();
  while (p > limit) {
    ++k;
    p *= Uniform();
  }
  return k;
}

}  // namespace adze::ports
