#include "model/ec2nodeclass.h"

namespace adze::model {

std::string_view AmiFamilyName(AmiFamily f) {
  switch (f) {
    case AmiFamily::kAL2: return "AL2";
    case AmiFamily::kAL2023: return "AL2023";
    case AmiFamily::kBottlerocket: return "Bottlerocket";
    case AmiFamily::kCustom: return "Custom";
    case AmiFamily::kWindows2019: return "Windows2019";
    case AmiFamily::kWindows2022: return "Windows2022";
    case AmiFamily::kWindows2025: return "Windows2025";
  }
  return "?";
}

std::optional<AmiFamily> ParseAmiFamily(std::string_view s) {
  if (s == "AL2") return AmiFamily::kAL2;
  if (s == "AL2023") return AmiFamily::kAL2023;
  if (s == "Bottlerocket") return AmiFamily::kBottlerocket;
  if (s == "Custom") return AmiFamily::kCustom;
  if (s == "Windows2019") return AmiFamily::kWindows2019;
  if (s == "Windows2022") return AmiFamily::kWindows2022;
  if (s == "Windows2025") return AmiFamily::kWindows2025;
  return std::nullopt;
}

AmiFamily EC2NodeClass::EffectiveAmiFamily() const {
  if (ami_family) return *ami_family;
  for (const SelectorTerm& t : ami_selector_terms) {
    if (t.alias.empty()) continue;
    std::string_view fam = std::string_view(t.alias).substr(0, t.alias.find('@'));
    if (fam == "al2") return AmiFamily::kAL2;
    if (fam == "al2023") return AmiFamily::kAL2023;
    if (fam == "bottlerocket") return AmiFamily::kBottlerocket;
    if (fam == "windows2019") return AmiFamily::kWindows2019;
    if (fam == "windows2022") return AmiFamily::kWindows2022;
    if (fam == "windows2025") return AmiFamily::kWindows2025;
  }
  return AmiFamily::kAL2023;
}

}  // namespace adze::model
