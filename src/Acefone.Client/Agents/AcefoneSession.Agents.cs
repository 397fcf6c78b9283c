using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>Taking agents off the queue and back (POST /v1/agent/{id}/block and /unblock).</summary>
    public sealed partial class AcefoneSession
    {
        /// <summary>
        /// Blocks or unblocks an agent. Idempotent, so a timeout or dropped connection is resent like a read's
        /// (within the session's retries). Returns the accepted result or throws <see cref="AcefoneException"/>.
        /// </summary>
        public async Task<AgentStateResult> SetAgentStateAsync(AgentStateRequest request, IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var apiRequest = new ApiRequest(HttpMethod.Post, request.ApiPath, null) { Subject = request.Describe(), Idempotent = true };
            (ApiResponse response, StatusEnvelope envelope) = await PostForStatusAsync(apiRequest, observer, cancellationToken).ConfigureAwait(false);
            return new AgentStateResult(request.Change, request.AgentId, request.AgentName, true,
                _pipeline.Secrets.RedactOrNull(envelope.Message), response.StatusCode, DateTime.UtcNow);
        }
    }
}
