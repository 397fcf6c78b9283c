using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// The few Blob service calls a journal needs (properties, create append blob, get, lease, append block), with
    /// a pinned x-ms-version. Ours rather than Azure.Storage.Blobs: see docs/journal-storage.md (a 5.1 runbook loads
    /// Az.Storage's Azure.Core in the same process, and two versions cannot load side by side on .NET Framework).
    /// </summary>
    internal sealed class AppendBlobClient
    {
        /// <summary>Pinned: every request says which version of the service's behaviour it was written against.</summary>
        internal const string ApiVersion = "2021-12-02";

        private readonly HttpClient _http;
        private readonly BlobJournalAuthorization _authorization;
        private readonly TimeSpan _timeout;

        internal AppendBlobClient(HttpClient http, BlobJournalAuthorization authorization, TimeSpan timeout)
        {
            _http = http;
            _authorization = authorization;
            _timeout = timeout;
        }

        internal sealed class Properties
        {
            internal long Length { get; set; }
            internal int CommittedBlocks { get; set; }
            internal bool IsAppendBlob { get; set; }
        }

        /// <summary>The blob's length and committed appends; null when it does not exist.</summary>
        internal async Task<Properties?> GetPropertiesAsync(Uri blob)
        {
            using (HttpResponseMessage response = await SendAsync(HttpMethod.Head, blob, null, null, null, 0).ConfigureAwait(false))
            {
                if (response.StatusCode == System.Net.HttpStatusCode.NotFound && ErrorCode(response) != "ContainerNotFound") return null;
                Check(response, "read the blob's properties");
                return new Properties
                {
                    Length = response.Content.Headers.ContentLength ?? 0,
                    CommittedBlocks = int.TryParse(Header(response, "x-ms-blob-committed-block-count"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int blocks) ? blocks : 0,
                    IsAppendBlob = string.Equals(Header(response, "x-ms-blob-type"), "AppendBlob", StringComparison.OrdinalIgnoreCase),
                };
            }
        }

        /// <summary>Creates an empty append blob unless one exists (If-None-Match: *); false when it already existed.</summary>
        internal async Task<bool> CreateAsync(Uri blob)
        {
            var headers = new Dictionary<string, string> { ["x-ms-blob-type"] = "AppendBlob", ["If-None-Match"] = "*" };
            using (HttpResponseMessage response = await SendAsync(HttpMethod.Put, blob, null, headers, Array.Empty<byte>(), 0).ConfigureAwait(false))
            {
                if ((int)response.StatusCode == 409 || (int)response.StatusCode == 412) return false;
                Check(response, "create the append blob");
                return true;
            }
        }

        /// <summary>The blob's bytes; null when it does not exist.</summary>
        internal async Task<byte[]?> DownloadAsync(Uri blob)
        {
            using (HttpResponseMessage response = await SendAsync(HttpMethod.Get, blob, null, null, null, 0).ConfigureAwait(false))
            {
                if (response.StatusCode == System.Net.HttpStatusCode.NotFound && ErrorCode(response) != "ContainerNotFound") return null;
                Check(response, "read the blob");
                return await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            }
        }

        /// <summary>Bytes [<paramref name="offset"/>, offset + count) of the blob.</summary>
        internal async Task<byte[]> DownloadRangeAsync(Uri blob, long offset, int count)
        {
            var headers = new Dictionary<string, string> { ["x-ms-range"] = FormattableString.Invariant($"bytes={offset}-{offset + count - 1}") };
            using (HttpResponseMessage response = await SendAsync(HttpMethod.Get, blob, null, headers, null, 0).ConfigureAwait(false))
            {
                Check(response, "read the blob's tail");
                return await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            }
        }

        /// <summary>acquire, renew or release; returns the lease id the service answered (acquire, renew).</summary>
        internal async Task<string?> LeaseAsync(Uri blob, string action, string leaseId, int durationSeconds)
        {
            var headers = new Dictionary<string, string> { ["x-ms-lease-action"] = action };
            if (action == "acquire")
            {
                headers["x-ms-lease-duration"] = durationSeconds.ToString(CultureInfo.InvariantCulture);
                headers["x-ms-proposed-lease-id"] = leaseId;
            }
            else
            {
                headers["x-ms-lease-id"] = leaseId;
            }
            using (HttpResponseMessage response = await SendAsync(HttpMethod.Put, blob, "comp=lease", headers, Array.Empty<byte>(), 0).ConfigureAwait(false))
            {
                Check(response, action + " the blob's lease");
                return Header(response, "x-ms-lease-id");
            }
        }

        /// <summary>
        /// Appends one block, only if the blob is exactly <paramref name="appendPosition"/> bytes long and the lease is ours;
        /// returns the committed block count after it.
        /// </summary>
        internal async Task<int> AppendAsync(Uri blob, byte[] buffer, int count, long appendPosition, string leaseId)
        {
            var headers = new Dictionary<string, string>
            {
                ["x-ms-lease-id"] = leaseId,
                ["x-ms-blob-condition-appendpos"] = appendPosition.ToString(CultureInfo.InvariantCulture),
            };
            using (HttpResponseMessage response = await SendAsync(HttpMethod.Put, blob, "comp=appendblock", headers, buffer, count).ConfigureAwait(false))
            {
                Check(response, "append to the blob");
                return int.TryParse(Header(response, "x-ms-blob-committed-block-count"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int blocks) ? blocks : 0;
            }
        }

        private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri blob, string? comp, Dictionary<string, string>? headers, byte[]? body, int count)
        {
            string query = comp ?? string.Empty;
            if (_authorization.SasQuery != null) query = query.Length == 0 ? _authorization.SasQuery : query + "&" + _authorization.SasQuery;
            var uri = new UriBuilder(blob) { Query = query }.Uri;
            using (var timeout = new CancellationTokenSource(_timeout))
            {
                try
                {
                    string? bearer = await _authorization.BearerAsync(_http, timeout.Token).ConfigureAwait(false);
                    var request = new HttpRequestMessage(method, uri);
                    request.Headers.TryAddWithoutValidation("x-ms-version", ApiVersion);
                    request.Headers.TryAddWithoutValidation("x-ms-date", DateTime.UtcNow.ToString("R", CultureInfo.InvariantCulture));
                    if (bearer != null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
                    if (headers != null)
                        foreach (KeyValuePair<string, string> header in headers) request.Headers.TryAddWithoutValidation(header.Key, header.Value);
                    if (body != null)
                    {
                        request.Content = new ByteArrayContent(body, 0, count);
                        request.Content.Headers.ContentLength = count;
                    }
                    return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex)
                {
                    throw new BlobJournalException(0, null, $"the storage service did not answer within {_timeout.TotalSeconds:0} s", ex);
                }
                catch (HttpRequestException ex)
                {
                    throw new BlobJournalException(0, null, "the storage service could not be reached or dropped the connection: " +
                        SecretRedactor.Redact(ex.GetBaseException().Message, _authorization.Secrets), ex);
                }
            }
        }

        private static void Check(HttpResponseMessage response, string what)
        {
            int status = (int)response.StatusCode;
            if (status >= 200 && status < 300) return;
            string? code = ErrorCode(response);
            throw new BlobJournalException(status, code, $"the storage service refused to {what}: HTTP {status}{(code != null ? " " + code : string.Empty)}{Hint(status, code)}");
        }

        private static string Hint(int status, string? code)
        {
            if (status == 403) return " (a SAS that expired or lacks read, add, create and write; or an identity without Storage Blob Data Contributor)";
            if (code == "ContainerNotFound") return " (create the container first)";
            if (code == "LeaseIdMismatchWithAppendBlobOperation" || code == "LeaseLost" || code == "LeaseIdMissing" || code == "LeaseNotPresentWithBlobOperation")
                return " (this run no longer holds the journal's lease)";
            return string.Empty;
        }

        internal static string? ErrorCode(HttpResponseMessage response) => Header(response, "x-ms-error-code");

        private static string? Header(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? values.FirstOrDefault() : null;
    }
}
