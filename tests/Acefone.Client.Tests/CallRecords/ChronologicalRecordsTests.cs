using System;
using System.Collections.Generic;
using System.Linq;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    public class ChronologicalRecordsTests
    {
        private static readonly DateTime Day1 = new DateTime(2026, 11, 1);
        private static readonly DateTime Day2 = Day1.AddDays(1);
        private static readonly TimeSpan Ist = TimeSpan.FromHours(5.5);

        private static AcefoneCallRecord Record(string id, DateTime at) => new AcefoneCallRecord(id, new DateTimeOffset(at, Ist));

        private static CallRecordBatch Page(DateTime chunkStart, int page, params AcefoneCallRecord[] records) =>
            new CallRecordBatch(records, Array.Empty<AcefoneException>(), 0, chunkStart, chunkStart.AddDays(1), page);

        [Fact]
        public void A_chunk_paged_newest_first_comes_out_oldest_first_when_the_next_chunk_starts()
        {
            var order = new ChronologicalRecords();
            Assert.Empty(order.Add(Page(Day1, 1, Record("c", Day1.AddHours(20)), Record("b", Day1.AddHours(10)))));
            Assert.Empty(order.Add(Page(Day1, 2, Record("a", Day1.AddHours(1)))));
            Assert.Equal(3, order.Held);
            IReadOnlyList<AcefoneCallRecord> first = order.Add(Page(Day2, 1, Record("e", Day2.AddHours(5)), Record("d", Day2.AddHours(2))));
            Assert.Equal(new[] { "a", "b", "c" }, first.Select(r => r.CallId));
            Assert.Equal(2, order.Held);
            Assert.Equal(new[] { "d", "e" }, order.Flush().Select(r => r.CallId));
            Assert.Empty(order.Flush());
        }

        [Fact]
        public void Records_of_the_same_second_keep_the_APIs_order_and_offsets_are_compared_as_instants()
        {
            var order = new ChronologicalRecords();
            order.Add(Page(Day1, 1, Record("x", Day1.AddHours(3)), Record("y", Day1.AddHours(3)),
                // 03:00 UTC is 08:30 in India: later than 03:00 India time, earlier than 09:00.
                new AcefoneCallRecord("utc", new DateTimeOffset(Day1.AddHours(3), TimeSpan.Zero)), Record("z", Day1.AddHours(9))));
            Assert.Equal(new[] { "x", "y", "utc", "z" }, order.Flush().Select(r => r.CallId));
        }

        [Fact]
        public void A_relisted_chunk_is_the_same_chunk()
        {
            var order = new ChronologicalRecords();
            order.Add(Page(Day1, 1, Record("b", Day1.AddHours(2))));
            // The reader lists a chunk again from page 1 when its count moved: still one chunk, nothing given out.
            Assert.Empty(order.Add(Page(Day1, 1, Record("a", Day1.AddHours(1)))));
            Assert.Equal(new[] { "a", "b" }, order.Flush().Select(r => r.CallId));
        }
    }
}
