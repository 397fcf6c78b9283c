using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// The append-blob journal against Azurite (issue 21 sections 2 and 3): the file journal's rules, the lease,
    /// continuation past the append limit, group commit, and storage faults through a loopback proxy.
    /// </summary>
    [Collection(AzuriteCollection.Name)]
    public sealed class BlobJournalStoreTests
    {
        private readonly AzuriteFixture _azurite;

        public BlobJournalStoreTests(AzuriteFixture azurite) => _azurite = azurite;

        private static BlobJournalSettings Settings(Action<BlobJournalSettings>? change = null)
        {
            var settings = new BlobJournalSettings
            {
                LeaseSeconds = 15,
                LeaseWait = TimeSpan.FromSeconds(3),
                RequestTimeout = TimeSpan.FromSeconds(3),
                Environment = _ => null,
            };
            change?.Invoke(settings);
            return settings;
        }

        private string NewBlob(string? container = null) => (container ?? _azurite.NewContainer()) + "/run.jsonl";

        private static RunJournal Open(string blob, BlobJournalSettings settings, bool readOnly = false, List<string>? notices = null) =>
            RunJournal.Open(BlobJournalStore.Create(blob + "?" + AzuriteFixture.Sas(), null, n => notices?.Add(n), settings), readOnly);

        private static CallActionRequest Row(int i) => CallHangupRequest.Create("1714657799." + i);

        private static string[] Lines(byte[]? bytes) =>
            bytes == null ? Array.Empty<string>() : Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        [Fact]
        public async Task A_rerun_with_the_same_blob_skips_what_the_first_run_sent_and_nothing_is_stored_twice()
        {
            string blob = NewBlob();
            using (RunJournal first = Open(blob, Settings()))
            {
                await first.Send(Row(1), 1, () => Task.FromResult<object>("ok"));
                try { await first.Send(Row(2), 2, () => Task.FromException<object>(new AcefoneException(AcefoneErrorKind.OutcomeUnknown, "no answer"))); } catch (AcefoneException) { }
                try { await first.Send(Row(3), 3, () => Task.FromException<object>(new AcefoneException(AcefoneErrorKind.CallNotActive, "ended"))); } catch (AcefoneException) { }
                _ = first.Send(Row(4), 4, () => new TaskCompletionSource<object>().Task);   // killed before the answer
            }
            using RunJournal rerun = Open(blob, Settings());
            Assert.Equal(JournalState.Succeeded, rerun.FindSent(Row(1))!.State);
            Assert.Equal(JournalState.Unknown, rerun.FindSent(Row(2))!.State);
            Assert.Null(rerun.FindSent(Row(3)));
            Assert.Equal(JournalState.Sending, rerun.FindSent(Row(4))!.State);
            Assert.Contains(blob, rerun.AlreadySent(Row(1), rerun.FindSent(Row(1))!).Message);
            string[] lines = Lines(_azurite.Read(blob));
            Assert.Equal(7, lines.Length);
            Assert.Equal(lines.Length, lines.Distinct().Count());
        }

        [Fact]
        public async Task The_sending_line_is_in_the_blob_before_the_request_leaves()
        {
            string blob = NewBlob();
            string? seen = null;
            using (RunJournal journal = Open(blob, Settings()))
            {
                await journal.Send(Row(1), 1, () =>
                {
                    seen = Encoding.UTF8.GetString(_azurite.Read(blob)!);
                    return Task.FromResult<object>("ok");
                });
            }
            Assert.Contains("\"state\":\"sending\"", seen);
            Assert.DoesNotContain("succeeded", seen);
        }

        [Fact]
        public void A_second_writer_waits_for_the_lease_saying_so_then_gets_JournalLocked_and_a_reader_may_look()
        {
            string blob = NewBlob();
            using (RunJournal first = Open(blob, Settings()))
            {
                var notices = new List<string>();
                RunJournalException refused = Assert.Throws<RunJournalException>(() => Open(blob, Settings(), notices: notices));
                Assert.Equal("JournalLocked", refused.ErrorId);
                Assert.Contains("is in use by another run: its lease was held for all of 3 s", refused.Message);
                Assert.Contains("Wait for that run to end, or use another -JournalPath.", refused.Message);
                Assert.Contains(notices, n => n.Contains("Waiting up to 3 s"));
                using RunJournal reader = Open(blob, Settings(), readOnly: true);
            }
            // Released at the end: the next run need not wait.
            var none = new List<string>();
            using RunJournal again = Open(blob, Settings(), notices: none);
            Assert.Empty(none);
        }

        [Fact]
        public void A_run_that_died_holding_the_lease_is_waited_for_and_then_the_new_run_proceeds()
        {
            string blob = NewBlob();
            // A writer that dies: it takes the lease and never renews or releases it (no Dispose, renewal stopped).
            IJournalStore dead = BlobJournalStore.Create(blob + "?" + AzuriteFixture.Sas(), null, null, Settings(s => s.LeaseSeconds = 15));
            dead.TakeWriterLock();
            typeof(BlobJournalStore).GetField("_renewal", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(dead)
                .As<Timer>().Dispose();
            var notices = new List<string>();
            using RunJournal restarted = Open(blob, Settings(s => s.LeaseWait = TimeSpan.FromSeconds(40)), notices: notices);
            Assert.Single(notices);
            Assert.Contains("died", notices[0]);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task A_writer_whose_lease_another_took_over_stops_at_once_and_sends_nothing_more(bool waitForRenewal)
        {
            string blob = NewBlob();
            var sent = new List<string>();
            Func<Task<object>> Sender(string id) => () =>
            {
                sent.Add(id);
                return Task.FromResult<object>("ok");
            };
            var store = BlobJournalStore.Create(blob + "?" + AzuriteFixture.Sas(), null, null, Settings(s => s.LeaseSeconds = 15));
            using RunJournal journal = RunJournal.Open(store, readOnly: false);
            await journal.Send(Row(1), 1, Sender("1"));
            // Row 1's outcome line goes with the next tick's append: once stored, nothing of this run waits to be written.
            DateTime stored = DateTime.UtcNow.AddSeconds(30);
            while (Lines(_azurite.Read(blob)).Length < 2 && DateTime.UtcNow < stored) await Task.Delay(100);
            AzuriteFixture.Lease(blob, "break");
            AzuriteFixture.Lease(blob, "acquire");
            if (waitForRenewal)
            {
                // The renewal (every quarter of the lease) learns it before any append: the run has failed already.
                DateTime until = DateTime.UtcNow.AddSeconds(30);
                while (store.Failure == null && DateTime.UtcNow < until) await Task.Delay(100);
                Assert.Contains("lost the journal's lease", store.Failure?.Message);
            }
            // Otherwise the append's lease condition refuses it.

            RunJournalException refused = await Assert.ThrowsAsync<RunJournalException>(() => journal.Send(Row(2), 2, Sender("2")));
            Assert.Equal("JournalWriteFailed", refused.ErrorId);
            await Assert.ThrowsAsync<RunJournalException>(() => journal.Send(Row(3), 3, Sender("3")));
            Assert.Equal(new[] { "1" }, sent);
            Assert.DoesNotContain(Lines(_azurite.Read(blob)), l => l.Contains("1714657799.2") || l.Contains("1714657799.3"));
        }

        [Fact]
        public async Task Past_the_append_limit_the_journal_continues_in_numbered_blobs_and_a_rerun_reads_them_all()
        {
            string container = _azurite.NewContainer();
            string blob = NewBlob(container);
            using (RunJournal journal = Open(blob, Settings(s => s.MaxAppendsPerBlob = 3)))
            {
                for (int i = 1; i <= 8; i++) await journal.Send(Row(i), i, () => Task.FromResult<object>("ok"));
            }
            Assert.NotNull(_azurite.Read(blob + ".1"));
            Assert.NotNull(_azurite.Read(blob + ".2"));
            using RunJournal rerun = Open(blob, Settings(s => s.MaxAppendsPerBlob = 3));
            for (int i = 1; i <= 8; i++) Assert.Equal(JournalState.Succeeded, rerun.FindSent(Row(i))!.State);
            await rerun.Send(Row(9), 9, () => Task.FromResult<object>("ok"));
            rerun.Dispose();
            using RunJournal third = Open(blob, Settings(), readOnly: true);
            Assert.NotNull(third.FindSent(Row(9)));
            Assert.Empty(third.Warnings);
        }

        [Fact]
        public async Task Without_the_committed_block_count_each_append_counts_as_one_and_the_limit_still_holds()
        {
            string blob = NewBlob();
            using var proxy = new BlobFaultProxy(_azurite.AccountUri) { StripBlockCount = true };
            using (RunJournal journal = Open(proxy.Through(blob), Settings(s => s.MaxAppendsPerBlob = 3)))
            {
                for (int i = 1; i <= 8; i++) await journal.Send(Row(i), i, () => Task.FromResult<object>("ok"));
            }
            // Sixteen lines in at least eight appends, three a blob: the journal went on in .1 and .2.
            Assert.NotNull(_azurite.Read(blob + ".1"));
            Assert.NotNull(_azurite.Read(blob + ".2"));
            using RunJournal rerun = Open(blob, Settings(), readOnly: true);
            for (int i = 1; i <= 8; i++) Assert.Equal(JournalState.Succeeded, rerun.FindSent(Row(i))!.State);
        }

        /// <summary>
        /// The service's own limits, which Azurite does not reach in a test: a full blob (50,000 blocks) or one at its
        /// maximum size refuses the append, and the journal goes on in the next numbered blob as past its own limit.
        /// </summary>
        [Theory]
        [InlineData(BlobFault.BlockCountExceedsLimit)]
        [InlineData(BlobFault.MaxBlobSizeConditionNotMet)]
        public async Task A_blob_the_service_calls_full_is_continued_in_the_next_and_nothing_is_lost_or_doubled(BlobFault full)
        {
            string blob = NewBlob();
            using var proxy = new BlobFaultProxy(_azurite.AccountUri);
            using (RunJournal journal = Open(proxy.Through(blob), Settings()))
            {
                await journal.Send(Row(1), 1, () => Task.FromResult<object>("ok"));
                proxy.Faults.Enqueue(full);
                await journal.Send(Row(2), 2, () => Task.FromResult<object>("ok"));
                await journal.Send(Row(3), 3, () => Task.FromResult<object>("ok"));
            }

            string[] first = Lines(_azurite.Read(blob));
            string[] next = Lines(_azurite.Read(blob + ".1"));
            Assert.Contains(first, l => l.Contains("\"callId\":\"1714657799.1\"") && l.Contains("\"sending\""));
            Assert.Contains(next, l => l.Contains("\"callId\":\"1714657799.2\"") && l.Contains("\"sending\""));
            string[] all = first.Concat(next).ToArray();
            Assert.Equal(all.Length, all.Distinct().Count());
            using RunJournal rerun = Open(blob, Settings(), readOnly: true);
            for (int i = 1; i <= 3; i++) Assert.Equal(JournalState.Succeeded, rerun.FindSent(Row(i))!.State);
            Assert.Empty(rerun.Warnings);
        }

        [Theory]
        [InlineData(500, "InternalError", "JournalUnavailable")]
        [InlineData(503, "ServerBusy", "JournalUnavailable")]
        [InlineData(401, "NoAuthenticationInformation", "JournalAccessDenied")]
        [InlineData(403, "AuthorizationPermissionMismatch", "JournalAccessDenied")]
        public void Storage_that_refuses_the_journal_at_the_start_is_named_and_nothing_is_sent(int status, string code, string errorId)
        {
            string blob = NewBlob();
            using var proxy = new BlobFaultProxy(_azurite.AccountUri) { AnswerAll = (status, code) };

            RunJournalException refused = Assert.Throws<RunJournalException>(() => Open(proxy.Through(blob), Settings()));

            Assert.Equal(errorId, refused.ErrorId);
            Assert.Contains("The journal '", refused.Message);
            Assert.Contains("' cannot be created: ", refused.Message);
            Assert.Null(_azurite.Read(blob));
        }

        [Fact]
        public async Task Rows_released_together_share_one_append()
        {
            string blob = NewBlob();
            using var proxy = new BlobFaultProxy(_azurite.AccountUri) { Latency = TimeSpan.FromMilliseconds(50) };
            using (RunJournal journal = Open(proxy.Through(blob), Settings()))
            {
                await Task.WhenAll(Enumerable.Range(1, 40).Select(i => journal.Send(Row(i), i, () => Task.FromResult<object>("ok"))).ToArray());
            }
            // 40 sending lines and 40 outcomes: one append each would be 80.
            Assert.InRange(proxy.AppendsForwarded, 1, 10);
            Assert.Equal(80, Lines(_azurite.Read(blob)).Length);
        }

        public static IEnumerable<object[]> Faults() => new[]
        {
            new object[] { new[] { BlobFault.Status500 }, true },
            new object[] { new[] { BlobFault.Status503 }, true },
            new object[] { new[] { BlobFault.Status503, BlobFault.Status503, BlobFault.Status503 }, false },
            new object[] { new[] { BlobFault.TimeoutAfterLanding }, true },
            new object[] { new[] { BlobFault.DropAfterLanding }, true },
            new object[] { new[] { BlobFault.DropBeforeForwarding }, true },
            new object[] { new[] { BlobFault.Status403 }, false },
            new object[] { new[] { BlobFault.Status412 }, false },
            // The resent append finds the blob longer, but not ending with its bytes: never counted as stored.
            new object[] { new[] { BlobFault.OtherBytesLandThenDrop }, false },
            new object[] { new[] { BlobFault.FewerBytesLandThenDrop }, false },
        };

        [Theory]
        [MemberData(nameof(Faults))]
        public async Task A_storage_fault_never_lets_a_row_leave_without_its_sending_line_and_nothing_is_written_twice(BlobFault[] faults, bool rowGoesThrough)
        {
            string blob = NewBlob();
            using var proxy = new BlobFaultProxy(_azurite.AccountUri);
            var sent = new ConcurrentBag<string>();
            var violations = new ConcurrentBag<string>();
            Func<Task<object>> Sender(CallActionRequest request) => () =>
            {
                // The "simulator log": what left, checked against the blob at the moment it leaves.
                string stored = Encoding.UTF8.GetString(_azurite.Read(blob) ?? Array.Empty<byte>());
                if (!stored.Contains("\"callId\":\"" + request.CallId + "\"")) violations.Add(request.CallId);
                sent.Add(request.CallId);
                return Task.FromResult<object>("ok");
            };

            RunJournal journal = Open(proxy.Through(blob), Settings());
            await journal.Send(Row(1), 1, Sender(Row(1)));
            foreach (BlobFault fault in faults) proxy.Faults.Enqueue(fault);
            Exception? failure = await Record(() => journal.Send(Row(2), 2, Sender(Row(2))));
            Exception? after = await Record(() => journal.Send(Row(3), 3, Sender(Row(3))));
            journal.Dispose();

            Assert.Empty(violations);
            if (rowGoesThrough)
            {
                Assert.Null(failure);
                Assert.Null(after);
                Assert.Equal(new[] { "1714657799.1", "1714657799.2", "1714657799.3" }, sent.OrderBy(s => s));
            }
            else
            {
                Assert.Equal("JournalWriteFailed", Assert.IsType<RunJournalException>(failure).ErrorId);
                Assert.Equal("JournalWriteFailed", Assert.IsType<RunJournalException>(after).ErrorId);
                Assert.Equal(new[] { "1714657799.1" }, sent);
                // Row 1's outcome could not be stored with it: counted, and its row stays 'sending' (not resent).
                Assert.True(journal.UnrecordedOutcomes >= 1);
            }
            string[] lines = Lines(_azurite.Read(blob));
            Assert.Equal(lines.Length, lines.Distinct().Count());
            foreach (string id in sent)
                Assert.Single(lines, l => l.Contains("\"callId\":\"" + id + "\"") && l.Contains("\"sending\""));
        }

        private static async Task<Exception?> Record(Func<Task> action)
        {
            try
            {
                await action();
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        }

        [Fact]
        public void A_blob_is_never_appended_on_the_pipeline_thread()
        {
            // A storage round trip per row on the caller's thread would serialise the run: the write-ahead commits it elsewhere.
            using var store = BlobJournalStore.Create("https://example.blob.core.windows.net/journals/run.jsonl?sv=2021-12-02&sig=abc", null, null, Settings());
            Assert.False(store.AppendsQuickly);
        }

        [Fact]
        public void Without_a_SAS_a_token_or_a_managed_identity_it_fails_at_once_naming_the_three_ways()
        {
            RunJournalException error = Assert.Throws<RunJournalException>(() =>
                BlobJournalStore.Create("https://example.blob.core.windows.net/journals/run.jsonl", null, null, Settings()));
            Assert.Equal("JournalNotAuthorized", error.ErrorId);
            Assert.Contains("SAS", error.Message);
            Assert.Contains("-JournalAccessToken", error.Message);
            Assert.Contains("managed identity", error.Message);
        }

        [Theory]
        [InlineData("http://example.blob.core.windows.net/journals/run.jsonl?sig=abc")]
        [InlineData("http://10.1.2.3:10000/devstoreaccount1/journals/run.jsonl?sig=abc")]
        [InlineData("https://example.blob.core.windows.net/journals/?sig=abc")]
        [InlineData("http://127.0.0.1:10000/devstoreaccount1/run.jsonl?sig=abc")]
        public void Plain_http_off_this_machine_and_a_URL_without_a_blob_are_refused(string url)
        {
            RunJournalException error = Assert.Throws<RunJournalException>(() => BlobJournalStore.Create(url, null, null, Settings()));
            Assert.Equal("JournalUnavailable", error.ErrorId);
            Assert.DoesNotContain("sig=", error.Message);
        }

        [Fact]
        public void The_SAS_signature_is_never_in_the_journal_name_a_message_or_a_refusal()
        {
            string blob = NewBlob();
            string sas = AzuriteFixture.Sas();
            string sig = Uri.UnescapeDataString(sas.Substring(sas.IndexOf("sig=", StringComparison.Ordinal) + 4));
            using var proxy = new BlobFaultProxy(_azurite.AccountUri);
            var notices = new List<string>();
            using (RunJournal first = RunJournal.Open(BlobJournalStore.Create(proxy.Through(blob) + "?" + sas, null, notices.Add, Settings()), readOnly: false))
            {
                RunJournalException locked = Assert.Throws<RunJournalException>(() =>
                    RunJournal.Open(BlobJournalStore.Create(proxy.Through(blob) + "?" + sas, null, notices.Add, Settings()), readOnly: false));
                string all = first.Path + locked.Message + locked.InnerException?.Message + string.Join("", notices) + RunJournal.DisplayName(blob + "?" + sas);
                Assert.DoesNotContain(sig, all);
                Assert.DoesNotContain(Uri.EscapeDataString(sig), all);
                Assert.DoesNotContain("sig=", all);
            }
        }

        [Fact]
        public async Task A_managed_identity_token_comes_from_IDENTITY_ENDPOINT_with_its_header_and_goes_to_storage_as_a_bearer()
        {
            // A loopback stand-in for the Automation identity endpoint; nothing here goes near 169.254.169.254.
            int port = AzuriteFixture.FreePort();
            using var identity = new HttpListener();
            identity.Prefixes.Add($"http://127.0.0.1:{port}/msi/");
            identity.Start();
            string? askedResource = null, askedHeader = null;
            _ = Task.Run(async () =>
            {
                HttpListenerContext context = await identity.GetContextAsync();
                askedResource = context.Request.QueryString["resource"];
                askedHeader = context.Request.Headers["X-IDENTITY-HEADER"];
                byte[] body = Encoding.UTF8.GetBytes("{\"access_token\":\"mi-token-0123456789abcdef\",\"expires_on\":\"" + DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() + "\"}");
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            });
            var environment = new Dictionary<string, string> { ["IDENTITY_ENDPOINT"] = $"http://127.0.0.1:{port}/msi/token", ["IDENTITY_HEADER"] = "identity-header-secret" };
            var store = BlobJournalStore.Create(NewBlob(), null, null, Settings(s => s.Environment = name => environment.TryGetValue(name, out string? v) ? v : null));
            Assert.Equal("ManagedIdentity", store.Authorization.Kind);
            using var http = new HttpClient();
            string? bearer = await store.Authorization.BearerAsync(http, CancellationToken.None);
            Assert.Equal("mi-token-0123456789abcdef", bearer);
            Assert.Equal("https://storage.azure.com/", askedResource);
            Assert.Equal("identity-header-secret", askedHeader);
            Assert.Contains("mi-token-0123456789abcdef", store.Authorization.Secrets);
            store.Dispose();
        }
    }

    internal static class ObjectExtensions
    {
        internal static T As<T>(this object? value) => (T)value!;
    }
}
