// A controller that reaches into the simulator: check-layers.py must refuse it.
#pragma once
#include "sim/simulation.h"
