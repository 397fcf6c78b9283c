using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// An append whose answer is lost (issue 21's "never writes twice"): the retry is conditional on the blob's length,
    /// and when that condition fails the journal counts the line as stored only if the blob ends with exactly its bytes.
    /// Against Azurite, with the fault between the journal and storage.
    /// </summary>
    [Collection(AzuriteCollection.Name)]
    public sealed class BlobJournalLostAnswerTests
    {
        private readonly AzuriteFixture _azurite;

        public BlobJournalLostAnswerTests(AzuriteFixture azurite) => _azurite = azurite;

        private enum Fault
        {
            /// <summary>The append reaches storage; its answer never comes back.</summary>
            AnswerLost,
            /// <summary>The append never reaches storage.</summary>
            RequestLost,
            /// <summary>Other bytes of the same length land in its place, and the answer is lost.</summary>
            OtherBytesLanded,
            /// <summary>Fewer bytes land, and the answer is lost.</summary>
            ShorterLanded,
        }

        /// <summary>Applies <see cref="Fault"/> to the first append only; counts the appends storage received.</summary>
        private sealed class FirstAppendFault : DelegatingHandler
        {
            private readonly Fault _fault;
            private int _appends;

            internal FirstAppendFault(Fault fault, HttpMessageHandler inner) : base(inner) => _fault = fault;

            internal int Appends => _appends;

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                bool append = request.RequestUri!.Query.Contains("comp=appendblock");
                if (!append || Interlocked.Increment(ref _appends) > 1) return await base.SendAsync(request, cancellationToken);
                if (_fault == Fault.RequestLost) throw new HttpRequestException("connection reset before the request was sent");
                if (_fault != Fault.AnswerLost)
                {
                    byte[] body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
                    byte[] other = _fault == Fault.ShorterLanded ? body.Take(body.Length - 1).ToArray() : body.Select(b => b == (byte)'1' ? (byte)'2' : b).ToArray();
                    Assert.NotEqual(body, other);
                    request.Content = new ByteArrayContent(other);
                }
                (await base.SendAsync(request, cancellationToken)).Dispose();
                throw new HttpRequestException("connection reset before the answer came");
            }
        }

        private static BlobJournalSettings Settings(Func<HttpMessageHandler, HttpMessageHandler> wrap) => new BlobJournalSettings
        {
            LeaseSeconds = 15,
            LeaseWait = TimeSpan.FromSeconds(2),
            RequestTimeout = TimeSpan.FromSeconds(5),
            Environment = _ => null,
            WrapHandler = wrap,
        };

        private static CallActionRequest Row(int i) => CallHangupRequest.Create("1714657799." + i);

        private (string Blob, RunJournal Journal, Func<FirstAppendFault> Handler) Open(Fault fault)
        {
            string blob = _azurite.NewContainer() + "/run.jsonl";
            FirstAppendFault? handler = null;
            RunJournal journal = RunJournal.Open(BlobJournalStore.Create(blob + "?" + AzuriteFixture.Sas(), null, null,
                Settings(inner => handler = new FirstAppendFault(fault, inner))), readOnly: false);
            return (blob, journal, () => handler!);
        }

        [Theory]
        [InlineData("AnswerLost")]
        [InlineData("RequestLost")]
        public async Task An_append_resent_after_a_lost_answer_is_stored_once_whether_or_not_it_had_landed(string faultName)
        {
            var fault = (Fault)Enum.Parse(typeof(Fault), faultName);
            var (blob, journal, handler) = Open(fault);
            using (journal)
            {
                await journal.Send(Row(1), 1, () => Task.FromResult<object>("ok"));
                await journal.Send(Row(2), 2, () => Task.FromResult<object>("ok"));
                Assert.True(handler().Appends >= 2, "the first append was resent");
            }
            string text = Encoding.UTF8.GetString(_azurite.Read(blob)!);
            using RunJournal rerun = RunJournal.Open(BlobJournalStore.Create(blob + "?" + AzuriteFixture.Sas(), null, null, Settings(h => h)), readOnly: true);
            Assert.Equal(JournalState.Succeeded, rerun.FindSent(Row(1))!.State);
            Assert.Equal(JournalState.Succeeded, rerun.FindSent(Row(2))!.State);
            // Each line is in the blob once: one sending line per row (a second copy of the first append would make two).
            foreach (string id in new[] { "1714657799.1", "1714657799.2" })
                Assert.Equal(1, text.Split('\n').Count(line => line.Contains(id) && line.Contains("\"sending\"")));
        }

        [Theory]
        [InlineData("OtherBytesLanded")]
        [InlineData("ShorterLanded")]
        public async Task When_the_blob_does_not_end_with_exactly_the_lost_appends_bytes_the_line_is_not_counted_as_stored(string faultName)
        {
            var fault = (Fault)Enum.Parse(typeof(Fault), faultName);
            var (_, journal, handler) = Open(fault);
            using (journal)
            {
                // The row's sending line cannot be shown stored, so the row is not sent: the journal refuses it.
                bool sent = false;
                await Assert.ThrowsAnyAsync<Exception>(() => journal.Send(Row(1), 1, () => { sent = true; return Task.FromResult<object>("ok"); }));
                Assert.False(sent, "a row whose sending line was not stored must not be sent");
                Assert.True(handler().Appends >= 2, "the first append was resent and met the length condition");
            }
        }
    }
}
