using System;
using System.Net.Http;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// Which -JournalPath values are blob journals and which blob URLs are accepted: https for the service, plain http
    /// only on this machine, a container and a blob (and the account first when the URL is path-style); sends nothing.
    /// </summary>
    public sealed class BlobJournalStoreUrlTests
    {
        private static readonly BlobJournalSettings Settings = new BlobJournalSettings { Environment = _ => null };

        [Theory]
        [InlineData("https://a.blob.core.windows.net/c/run.jsonl", true)]
        [InlineData("HTTPS://a.blob.core.windows.net/c/run.jsonl", true)]
        [InlineData("http://127.0.0.1:10000/a/c/run.jsonl", true)]
        [InlineData("Http://localhost:10000/a/c/run.jsonl", true)]
        [InlineData("C:\\journals\\run.jsonl", false)]
        [InlineData("./https/run.jsonl", false)]
        [InlineData("ftp://a.blob.core.windows.net/c/run.jsonl", false)]
        public void A_journal_path_is_a_blob_when_it_is_an_http_or_https_URL(string path, bool blob)
        {
            Assert.Equal(blob, BlobJournalStore.IsBlobUrl(path));
        }

        [Theory]
        [InlineData("https://a.blob.core.windows.net/c/run.jsonl?sig=abc", "https://a.blob.core.windows.net/c/run.jsonl")]
        [InlineData("http://127.0.0.1:10000/a/c/run.jsonl?sig=abc", "http://127.0.0.1:10000/a/c/run.jsonl")]
        [InlineData("http://localhost:10000/a/c/run.jsonl?sig=abc", "http://localhost:10000/a/c/run.jsonl")]
        [InlineData("http://[::1]:10000/a/c/run.jsonl?sig=abc", "http://[::1]:10000/a/c/run.jsonl")]
        [InlineData("https://10.1.2.3/a/c/run.jsonl?sig=abc", "https://10.1.2.3/a/c/run.jsonl")]
        [InlineData("https://a.blob.core.windows.net/c/logs/run.jsonl?sig=abc", "https://a.blob.core.windows.net/c/logs/run.jsonl")]
        public void A_blob_URL_is_accepted_and_named_without_its_query(string url, string name)
        {
            using BlobJournalStore store = BlobJournalStore.Create(url, null, null, Settings);
            Assert.Equal(name, store.Name);
        }

        [Theory]
        [InlineData("not a url", "not a valid URL")]
        [InlineData("ftp://a.blob.core.windows.net/c/run.jsonl", "neither a file path nor an https URL")]
        [InlineData("http://a.blob.core.windows.net/c/run.jsonl?sig=abc", "must use https")]
        public void A_URL_that_cannot_be_a_blob_journal_says_why(string url, string says)
        {
            RunJournalException error = Assert.Throws<RunJournalException>(() => BlobJournalStore.Create(url, null, null, Settings));
            Assert.Equal("JournalUnavailable", error.ErrorId);
            Assert.Contains(says, error.Message);
        }

        [Theory]
        // The service's URLs: a container and a blob.
        [InlineData("https://a.blob.core.windows.net/run.jsonl?sig=abc", false)]
        [InlineData("https://a.blob.core.windows.net/c/?sig=abc", false)]
        // Path-style (an emulator, an IP address): the account, a container and a blob.
        [InlineData("http://127.0.0.1:10000/a/run.jsonl?sig=abc", true)]
        [InlineData("http://localhost:10000/a/run.jsonl?sig=abc", true)]
        [InlineData("https://10.1.2.3/a/run.jsonl?sig=abc", true)]
        [InlineData("http://[::1]:10000/a/c/?sig=abc", true)]
        public void A_URL_without_a_blob_is_refused_showing_the_form_to_give(string url, bool pathStyle)
        {
            RunJournalException error = Assert.Throws<RunJournalException>(() => BlobJournalStore.Create(url, null, null, Settings));
            Assert.Equal("JournalUnavailable", error.ErrorId);
            Assert.Contains("does not name a blob: give https://<account>.blob.core.windows.net/<container>/<name>.jsonl", error.Message);
            Assert.Equal(pathStyle, error.Message.Contains("for an emulator, http://127.0.0.1:<port>/<account>/<container>/<name>.jsonl"));
            Assert.EndsWith(".", error.Message);
        }

        [Fact]
        public void A_blob_store_is_not_quick_and_has_not_failed_before_it_starts()
        {
            using BlobJournalStore store = BlobJournalStore.Create("https://a.blob.core.windows.net/c/run.jsonl?sig=abc", null, null, Settings);
            Assert.False(store.AppendsQuickly);
            Assert.Null(store.Failure);
            store.Sync();
        }
    }
}
