using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// Streams a recording to disk under a temporary name (".partial"), renamed once complete, so a file with its
    /// final name is always whole and a re-run resumes a large export: complete files are skipped, a partial one
    /// continues with a Range request where the host supports it. Memory stays bounded whatever the file's size.
    /// Whole means: a partial file is continued only under the validator (ETag or Last-Modified) it was started with,
    /// sent as If-Range, so a file that changed meanwhile starts over instead of being stitched from two versions; the
    /// final length must be what the host declared (Content-Range total or Content-Length); without a declared length
    /// only a body that ended cleanly (the chunked terminator, or HTTP/2's end of stream) is complete.
    /// </summary>
    internal static class RecordingDownloader
    {
        internal const string PartialSuffix = ".partial";
        /// <summary>Beside a partial file: the validator its bytes came under (a strong ETag or a Last-Modified date, as sent).</summary>
        internal const string ValidatorSuffix = ".partial.validator";
        private const int MaxRedirects = 3;
        // Large reads keep the per-chunk cost (timeout restart, progress count, file write) small against the bytes moved.
        private const int BufferSize = 256 * 1024;

        internal static async Task<RecordingDownloadResult> DownloadAsync(AuthorizedSender pipeline, RecordingDownloadRequest request, Action<long>? onBytes,
            IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            Uri url = request.Url;
            string shown = url.IsAbsoluteUri ? RecordingLinks.Redact(url) : SecretRedactor.Mask;
            string subject = $"Download the recording of call '{InputRules.Display(request.CallId, 60)}' ({shown})";
            if (!url.IsAbsoluteUri || !(url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp))
                throw Refused(request, subject, "the link is not an http or https URL.");
            if (url.Scheme == Uri.UriSchemeHttp && !TransportPolicy.IsLoopbackHost(url.Host))
                throw Refused(request, subject, "the link uses plain http to a host that is not loopback; its own token would cross the network unencrypted.");
            if (!string.IsNullOrEmpty(url.UserInfo))
                throw Refused(request, subject, "the link carries a user name or password.");
            if (!Directory.Exists(request.Destination))
                throw Refused(request, subject, $"the destination folder '{request.Destination}' does not exist.");

            string baseName = RecordingLinks.FileBaseName(request.CallId, request.StartedAt);
            string basePath = Path.Combine(request.Destination, baseName);
            string partial = basePath + PartialSuffix;
            if (request.Force)
            {
                StartOver(partial);
            }
            else
            {
                foreach (string extension in RecordingLinks.Extensions)
                {
                    if (File.Exists(basePath + extension))
                        return new RecordingDownloadResult(basePath + extension, new FileInfo(basePath + extension).Length, true, false, null, false);
                }
            }

            var secrets = new List<string>(RecordingLinks.QuerySecrets(url));
            bool restartedAfter416 = false;
            for (int hop = 0; ; hop++)
            {
                bool sendToken = RecordingLinks.ShouldSendToken(url, pipeline.BaseUri, request.TokenHosts);
                string shownHop = RecordingLinks.Redact(url);
                (ApiRequest apiRequest, ApiResponse answer, string? contentType, long written, bool resumed) =
                    await SendOnceAsync(pipeline, request, url, shownHop, subject, partial, sendToken, secrets.ToArray(), onBytes, observer, cancellationToken).ConfigureAwait(false);
                int status = answer.StatusCode;
                // The partial file is longer than the recording is now (it changed): once, start over.
                if (status == 416 && !restartedAfter416 && File.Exists(partial))
                {
                    observer?.OnDebug($"{subject}: the host cannot continue the partial file (416); starting over.");
                    StartOver(partial);
                    restartedAfter416 = true;
                    hop--;
                    continue;
                }
                Uri? next = null;
                if (status >= 300 && status < 400 && answer.Location != null && Uri.TryCreate(url, answer.Location, out next))
                    secrets.AddRange(RecordingLinks.QuerySecrets(next));
                // A console link may point on to storage (a signed URL): follow a few hops, each judged on its own host.
                if (next != null && hop < MaxRedirects && (next.Scheme == Uri.UriSchemeHttps || (next.Scheme == Uri.UriSchemeHttp && TransportPolicy.IsLoopbackHost(next.Host))))
                {
                    observer?.OnDebug($"{subject}: redirected ({status}) to {RecordingLinks.Redact(next)}" + (RecordingLinks.ShouldSendToken(next, pipeline.BaseUri, request.TokenHosts) ? "." : "; that host gets no token."));
                    url = next;
                    continue;
                }
                return Finish(apiRequest, answer, url, sendToken, secrets.ToArray(), basePath, partial, contentType, written, resumed);
            }
        }

        private static async Task<(ApiRequest, ApiResponse, string?, long, bool)> SendOnceAsync(AuthorizedSender pipeline, RecordingDownloadRequest request, Uri url, string shown,
            string subject, string partial, bool sendToken, string[] secrets, Action<long>? onBytes, IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            bool resumed = false;
            string? contentType = null;
            long written = 0;
            string validatorPath = partial + ValidatorSuffix.Substring(PartialSuffix.Length);
            string? askedUnder = null;
            var apiRequest = new ApiRequest(HttpMethod.Get, string.Empty)
            {
                AbsoluteUri = url,
                DisplayTarget = shown,
                Subject = subject,
                CallId = request.CallId,
                Idempotent = true,
                Auth = sendToken ? RequestAuth.Session : RequestAuth.None,
                ConfigureMessage = message =>
                {
                    message.Headers.Accept.Clear();
                    message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
                    long have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
                    askedUnder = have > 0 ? ReadValidator(validatorPath) : null;
                    // No validator, no resume: without one a changed file could not be told from the one on disk.
                    if (askedUnder == null) return;
                    message.Headers.Range = new RangeHeaderValue(have, null);
                    message.Headers.TryAddWithoutValidation("If-Range", askedUnder);
                },
                ResponseSink = async (response, body, keepAlive, token) =>
                {
                    long have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
                    ContentRangeHeaderValue? range = response.Content.Headers.ContentRange;
                    string? validator = ValidatorOf(response);
                    // Append only when the host continued exactly where the file ends, under the validator the file was
                    // started with, and said the whole length; any other 206 starts over.
                    bool append = (int)response.StatusCode == 206 && range != null && range.HasRange && range.From == have && have > 0 && range.HasLength &&
                                  askedUnder != null && string.Equals(validator, askedUnder, StringComparison.Ordinal);
                    if ((int)response.StatusCode == 206 && !append)
                    {
                        StartOver(partial);
                        if (askedUnder == null)
                            throw new AcefoneException(AcefoneErrorKind.InvalidResponse, $"the host answered a range this download did not ask for ({range}).");
                        throw new IOException($"the host answered a range that cannot continue the partial file ({range?.ToString() ?? "no Content-Range"}{(validator != askedUnder ? ", another version of the file" : string.Empty)}); starting over");
                    }
                    resumed |= append;
                    contentType = response.Content.Headers.ContentType?.MediaType;
                    if (!append)
                    {
                        // A fresh start: remember what these bytes are a version of, before the first byte is written.
                        if (validator != null) File.WriteAllText(validatorPath, validator);
                        else if (File.Exists(validatorPath)) File.Delete(validatorPath);
                    }
                    // Synchronous file handle, no FileStream buffer: each network read is written once, straight through.
                    using (var file = new FileStream(partial, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1, useAsync: false))
                    {
                        written = append ? have : 0;
                        var buffer = new byte[BufferSize];
                        while (true)
                        {
                            int read = await body.ReadAsync(buffer, 0, buffer.Length, token).ConfigureAwait(false);
                            if (read == 0) break;
                            file.Write(buffer, 0, read);
                            written += read;
                            onBytes?.Invoke(read);
                            keepAlive();
                        }
                        file.Flush();
                    }
                    long? expected = append ? range!.Length : response.Content.Headers.ContentLength;
                    if (expected.HasValue && written > expected.Value)
                    {
                        StartOver(partial);
                        throw new IOException($"the body ran to {written} bytes, past the {expected.Value} the host declared; starting over");
                    }
                    if (expected.HasValue && written != expected.Value)
                        throw new IOException($"the body ended after {written} of {expected.Value} bytes");
                    if (!expected.HasValue && response.Headers.TransferEncodingChunked != true && response.Version.Major < 2)
                        throw new AcefoneException(AcefoneErrorKind.InvalidResponse,
                            $"the host declared no length and ended the body by closing the connection, so whether the {written} bytes are the whole file cannot be told; it stays '{Path.GetFileName(partial)}'.");
                },
            };

            try
            {
                ApiResponse answer = await pipeline.SendAsync(apiRequest, observer, cancellationToken).ConfigureAwait(false);
                return (apiRequest, answer, contentType, written, resumed);
            }
            catch (AcefoneException ex)
            {
                throw Redacted(ex, secrets, null);
            }
        }

        private static RecordingDownloadResult Finish(ApiRequest apiRequest, ApiResponse answer, Uri url, bool sendToken, string[] secrets, string basePath,
            string partial, string? contentType, long written, bool resumed)
        {
            int status = answer.StatusCode;
            if (status == 404 || status == 410)
            {
                throw Redacted(ResponseErrors.Create(apiRequest, answer, AcefoneErrorKind.NotFound,
                    $"the recording is not there ({status}): the plan's retention (3 to 12 months) may have removed it.", ResponseJson.TryReadMessage(answer.Body, answer.Length)), secrets, null);
            }
            if ((status == 401 || status == 403) && !sendToken)
            {
                string host = url.IsDefaultPort ? url.Host : url.Host + ":" + url.Port;
                throw Redacted(ResponseErrors.Create(apiRequest, answer, status == 401 ? AcefoneErrorKind.AuthenticationFailed : AcefoneErrorKind.Forbidden,
                    $"the host refused the link ({status}). It got no Authorization header, because it is not the session's API host; if it needs the session's token, name it with -TokenHost '{host}'.",
                    ResponseJson.TryReadMessage(answer.Body, answer.Length)), secrets, null);
            }
            if (!answer.IsSuccessStatus) throw Redacted(ResponseErrors.ForStatus(apiRequest, answer), secrets, null);

            string final = basePath + RecordingLinks.ExtensionFor(contentType);
            if (File.Exists(final)) File.Delete(final);
            File.Move(partial, final);
            DeleteValidator(partial);
            return new RecordingDownloadResult(final, written, false, resumed, contentType, sendToken);
        }

        /// <summary>A strong ETag, else Last-Modified, as the host sent it; null when it sent neither (a weak ETag cannot be an If-Range).</summary>
        internal static string? ValidatorOf(HttpResponseMessage response)
        {
            EntityTagHeaderValue? tag = response.Headers.ETag;
            if (tag != null && !tag.IsWeak) return tag.ToString();
            return response.Content.Headers.TryGetValues("Last-Modified", out IEnumerable<string>? dates) ? string.Join(",", dates).Trim() : null;
        }

        private static string? ReadValidator(string path)
        {
            if (!File.Exists(path)) return null;
            string text = File.ReadAllText(path).Trim();
            return text.Length == 0 || text.IndexOfAny(new[] { '\r', '\n' }) >= 0 ? null : text;
        }

        private static void StartOver(string partial)
        {
            if (File.Exists(partial)) File.Delete(partial);
            DeleteValidator(partial);
        }

        private static void DeleteValidator(string partial)
        {
            string validator = partial + ValidatorSuffix.Substring(PartialSuffix.Length);
            if (File.Exists(validator)) File.Delete(validator);
        }

        private static AcefoneException Refused(RecordingDownloadRequest request, string subject, string reason) =>
            new AcefoneException(AcefoneErrorKind.InvalidInput, $"{subject}: {reason} Nothing was sent.") { CallId = request.CallId };

        /// <summary>The link's own token may be echoed anywhere in a message or body (a redirect's Location, an error page): mask it.</summary>
        private static AcefoneException Redacted(AcefoneException ex, string[] secrets, string? shown)
        {
            string Clean(string? text) => SecretRedactor.Redact(text, secrets);
            return new AcefoneException(ex.Kind, Clean(ex.Message), ex.InnerException == null ? null : new IOException(Clean(ex.InnerException.Message)))
            {
                CallId = ex.CallId,
                StatusCode = ex.StatusCode,
                ServerMessage = ex.ServerMessage == null ? null : Clean(ex.ServerMessage),
                ResponseBody = ex.ResponseBody == null ? null : Clean(ex.ResponseBody),
                Attempts = ex.Attempts,
                Request = ex.Request == null ? null : Clean(ex.Request),
            };
        }
    }
}
