// RandomStream: a named, seeded source of random draws. Each component draws
// from its own stream, seeded by (run seed, stream name), so a run is
// reproducible to the bit and adding draws in one component never shifts
// another's. The generator (SplitMix64 seeding, xoshiro256**) and every
// distribution are written here rather than taken from <random>, whose
// distributions differ between standard libraries.
// Thread-safety: a stream is not thread-safe; give each thread its own.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace adze::ports {

class RandomStream {
 public:
  RandomStream(uint64_t seed, std::string_view name);

  uint64_t NextU64();
  // Uniform in [0, 1).
  double Uniform();
  // Uniform in [lo, hi).
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n);
  bool Bernoulli(double p) { return Uniform() < p; }
  // Exponential with the given rate (events per unit). REQUIRES: rate > 0.
  double Exponential(double rate);
  // Standard normal (Box-Muller, one value per call).
  double Normal();
  // exp(N(mu, sigma)).
  double LogNormal(double mu, double sigma);
  // Poisson count with the given mean (inversion for small means, normal
  // approximation above 64).
  uint64_t Poisson(double mean);

 private:
  std::array<uint64_t, 4> state_;
};

// FNV-1a of the name mixed with the seed: the stream's 64-bit seed.
uint64_t StreamSeed(uint64_t seed, std::string_view name);

}  // namespace adze::ports
