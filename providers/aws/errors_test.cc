#include "providers/aws/errors.h"

#include <gtest/gtest.h>

namespace adze::providers::aws {
namespace {

TEST(AwsErrors, IceClassCodesAreInsufficientCapacity) {
  for (const char* code : {"InsufficientInstanceCapacity", "MaxSpotInstanceCountExceeded", "VcpuLimitExceeded",
                           "UnfulfillableCapacity", "Unsupported", "InsufficientFreeAddressesInSubnet",
                           "MaxFleetCountExceeded", "ReservationCapacityExceeded"}) {
    EXPECT_TRUE(IsUnfulfillableCapacity(code)) << code;
    EXPECT_EQ(ToError(AwsError{code, "m"}).code, ErrorCode::kInsufficientCapacity) << code;
  }
  EXPECT_TRUE(IsReservationCapacityExceeded("ReservationCapacityExceeded"));
  EXPECT_FALSE(IsReservationCapacityExceeded("InsufficientInstanceCapacity"));
}

TEST(AwsErrors, OtherCodesMapOntoTheirKind) {
  EXPECT_EQ(ToError({"RequestLimitExceeded", ""}).code, ErrorCode::kThrottled);
  EXPECT_EQ(ToError({"InvalidInstanceID.NotFound", ""}).code, ErrorCode::kNotFound);
  EXPECT_TRUE(IsLaunchTemplateNotFound("InvalidLaunchTemplateName.NotFoundException"));
  EXPECT_EQ(ToError({"UnauthorizedOperation", ""}).code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(ToError({"RequestTimeout", ""}).code, ErrorCode::kDeadlineExceeded);
  EXPECT_EQ(ToError({"InvalidParameterValue", ""}).code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ToError({"InternalError", ""}).code, ErrorCode::kUnavailable);
  EXPECT_EQ(ToError({"IdempotentParameterMismatch", ""}).code, ErrorCode::kConflict);
  EXPECT_EQ(ToError({"InvalidLaunchTemplateName.AlreadyExistsException", ""}).code, ErrorCode::kAlreadyExists);
  const Error e = ToError({"SomethingNew", "what happened"});
  EXPECT_EQ(e.code, ErrorCode::kInternal);
  EXPECT_EQ(e.message, "SomethingNew: what happened");
}

}  // namespace
}  // namespace adze::providers::aws
