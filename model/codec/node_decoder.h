// Decoder for core/v1 Node objects, e.g. from `kubectl get nodes -o yaml`.
// Unlike other kinds, a Node's status is read: capacity, allocatable and the
// Ready condition. Thread-safety: pure function over the field it is given.
#pragma once

#include "model/codec/yaml_field.h"
#include "model/node.h"

namespace adze::codec {

// A node without a Ready condition is taken as ready; with one, ready iff its
// status is "True".
model::Node DecodeNode(const YamlField& object);

}  // namespace adze::codec
