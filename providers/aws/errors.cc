#include "providers/aws/errors.h"

#include <algorithm>
#include <array>
#include <string>

namespace adze::providers::aws {
namespace {

bool OneOf(std::string_view code, std::initializer_list<std::string_view> codes) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

}  // namespace

bool IsUnfulfillableCapacity(std::string_view code) {
  // Spec §3.5 (Karpenter's unfulfillableCapacityErrorCodes).
  return OneOf(code, {"InsufficientInstanceCapacity", "MaxSpotInstanceCountExceeded", "VcpuLimitExceeded",
                      "UnfulfillableCapacity", "Unsupported", "InsufficientFreeAddressesInSubnet",
                      "MaxFleetCountExceeded", "ReservationCapacityExceeded"});
}

bool IsReservationCapacityExceeded(std::string_view code) { return code == "ReservationCapacityExceeded"; }

bool IsThrottling(std::string_view code) {
  return OneOf(code, {"RequestLimitExceeded", "Throttling", "ThrottlingException", "RequestThrottled",
                      "RequestThrottledException", "TooManyRequestsException", "EC2ThrottledException"});
}

bool IsLaunchTemplateNotFound(std::string_view code) {
  return OneOf(code, {"InvalidLaunchTemplateName.NotFoundException", "InvalidLaunchTemplateId.NotFound"});
}

bool IsNotFound(std::string_view code) {
  return IsLaunchTemplateNotFound(code) ||
         OneOf(code, {"InvalidInstanceID.NotFound", "InvalidInstanceID.Malformed", "InvalidSubnetID.NotFound",
                      "InvalidGroup.NotFound", "InvalidAMIID.NotFound", "ParameterNotFound",
                      "InvalidCapacityReservationId.NotFound"});
}

Error ToError(const AwsError& e) {
  std::string message = e.code + ": " + e.message;
  const std::string_view code = e.code;
  if (IsUnfulfillableCapacity(code)) return Error::InsufficientCapacity(std::move(message));
  if (IsThrottling(code)) return Error::Throttled(std::move(message));
  if (IsNotFound(code)) return Error::NotFound(std::move(message));
  if (OneOf(code, {"UnauthorizedOperation", "AuthFailure", "AccessDenied", "AccessDeniedException",
                   "AuthFailure.ServiceLinkedRoleCreationNotPermitted", "NoCredentials",
                   "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken"})) {
    return Error::PermissionDenied(std::move(message));
  }
  if (OneOf(code, {"RequestTimeout", "RequestTimeoutException", "RequestExpired"})) {
    return Error::DeadlineExceeded(std::move(message));
  }
  if (code.starts_with("InvalidParameter") || code == "MissingParameter" || code == "ValidationError") {
    return Error::InvalidArgument(std::move(message));
  }
  if (OneOf(code, {"InternalError", "InternalFailure", "ServiceUnavailable", "Unavailable", "NetworkingError"})) {
    return Error::Unavailable(std::move(message));
  }
  if (OneOf(code, {"IdempotentParameterMismatch", "IncorrectState", "IncorrectInstanceState"})) {
    return Error::Conflict(std::move(message));
  }
  if (OneOf(code, {"InvalidLaunchTemplateName.AlreadyExistsException"})) return Error::AlreadyExists(std::move(message));
  return Error::Internal(std::move(message));
}

}  // namespace adze::providers::aws
