using System;
using System.Linq;
using Acefone.Client;
using Xunit;

namespace Acefone.PowerShell.Tests
{
    /// <summary>
    /// The stop report names a row as "no known outcome" exactly when the journal keeps it from a resend and its error
    /// record says the API may have acted: the three read one rule (Errors/Outcome.cs), with or without a journal.
    /// </summary>
    public class StopReportOutcomeTests
    {
        private static readonly int?[] Statuses = { null, 200, 302, 400, 401, 422, 429, 500, 502, 503 };

        [Fact]
        public void The_stop_report_the_journal_and_the_error_record_agree()
        {
            foreach (AcefoneErrorKind kind in Enum.GetValues(typeof(AcefoneErrorKind)))
                foreach (int? status in Statuses)
                    foreach (RequestReach? reach in ((RequestReach[])Enum.GetValues(typeof(RequestReach))).Cast<RequestReach?>().Concat(new RequestReach?[] { null }))
                    {
                        string name = $"({kind}, {status?.ToString() ?? "no status"}, {reach?.ToString() ?? "made without its request"})";
                        var error = new AcefoneException(kind, "failed") { StatusCode = status };
                        if (reach.HasValue) Outcome.Record(error, reach.Value, idempotent: false);

                        bool reported = CallActionDispatcher.HasNoKnownOutcome(error);
                        Assert.True((RunJournal.Classify(error).State == JournalState.Unknown) == reported, name + ": the journal");
                        if (reach.HasValue) Assert.True(error.MayHaveActed == reported, name + ": the error record");
                    }
        }

        [Fact]
        public void A_row_still_in_flight_or_stopped_has_no_known_outcome()
        {
            Assert.True(CallActionDispatcher.HasNoKnownOutcome(null));
            Assert.True(CallActionDispatcher.HasNoKnownOutcome(new OperationCanceledException()));
            var rejected = Outcome.Record(new AcefoneException(AcefoneErrorKind.Rejected, "no") { StatusCode = 200 }, RequestReach.Answered, false);
            Assert.False(CallActionDispatcher.HasNoKnownOutcome(rejected));
        }
    }
}
