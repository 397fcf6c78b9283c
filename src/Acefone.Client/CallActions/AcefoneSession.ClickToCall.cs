using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>Placing a call (POST /v1/click_to_call).</summary>
    public sealed partial class AcefoneSession
    {
        /// <summary>
        /// POST /v1/click_to_call. Returns the accepted result or throws <see cref="AcefoneException"/>. Never resent after
        /// an ambiguous failure: a second originate rings the customer twice.
        /// </summary>
        public async Task<ClickToCallResult> PlaceCallAsync(ClickToCallRequest request, IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var apiRequest = new ApiRequest(HttpMethod.Post, request.ApiPath, request.Json) { Subject = request.Describe() };
            DateTime requestedAt = DateTime.UtcNow;
            (ApiResponse response, StatusEnvelope envelope) = await PostForStatusAsync(apiRequest, observer, cancellationToken).ConfigureAwait(false);
            return new ClickToCallResult(request.AgentNumber, request.DestinationNumber, request.CallerId, request.CustomIdentifier,
                ReadRefId(response), true, _pipeline.Secrets.RedactOrNull(envelope.Message), response.StatusCode, requestedAt, DateTime.UtcNow)
            {
                RequestId = _pipeline.Secrets.RedactOrNull(envelope.RequestId),
            };
        }

        /// <summary>ref_id as text when the accepted answer has one (top level or under data); never an error.</summary>
        private static string? ReadRefId(ApiResponse response)
        {
            try
            {
                using (JsonDocument document = ResponseJson.Parse(response.Body, response.Length))
                {
                    JsonElement root = document.RootElement;
                    string? refId = ResponseJson.ReadText(root, "ref_id");
                    if (refId == null && ResponseJson.TryGetProperty(root, "data", out JsonElement data) && data.ValueKind == JsonValueKind.Object)
                        refId = ResponseJson.ReadText(data, "ref_id");
                    return refId;
                }
            }
            catch (AcefoneException)
            {
                return null;
            }
        }
    }
}
