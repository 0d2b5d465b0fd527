// Disruption-budget cron schedules (model/cron_schedule.h): parse, then ask
// what a budget asks (the last hit within a day and a year of lookback).
#include "fuzz/fuzz_target.h"
#include "model/cron_schedule.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using adze::model::kHour;
  adze::Result<adze::model::CronSchedule> s = adze::model::CronSchedule::Parse(adze::fuzz::AsText(data, size));
  if (!s.ok()) return 0;
  (void)s->CanEverMatch();
  (void)s->LastHitAtOrBefore(100 * kHour, 24 * kHour);
  (void)s->LastHitAtOrBefore(-5 * kHour, 366 * 24 * kHour);
  return 0;
}
