// Invariant checks. A broken invariant is a bug, not an input error: it aborts
// with the location. ADZE_CHECK is always on; ADZE_DCHECK only in debug builds.
#pragma once

#include <cstdio>
#include <cstdlib>

#define ADZE_CHECK(cond)                                                        \
  do {                                                                          \
    if (!(cond)) {                                                              \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                             \
    }                                                                           \
  } while (0)

#ifdef NDEBUG
#define ADZE_DCHECK(cond) \
  do {                    \
  } while (0)
#else
#define ADZE_DCHECK(cond) ADZE_CHECK(cond)
#endif
