#include "adapters/kube/watch_stream.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

namespace adze::kube {
namespace {

std::vector<std::string> FeedAll(LineFramer& framer, const std::vector<std::string>& chunks,
                                 LineFramer::Outcome* last = nullptr) {
  std::vector<std::string> lines;
  LineFramer::Outcome outcome = LineFramer::Outcome::kMore;
  for (const std::string& c : chunks) {
    outcome = framer.Feed(c, [&](std::string_view l) {
      lines.emplace_back(l);
      return true;
    });
    if (outcome != LineFramer::Outcome::kMore) break;
  }
  if (last != nullptr) *last = outcome;
  return lines;
}

// The same bytes give the same lines however the network cuts them.
RC_GTEST_PROP(LineFramerProperty, LinesDoNotDependOnChunking, (const std::vector<std::string>& lines)) {
  std::string stream;
  for (const std::string& l : lines) {
    std::string clean = l;
    std::erase(clean, '\n');
    stream += clean + "\n";
  }
  std::vector<std::string> chunks;
  for (size_t at = 0; at < stream.size();) {
    size_t n = *rc::gen::inRange<size_t>(1, 8);
    chunks.push_back(stream.substr(at, n));
    at += n;
  }
  LineFramer framer;
  std::vector<std::string> got = FeedAll(framer, chunks);
  LineFramer whole;
  RC_ASSERT(got == FeedAll(whole, {stream}));
  RC_ASSERT(got.size() == lines.size());
  RC_ASSERT(framer.pending() == 0u);
}

TEST(LineFramerTest, KeepsAnUnfinishedLineForTheNextChunk) {
  LineFramer framer;
  auto lines = FeedAll(framer, {"{\"a\":", "1}\n{\"b\""});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "{\"a\":1}");
  EXPECT_EQ(framer.pending(), 4u);
}

TEST(LineFramerTest, AServerThatNeverSendsANewlineCannotGrowMemoryWithoutEnd) {
  LineFramer framer(/*max_line=*/64);
  LineFramer::Outcome outcome;
  auto lines = FeedAll(framer, {std::string(40, 'x'), std::string(40, 'x')}, &outcome);
  EXPECT_TRUE(lines.empty());
  EXPECT_EQ(outcome, LineFramer::Outcome::kLineTooLong);
  EXPECT_EQ(framer.pending(), 0u);
  // A too-long line inside one chunk fails too, and the stream stays failed.
  LineFramer other(/*max_line=*/8);
  EXPECT_EQ(other.Feed("0123456789abc\n{}\n", [](std::string_view) { return true; }),
            LineFramer::Outcome::kLineTooLong);
  EXPECT_EQ(other.Feed("{}\n", [](std::string_view) { return true; }), LineFramer::Outcome::kLineTooLong);
}

TEST(LineFramerTest, StopsWhenTheReaderSaysSo) {
  LineFramer framer;
  int seen = 0;
  EXPECT_EQ(framer.Feed("a\nb\nc\n", [&](std::string_view) { return ++seen < 2; }), LineFramer::Outcome::kStopped);
  EXPECT_EQ(seen, 2);
}

TEST(WatchEventTest, DecodesTheFiveEventTypes) {
  auto added = DecodeWatchEvent(
      R"({"type":"ADDED","object":{"metadata":{"name":"p","namespace":"d","resourceVersion":"7"}}})");
  EXPECT_EQ(added.type, WatchEvent::Type::kAdded);
  EXPECT_EQ(added.resource_version, "7");
  EXPECT_EQ(ObjectKey(added.object), "d/p");
  EXPECT_EQ(DecodeWatchEvent(R"({"type":"MODIFIED","object":{"metadata":{"name":"n"}}})").type,
            WatchEvent::Type::kModified);
  EXPECT_EQ(DecodeWatchEvent(R"({"type":"DELETED","object":{"metadata":{"name":"n"}}})").type,
            WatchEvent::Type::kDeleted);
  EXPECT_EQ(DecodeWatchEvent(R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}})").type,
            WatchEvent::Type::kBookmark);
  EXPECT_EQ(DecodeWatchEvent(R"({"type":"ERROR","object":{"kind":"Status","code":410}})").type,
            WatchEvent::Type::kExpired);
  EXPECT_EQ(DecodeWatchEvent(R"({"type":"ERROR","object":{"kind":"Status","code":500}})").type,
            WatchEvent::Type::kError);
}

// Each of these threw nlohmann::json::type_error out of the informer's
// thread (std::terminate) before the decoder checked types.
TEST(WatchEventTest, FieldsOfTheWrongTypeAreMalformedNotFatal) {
  for (const char* line : {
           R"({"type":7,"object":{"metadata":{}}})",
           R"({"type":"ERROR","object":{"code":"410"}})",
           R"({"type":"ERROR","object":[1]})",
           R"({"type":"ADDED","object":{"metadata":{"name":1,"namespace":[],"resourceVersion":{}}}})",
           R"({"type":"ADDED","object":{"metadata":"x"}})",
           R"({"type":"ADDED"})",
           R"([])",
           R"({"type":"ADDED","object":{"metadata":{}})",
       }) {
    SCOPED_TRACE(line);
    WatchEvent e;
    ASSERT_NO_THROW(e = DecodeWatchEvent(line));
    if (e.type == WatchEvent::Type::kAdded) {
      EXPECT_TRUE(IsObjectWithMetadata(e.object));
      EXPECT_NO_THROW((void)ObjectKey(e.object));
      EXPECT_EQ(e.resource_version, "");
    }
  }
  EXPECT_EQ(DecodeWatchEvent(R"({"type":"ERROR","object":{"code":"410"}})").type, WatchEvent::Type::kError);
}

TEST(ObjectListTest, KeepsOnlyObjectsWithMetadataAndToleratesABadResourceVersion) {
  auto page = DecodeObjectList(nlohmann::json::parse(
      R"({"metadata":{"resourceVersion":12},"items":[{"metadata":{"name":"a"}},3,{"metadata":null}]})"));
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(ObjectKey(page->items[0]), "a");
  EXPECT_EQ(page->resource_version, "");
  EXPECT_FALSE(DecodeObjectList(nlohmann::json::parse(R"({"items":{}})")).has_value());
  EXPECT_FALSE(DecodeObjectList(nlohmann::json::array()).has_value());
}

}  // namespace
}  // namespace adze::kube
