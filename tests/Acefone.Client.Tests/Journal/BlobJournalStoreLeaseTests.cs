using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// The blob journal's leases and refusals against Azurite: which blobs a run holds while it writes and what it lets
    /// go (a continued journal's earlier parts at once, everything at the end), a blob of another type, a SAS that may
    /// not write.
    /// </summary>
    [Collection(AzuriteCollection.Name)]
    public sealed class BlobJournalStoreLeaseTests
    {
        private readonly AzuriteFixture _azurite;

        public BlobJournalStoreLeaseTests(AzuriteFixture azurite) => _azurite = azurite;

        private static BlobJournalSettings Settings(int maxAppends = 50000) => new BlobJournalSettings
        {
            LeaseSeconds = 15,
            LeaseWait = TimeSpan.FromSeconds(2),
            RequestTimeout = TimeSpan.FromSeconds(5),
            MaxAppendsPerBlob = maxAppends,
            Environment = _ => null,
        };

        private static CallActionRequest Row(int i) => CallHangupRequest.Create("1714657799." + i);

        /// <summary>Whether another machine could take the blob's lease now (acquired, then released again).</summary>
        private static bool Leasable(string blob)
        {
            using var http = new HttpClient();
            string id = Guid.NewGuid().ToString();
            HttpResponseMessage Send(string action)
            {
                var request = new HttpRequestMessage(HttpMethod.Put, blob + "?comp=lease&" + AzuriteFixture.Sas());
                request.Headers.Add("x-ms-version", "2021-12-02");
                request.Headers.Add("x-ms-lease-action", action);
                if (action == "acquire")
                {
                    request.Headers.Add("x-ms-lease-duration", "15");
                    request.Headers.Add("x-ms-proposed-lease-id", id);
                }
                else request.Headers.Add("x-ms-lease-id", id);
                return http.Send(request);
            }
            HttpResponseMessage acquired = Send("acquire");
            if (acquired.StatusCode == HttpStatusCode.Conflict) return false;
            Assert.True(acquired.IsSuccessStatusCode, $"acquire: {(int)acquired.StatusCode}");
            Assert.True(Send("release").IsSuccessStatusCode);
            return true;
        }

        /// <summary>The number of the journal's last part (blob.n), 0 when it has only the first.</summary>
        private int LastPart(string blob)
        {
            int last = 0;
            while (_azurite.Read(blob + "." + (last + 1)) != null) last++;
            return last;
        }

        [Fact]
        public async Task A_run_holds_the_first_blob_and_the_part_it_writes_lets_earlier_parts_go_and_releases_all_at_the_end()
        {
            string blob = _azurite.NewContainer() + "/run.jsonl";
            int last;
            using (RunJournal journal = RunJournal.Open(BlobJournalStore.Create(blob + "?" + AzuriteFixture.Sas(), null, null, Settings(maxAppends: 1)), readOnly: false))
            {
                // One append a blob: row 1 fills the first, row 2's sending line the second (.1), row 3's the third (.2)
                // (or later ones, when the tick stored an outcome line on its own).
                for (int i = 1; i <= 3; i++) await journal.Send(Row(i), i, () => Task.FromResult<object>("ok"));
                last = LastPart(blob);
                Assert.True(last >= 2);
                Assert.False(Leasable(blob));
                for (int part = 1; part < last; part++) Assert.True(Leasable(blob + "." + part));
                Assert.False(Leasable(blob + "." + last));
            }
            Assert.True(Leasable(blob));
            Assert.True(Leasable(blob + "." + last));
        }

        [Fact]
        public async Task The_renewal_keeps_the_part_being_written_too_and_a_part_taken_by_another_run_fails_the_run()
        {
            string blob = _azurite.NewContainer() + "/run.jsonl";
            var store = BlobJournalStore.Create(blob + "?" + AzuriteFixture.Sas(), null, null, Settings(maxAppends: 1));
            using RunJournal journal = RunJournal.Open(store, readOnly: false);
            await journal.Send(Row(1), 1, () => Task.FromResult<object>("ok"));
            await journal.Send(Row(2), 2, () => Task.FromResult<object>("ok"));
            // Row 2's outcome line goes with a later tick, into the next part: the part being written is known once it is stored.
            DateTime stored = DateTime.UtcNow.AddSeconds(20);
            while (!Stored(blob, "1714657799.2", "succeeded") && DateTime.UtcNow < stored) await Task.Delay(100);
            int last = LastPart(blob);
            Assert.True(last >= 1);
            // A renewal or more (every 3 s here) of both leases while they are this run's: nothing fails.
            await Task.Delay(TimeSpan.FromSeconds(3.5));
            Assert.Null(store.Failure);
            // Another run takes the part this one writes (its lease broken, then acquired), not the first blob.
            AzuriteFixture.Lease(blob + "." + last, "break");
            AzuriteFixture.Lease(blob + "." + last, "acquire");
            // The renewal (every quarter of the lease) renews the part as well as the first blob, so it learns at once.
            DateTime until = DateTime.UtcNow.AddSeconds(20);
            while (store.Failure == null && DateTime.UtcNow < until) await Task.Delay(100);
            Assert.Contains("lost the journal's lease", store.Failure?.Message);
        }

        /// <summary>Whether one of the journal's parts holds the line that says <paramref name="state"/> for <paramref name="callId"/>.</summary>
        private bool Stored(string blob, string callId, string state)
        {
            for (int part = 0; _azurite.Read(part == 0 ? blob : blob + "." + part) is byte[] bytes; part++)
            {
                string text = Encoding.UTF8.GetString(bytes);
                if (text.Split('\n').Any(l => l.Contains("\"callId\":\"" + callId + "\"") && l.Contains("\"state\":\"" + state + "\""))) return true;
            }
            return false;
        }

        [Fact]
        public async Task A_rerun_takes_the_lease_of_the_last_part_too()
        {
            string blob = _azurite.NewContainer() + "/run.jsonl";
            using (RunJournal first = RunJournal.Open(BlobJournalStore.Create(blob + "?" + AzuriteFixture.Sas(), null, null, Settings(maxAppends: 1)), readOnly: false))
            {
                await first.Send(Row(1), 1, () => Task.FromResult<object>("ok"));
                await first.Send(Row(2), 2, () => Task.FromResult<object>("ok"));
            }
            int last;
            using (RunJournal rerun = RunJournal.Open(BlobJournalStore.Create(blob + "?" + AzuriteFixture.Sas(), null, null, Settings(maxAppends: 1)), readOnly: false))
            {
                last = LastPart(blob);
                Assert.True(last >= 1);
                Assert.False(Leasable(blob));
                Assert.False(Leasable(blob + "." + last));
                Assert.Equal(JournalState.Succeeded, rerun.FindSent(Row(2))!.State);
            }
            // And lets both go at its end, like the run that wrote them.
            Assert.True(Leasable(blob));
            Assert.True(Leasable(blob + "." + last));
        }

        [Fact]
        public void A_blob_of_another_type_is_not_a_journal()
        {
            string blob = _azurite.NewContainer() + "/run.jsonl";
            using (var http = new HttpClient())
            {
                var request = new HttpRequestMessage(HttpMethod.Put, blob + "?" + AzuriteFixture.Sas()) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{}\n")) };
                request.Headers.Add("x-ms-version", "2021-12-02");
                request.Headers.Add("x-ms-blob-type", "BlockBlob");
                Assert.True(http.Send(request).IsSuccessStatusCode);
            }
            RunJournalException error = Assert.Throws<RunJournalException>(() =>
                RunJournal.Open(BlobJournalStore.Create(blob + "?" + AzuriteFixture.Sas(), null, null, Settings()), readOnly: false));
            Assert.Equal("JournalUnavailable", error.ErrorId);
            Assert.Contains("is a blob of another type", error.Message);
        }

        [Fact]
        public void A_SAS_that_may_not_create_the_blob_is_JournalAccessDenied()
        {
            string blob = _azurite.NewContainer() + "/run.jsonl";
            RunJournalException error = Assert.Throws<RunJournalException>(() =>
                RunJournal.Open(BlobJournalStore.Create(blob + "?" + AzuriteFixture.Sas("rl"), null, null, Settings()), readOnly: false));
            Assert.Equal("JournalAccessDenied", error.ErrorId);
            Assert.Contains("cannot be created", error.Message);
            Assert.IsType<BlobJournalException>(error.InnerException);
        }
    }
}
