using System;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>The escape hatch: any API path, with the session's auth, token refresh, rate limiter, retries and redaction.</summary>
    public sealed partial class AcefoneSession
    {
        /// <summary>
        /// Sends <paramref name="request"/> to the session's host and returns a 2xx answer; anything else is an
        /// <see cref="AcefoneException"/> carrying the HTTP status (returned as it came with
        /// <see cref="AcefoneRestRequest.SkipHttpErrorCheck"/>). GET and HEAD are resent after transient failures;
        /// other methods only when the API surely did not process them (429, 503, a refused connection, a 401 a
        /// fresh token cured), never after an ambiguous failure (OutcomeUnknown).
        /// </summary>
        public async Task<AcefoneRestResponse> InvokeRestAsync(AcefoneRestRequest request, IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            ThrowIfClosed();
            var apiRequest = new ApiRequest(request.HttpMethod, request.RelativePath, request.Body, request.QueryText)
            {
                Idempotent = request.IsIdempotent,
                Headers = request.Headers.Count == 0 ? null : request.Headers,
                KeepsResponseHeaders = true,
            };
            ApiResponse response = await _pipeline.SendAsync(apiRequest, observer, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatus && !request.SkipHttpErrorCheck) throw ResponseErrors.ForStatus(apiRequest, response);
            return new AcefoneRestResponse(response.StatusCode, response.ContentType, response.Body, response.Length, response.Headers,
                () => ResponseErrors.ForStatus(apiRequest, response));
        }

        /// <summary>Follows a list endpoint's paging (cursor or page style) from <paramref name="request"/>, one page per call of <see cref="AcefoneRestPager.NextAsync"/>.</summary>
        public AcefoneRestPager Page(AcefoneRestRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            return new AcefoneRestPager(this, request);
        }
    }
}
