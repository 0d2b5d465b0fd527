#include "model/codec/core_decoders.h"

#include <optional>
#include <string>
#include <vector>

#include "model/labels.h"
#include "model/object_names.h"
#include "model/timestamp.h"

namespace adze::codec {
namespace {

model::OwnerReference DecodeOwnerReference(const YamlField& ref) {
  ref.CheckFields({"apiVersion", "kind", "name", "uid", "controller", "blockOwnerDeletion"});
  return model::OwnerReference{
      .kind = ref["kind"].String(),
      .name = ref["name"].String(),
      .controller = ref["controller"].BoolOr(false),
  };
}

// Label keys follow Kubernetes' qualified-name syntax (model/object_names.h).
void CheckLabelKey(const YamlField& where, std::string_view key) {
  if (key.empty()) where.Fail("label key must not be empty");
  std::string error = model::QualifiedNameError(key);
  if (!error.empty()) where.Fail("invalid label key \"" + std::string(key) + "\": " + error);
}

// Label values too (model/object_names.h); the API server refuses a Pod whose
// label or nodeSelector value has a space or a slash.
std::string CheckedLabelValue(const YamlField& value) {
  std::string text = value.StringOr("");
  std::string error = model::LabelValueError(text);
  if (!error.empty()) value.Fail("invalid label value \"" + text + "\": " + error);
  return text;
}

}  // namespace

model::ObjectMeta DecodeObjectMeta(const YamlField& metadata, MetaScope scope) {
  metadata.CheckFields(
      {"name", "generateName", "namespace", "uid", "labels", "annotations", "ownerReferences",
       "creationTimestamp", "deletionTimestamp"},
      {"resourceVersion", "managedFields", "generation", "selfLink", "finalizers",
       "deletionGracePeriodSeconds"});
  model::ObjectMeta meta;
  if (scope == MetaScope::kTemplate) {
    meta.name = metadata["name"].StringOr("");
  } else if (metadata["name"].present() || !metadata["generateName"].present()) {
    meta.name = metadata["name"].String();
    if (meta.name.empty()) metadata["name"].Fail("name must not be empty");
    std::string error = model::DnsSubdomainError(meta.name);
    if (!error.empty()) metadata["name"].Fail("invalid name \"" + meta.name + "\": " + error);
  } else {
    // A generateName-only manifest (`kubectl create`) names itself by prefix.
    meta.name = metadata["generateName"].String();
  }
  if (scope == MetaScope::kNamespaced) {
    meta.namespace_ = metadata["namespace"].StringOr("default");
    std::string error = model::DnsLabelError(meta.namespace_);
    if (!error.empty()) metadata["namespace"].Fail("invalid namespace \"" + meta.namespace_ + "\": " + error);
  }
  if (scope == MetaScope::kTemplate) meta.namespace_ = metadata["namespace"].StringOr("");
  meta.uid = metadata["uid"].StringOr("");
  for (const auto& [key, value] : metadata["labels"].Entries()) {
    CheckLabelKey(value, key);
    meta.labels[key] = CheckedLabelValue(value);
  }
  meta.annotations = metadata["annotations"].StringMap();
  std::optional<model::OwnerReference> first;
  for (const YamlField& ref : metadata["ownerReferences"].Items()) {
    model::OwnerReference owner = DecodeOwnerReference(ref);
    if (owner.controller && !meta.owner) meta.owner = owner;
    if (!first) first = owner;
  }
  if (!meta.owner) meta.owner = first;
  // creationTimestamp orders pods of equal size in the provisioning queue
  // (spec §2.4); adze never compares it with a clock of its own.
  if (std::optional<std::string> created = metadata["creationTimestamp"].OptString()) {
    auto t = model::ParseTimestamp(*created);
    if (!t.ok()) metadata["creationTimestamp"].Fail(t.error().message);
    meta.creation_time = *t;
  }
  meta.deleting = metadata["deletionTimestamp"].present();
  return meta;
}

model::LabelSelector DecodeLabelSelector(const YamlField& selector) {
  selector.CheckFields({"matchLabels", "matchExpressions"});
  model::LabelSelector out;
  for (const auto& [key, value] : selector["matchLabels"].Entries()) {
    CheckLabelKey(value, key);
    out.match_labels[key] = CheckedLabelValue(value);
  }
  for (const YamlField& expr : selector["matchExpressions"].Items()) {
    expr.CheckFields({"key", "operator", "values"});
    model::LabelSelectorRequirement req;
    req.key = expr["key"].String();
    CheckLabelKey(expr["key"], req.key);
    std::string op = expr["operator"].Keyword({"In", "NotIn", "Exists", "DoesNotExist"});
    req.values = expr["values"].StringList();
    if (op == "In" || op == "NotIn") {
      req.op = op == "In" ? model::LabelSelectorRequirement::Op::kIn : model::LabelSelectorRequirement::Op::kNotIn;
      if (req.values.empty()) expr["values"].Fail("operator " + op + " requires at least one value");
    } else {
      req.op = op == "Exists" ? model::LabelSelectorRequirement::Op::kExists
                              : model::LabelSelectorRequirement::Op::kDoesNotExist;
      if (!req.values.empty()) expr["values"].Fail("operator " + op + " takes no values");
    }
    out.match_expressions.push_back(std::move(req));
  }
  return out;
}

model::Taint DecodeTaint(const YamlField& taint) {
  taint.CheckFields({"key", "value", "effect"}, {"timeAdded"});
  model::Taint out;
  out.key = taint["key"].String();
  if (out.key.empty()) taint["key"].Fail("taint key must not be empty");
  out.value = taint["value"].StringOr("");
  out.effect = *model::ParseTaintEffect(taint["effect"].Keyword({"NoSchedule", "PreferNoSchedule", "NoExecute"}));
  return out;
}

model::Toleration DecodeToleration(const YamlField& toleration) {
  toleration.CheckFields({"key", "operator", "value", "effect", "tolerationSeconds"});
  model::Toleration out;
  out.key = toleration["key"].StringOr("");
  std::string op = toleration["operator"].OptKeyword({"Equal", "Exists"}).value_or("Equal");
  out.op = op == "Exists" ? model::Toleration::Op::kExists : model::Toleration::Op::kEqual;
  out.value = toleration["value"].StringOr("");
  // Same rules as the API server's validation of tolerations.
  if (out.key.empty() && out.op != model::Toleration::Op::kExists) {
    toleration["operator"].Fail("operator must be Exists when key is empty");
  }
  if (out.op == model::Toleration::Op::kExists && !out.value.empty()) {
    toleration["value"].Fail("value must be empty when operator is Exists");
  }
  // An empty effect, like an absent one, matches every effect.
  if (toleration["effect"].StringOr("") != "") {
    out.effect = model::ParseTaintEffect(toleration["effect"].Keyword({"NoSchedule", "PreferNoSchedule", "NoExecute"}));
  }
  out.toleration_seconds = toleration["tolerationSeconds"].OptInt();
  if (out.toleration_seconds && out.effect != model::TaintEffect::kNoExecute) {
    toleration["tolerationSeconds"].Fail("tolerationSeconds requires effect NoExecute");
  }
  return out;
}

std::optional<IntOrPercent> DecodeIntOrPercent(const YamlField& f) {
  if (!f.present()) return std::nullopt;
  std::string text = f.String();
  bool percent = text.ends_with('%');
  std::string number = percent ? text.substr(0, text.size() - 1) : text;
  // Digits only (no sign): counts and percentages are never negative.
  bool digits = !number.empty() && number.size() <= 9 && number.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || (percent && std::stoi(number) > 100)) {
    f.FailExpected("a non-negative integer or a percentage from 0% to 100%");
  }
  return IntOrPercent{std::stoi(number), percent};
}

