using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>Call actions: the call options (monitor, whisper, barge, transfer) and hangup, each sent once and never resent.</summary>
    public sealed partial class AcefoneSession
    {
        /// <summary>POST /v1/call/options. Returns the accepted result or throws <see cref="AcefoneException"/>.</summary>
        public async Task<CallOptionResult> InvokeCallOptionAsync(CallOptionRequest request, IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            ThrowIfClosed();
            var apiRequest = new ApiRequest(HttpMethod.Post, request.ApiPath, request.Json)
            {
                Subject = request.Describe(),
                Operation = request.Operation,
                CallId = request.CallId,
            };
            ApiResponse response = await _pipeline.SendAsync(apiRequest, observer, cancellationToken).ConfigureAwait(false);
            StatusEnvelope envelope = ReadEnvelope(apiRequest, response);
            return new CallOptionResult(request.Operation, request.CallId, request.AgentId, request.IntercomText,
                true, _pipeline.Secrets.RedactOrNull(envelope.Message), response.StatusCode, DateTime.UtcNow)
            {
                // The body's request_id; else the X-Request-Id header, which gateways add.
                RequestId = _pipeline.Secrets.RedactOrNull(envelope.RequestId ?? response.RequestIdHeader),
            };
        }

        /// <summary>The JSON body a call action would send, for -WhatIf and logs.</summary>
        public static string PreviewBody(CallActionRequest request) =>
            System.Text.Encoding.UTF8.GetString((request ?? throw new ArgumentNullException(nameof(request))).Json);

        /// <summary>POST /v1/call/hangup. Returns the accepted result or throws <see cref="AcefoneException"/> (CallNotActive when the call has ended).</summary>
        public async Task<CallHangupResult> HangupCallAsync(CallHangupRequest request, IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var apiRequest = new ApiRequest(HttpMethod.Post, request.ApiPath, request.Json)
            {
                Subject = request.Describe(),
                CallId = request.CallId,
            };
            (ApiResponse response, StatusEnvelope envelope) = await PostForStatusAsync(apiRequest, observer, cancellationToken).ConfigureAwait(false);
            return new CallHangupResult(request.CallId, true, _pipeline.Secrets.RedactOrNull(envelope.Message), response.StatusCode, DateTime.UtcNow)
            {
                // The body's request_id; else the X-Request-Id header, which gateways add.
                RequestId = _pipeline.Secrets.RedactOrNull(envelope.RequestId ?? response.RequestIdHeader),
            };
        }
    }
}
