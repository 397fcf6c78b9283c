using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Security;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// How a blob journal's requests are authorised, in the order issue 21 gives: a SAS in the URL's query; else an
    /// access token (-JournalAccessToken); else the managed identity of an Azure Automation account (IDENTITY_ENDPOINT
    /// with IDENTITY_HEADER). Every secret it holds is listed in <see cref="Secrets"/> for redaction.
    /// </summary>
    internal sealed class BlobJournalAuthorization
    {
        internal const string StorageResource = "https://storage.azure.com/";
        private static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);

        private readonly object _gate = new object();
        private readonly List<string> _secrets = new List<string>();
        private readonly string? _identityEndpoint;
        private readonly string? _identityHeader;
        private string? _token;
        private DateTimeOffset _tokenExpires = DateTimeOffset.MaxValue;

        private BlobJournalAuthorization(string kind, string? sasQuery, string? token, string? identityEndpoint, string? identityHeader)
        {
            Kind = kind;
            SasQuery = sasQuery;
            _token = token;
            _identityEndpoint = identityEndpoint;
            _identityHeader = identityHeader;
            if (sasQuery != null) AddSecret(sasQuery);
            if (token != null) AddSecret(token);
            if (identityHeader != null) AddSecret(identityHeader);
        }

        /// <summary>"SAS", "AccessToken" or "ManagedIdentity" (for Verbose: never the secret itself).</summary>
        internal string Kind { get; }

        /// <summary>The SAS query without its '?', appended to every request; null for bearer tokens.</summary>
        internal string? SasQuery { get; }

        /// <summary>Every secret this authorisation holds, and the SAS signature alone, for <see cref="SecretRedactor"/>.</summary>
        internal IReadOnlyList<string> Secrets
        {
            get { lock (_gate) return _secrets.ToArray(); }
        }

        private void AddSecret(string secret)
        {
            lock (_gate)
            {
                _secrets.Add(secret);
                _secrets.Add(Uri.EscapeDataString(secret));
                foreach (string part in secret.Split('&'))
                {
                    if (part.StartsWith("sig=", StringComparison.OrdinalIgnoreCase) && part.Length > 8)
                    {
                        _secrets.Add(part.Substring(4));
                        _secrets.Add(Uri.UnescapeDataString(part.Substring(4)));
                    }
                }
            }
        }

        /// <summary>
        /// Chooses the way in; throws <see cref="RunJournalException"/> (JournalNotAuthorized) naming all three when
        /// there is none, before anything is sent.
        /// </summary>
        internal static BlobJournalAuthorization Choose(Uri blob, string displayName, SecureString? accessToken, Func<string, string?> environment)
        {
            string query = blob.Query.TrimStart('?');
            if (HasSignature(query)) return new BlobJournalAuthorization("SAS", query, null, null, null);
            if (accessToken != null && accessToken.Length > 0)
                return new BlobJournalAuthorization("AccessToken", null, Plain(accessToken), null, null);
            string? endpoint = environment("IDENTITY_ENDPOINT");
            string? header = environment("IDENTITY_HEADER");
            if (!string.IsNullOrEmpty(endpoint) && !string.IsNullOrEmpty(header))
                return new BlobJournalAuthorization("ManagedIdentity", null, null, endpoint, header);
            throw new RunJournalException("JournalNotAuthorized",
                $"The journal '{displayName}' is a blob, and nothing authorises this run to write it. Give one of: a SAS in the URL's query " +
                "(permissions read, add, create, write); -JournalAccessToken (for example (Get-AzAccessToken -ResourceUrl https://storage.azure.com/ -AsSecureString).Token); " +
                "or run where a managed identity is available (an Azure Automation account's, through IDENTITY_ENDPOINT and IDENTITY_HEADER) with the role Storage Blob Data Contributor.");
        }

        private static bool HasSignature(string query)
        {
            foreach (string part in query.Split('&'))
                if (part.StartsWith("sig=", StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }

        private static string Plain(SecureString secure)
        {
            IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try
            {
                return Marshal.PtrToStringUni(pointer) ?? string.Empty;
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        /// <summary>The bearer token to send (fetched from the identity endpoint when it is missing or near its end); null for a SAS.</summary>
        internal async Task<string?> BearerAsync(HttpClient http, CancellationToken cancellationToken)
        {
            if (SasQuery != null) return null;
            lock (_gate)
            {
                if (_token != null && DateTimeOffset.UtcNow < _tokenExpires - RefreshBefore) return _token;
            }
            if (_identityEndpoint == null) return _token;

            string separator = _identityEndpoint.IndexOf('?') >= 0 ? "&" : "?";
            var request = new HttpRequestMessage(HttpMethod.Get,
                _identityEndpoint + separator + "resource=" + Uri.EscapeDataString(StorageResource) + "&api-version=2019-08-01");
            request.Headers.TryAddWithoutValidation("X-IDENTITY-HEADER", _identityHeader);
            using (HttpResponseMessage response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false))
            {
                string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                    throw new BlobJournalException((int)response.StatusCode, null,
                        $"the managed identity endpoint refused a token for {StorageResource} (HTTP {(int)response.StatusCode})");
                string? token;
                long expiresOn;
                try
                {
                    using (JsonDocument document = JsonDocument.Parse(body))
                    {
                        token = document.RootElement.TryGetProperty("access_token", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                        expiresOn = document.RootElement.TryGetProperty("expires_on", out JsonElement e) ? ReadSeconds(e) : 0;
                    }
                }
                catch (JsonException)
                {
                    token = null;
                    expiresOn = 0;
                }
                if (string.IsNullOrEmpty(token))
                    throw new BlobJournalException((int)response.StatusCode, null, "the managed identity endpoint's answer held no access_token");
                AddSecret(token!);
                lock (_gate)
                {
                    _token = token;
                    _tokenExpires = expiresOn > 0 ? DateTimeOffset.FromUnixTimeSeconds(expiresOn) : DateTimeOffset.UtcNow.AddMinutes(30);
                }
                return token;
            }
        }

        private static long ReadSeconds(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out long n)) return n;
            if (element.ValueKind == JsonValueKind.String && long.TryParse(element.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long s)) return s;
            return 0;
        }
    }
}