model::Requirement DecodeRequirement(const YamlField& requirement, RequirementSchema schema) {
  const bool pool = schema == RequirementSchema::kNodePool;
  if (pool) {
    requirement.CheckFields({"key", "operator", "values", "minValues"});
  } else {
    requirement.CheckFields({"key", "operator", "values"});
  }
  YamlField key_field = requirement["key"];
  std::string key(model::NormalizeLabelKey(key_field.String()));
  CheckLabelKey(key_field, key);
  if (pool) {
    if (std::optional<std::string> reason = model::RestrictedLabelReason(key)) key_field.Fail(*reason);
  }

  YamlField op_field = requirement["operator"];
  std::string op_name = pool ? op_field.Keyword({"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "Gte", "Lte"})
                             : op_field.Keyword({"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"});
  model::Operator op = *model::ParseOperator(op_name);

  YamlField values_field = requirement["values"];
  std::vector<YamlField> items = values_field.Items();
  std::vector<std::string> values;
  switch (op) {
    case model::Operator::kIn:
    case model::Operator::kNotIn:
      for (const YamlField& v : items) values.push_back(v.String());
      if (values.empty() && (op == model::Operator::kIn || !pool)) {
        values_field.Fail("operator " + op_name + " requires at least one value");
      }
      break;
    case model::Operator::kExists:
    case model::Operator::kDoesNotExist:
      if (!items.empty()) {
        values_field.Fail("operator " + op_name + " takes no values, found " + std::to_string(items.size()));
      }
      break;
    case model::Operator::kGt:
    case model::Operator::kLt:
    case model::Operator::kGte:
    case model::Operator::kLte:
      if (items.size() != 1) {
        values_field.Fail("operator " + op_name + " requires exactly one value, found " +
                          std::to_string(items.size()));
      }
      // Karpenter admits only non-negative bounds; Kubernetes any int64.
      values.push_back(std::to_string(pool ? items[0].Int(0) : items[0].Int()));
      break;
  }

  std::optional<int> min_values;
  if (pool) {
    YamlField mv = requirement["minValues"];
    min_values = mv.OptInt32(1, 50);
    if (min_values && op == model::Operator::kIn && *min_values > static_cast<int>(values.size())) {
      mv.Fail("minValues " + std::to_string(*min_values) + " is more than the " + std::to_string(values.size()) +
              " value(s) of operator In");
    }
  }
  return model::Requirement(std::move(key), op, std::move(values), min_values);
}

model::Requirements DecodeNodeSelectorTerm(const YamlField& term) {
  term.CheckFields({"matchExpressions", "matchFields"});
  YamlField match_fields = term["matchFields"];
  if (!match_fields.Items().empty()) match_fields.Fail("matchFields is not supported");
  model::Requirements out;
  for (const YamlField& expr : term["matchExpressions"].Items()) {
    model::Requirement r = DecodeRequirement(expr, RequirementSchema::kNodeSelector);
    // Two expressions on one key that no value satisfies: no node matches the term.
    if (const model::Requirement* before = out.Find(r.key()); before && !before->Intersects(r)) {
      expr.Warn("the term asks for two incompatible things: " + before->ToString() + " and " + r.ToString() +
                " (no node matches this term)");
    }
    out.Add(r);
  }
  return out;
}

std::vector<model::Requirements> DecodeNodeSelector(const YamlField& selector) {
  selector.CheckFields({"nodeSelectorTerms"});
  std::vector<model::Requirements> out;
  if (!selector.present()) return out;
  std::vector<YamlField> terms = selector["nodeSelectorTerms"].Items();
  if (terms.empty()) selector["nodeSelectorTerms"].Fail("at least one node selector term is required");
  for (const YamlField& term : terms) out.push_back(DecodeNodeSelectorTerm(term));
  return out;
}

}  // namespace adze::codec
