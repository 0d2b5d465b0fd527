// ParseAwsError: the <Code>/<Message> of an AWS error response, whichever
// protocol it came in: EC2 (<Response><Errors><Error>), the other query
// protocols (<ErrorResponse><Error>), JSON ("__type" or "code", "message" or
// "Message"), and SQS's x-amzn-query-error header (legacy code;fault). A body
// with none is named by its status (503 ServiceUnavailable, other 5xx
// InternalError, 429 Throttling, 403 AccessDenied, else HttpStatus<n>).
// Thread-safety: pure function.
#pragma once

#include "adapters/aws/http_message.h"
#include "providers/aws/ec2_api.h"

namespace adze::adapters::aws {

providers::aws::AwsError ParseAwsError(const HttpResponse& response);

}  // namespace adze::adapters::aws
