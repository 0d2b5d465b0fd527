// Writes catalog rows in the embedded CSV format (data/aws/README.md): the
// instance-types.csv columns in their documented order, and the zones CSV
// (instance_type, zone, zone_id, as_of). What Catalog::FromCsv reads back
// unchanged.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "catalog/instance_type_info.h"

namespace adze::adapters::aws {

std::string InstanceTypesCsv(const std::vector<catalog::InstanceTypeInfo>& rows);
std::string ZonesCsv(const std::vector<catalog::InstanceTypeInfo>& rows);

}  // namespace adze::adapters::aws
