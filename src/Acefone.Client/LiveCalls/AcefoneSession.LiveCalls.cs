using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>Live calls: what is ringing or talking now, the calls a supervisor can act on.</summary>
    public sealed partial class AcefoneSession
    {
        /// <summary>GET /v1/live_calls with the given filters (URL-encoded). An empty list when nothing is live.</summary>
        public async Task<AcefoneLiveCallList> GetLiveCallsAsync(LiveCallFilter? filter = null, IAcefoneRequestObserver? observer = null, CancellationToken cancellationToken = default)
        {
            var query = new QueryBuilder();
            if (filter != null)
            {
                query.Add("agent_number", filter.AgentNumber);
                query.Add("extension", filter.Extension);
                query.Add("did_number", filter.DidNumber);
                query.Add("call_id", filter.CallId);
            }
            const string subject = "List live calls (GET /v1/live_calls)";
            AcefoneLiveCallList calls = await GetJsonAsync("v1/live_calls", query.Text, subject, LiveCallJson.ReadLiveCalls, observer, cancellationToken).ConfigureAwait(false);
            if (calls.Skipped.Count == 0) return calls;
            var skipped = new List<AcefoneException>(calls.Skipped.Count);
            foreach (AcefoneException problem in calls.Skipped)
            {
                skipped.Add(_pipeline.Secrets.Scrub(new AcefoneException(problem.Kind, $"{subject}: {problem.Message} The other calls were listed.")
                {
                    StatusCode = 200,
                    ResponseBody = problem.ResponseBody,
                    Request = "GET /v1/live_calls",
                }));
            }
            return new AcefoneLiveCallList(new List<AcefoneLiveCall>(calls), skipped);
        }
    }
}
