using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>
    /// Sends any API request with the session's auth, token refresh, rate limiter, retries and redaction, and writes
    /// the answer as Invoke-RestMethod does: JSON as PSCustomObjects (a top-level array unrolled), other text as text.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AcefoneRestMethod", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = OneAnswer)]
    [OutputType(typeof(PSObject), typeof(string))]
    public sealed class InvokeAcefoneRestMethodCommand : AcefoneCmdlet
    {
        private const string OneAnswer = "OneAnswer";
        private const string EveryPage = "EveryPage";

        /// <summary>Relative to the session's base URI, e.g. /v1/users. Absolute URLs are refused.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RestPathCompleter))]
        public string Path { get; set; } = string.Empty;

        [Parameter]
        [ValidateSet("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", IgnoreCase = true)]
        public string Method { get; set; } = "GET";

        [Parameter]
        public IDictionary? Query { get; set; }

        /// <summary>An object or hashtable (sent as JSON), or a string (sent as is).</summary>
        [Parameter]
        public object? Body { get; set; }

        [Parameter(ParameterSetName = OneAnswer)]
        public SwitchParameter Raw { get; set; }

        [Parameter(ParameterSetName = EveryPage)]
        public SwitchParameter All { get; set; }

        protected override void EndProcessing()
        {
            AcefoneRestRequest request;
            try
            {
                request = BuildRequest();
            }
            catch (AcefoneException ex)
            {
                WriteError(ErrorRecords.From(ex, Path));
                return;
            }

            if (!request.IsIdempotent)
            {
                string body = request.BodyText == null ? "no body" : "body " + SecretRedactor.Redact(request.BodyText);
                string query = request.QueryText == null ? string.Empty : " with query " + SecretRedactor.Redact(request.QueryText);
                if (!ShouldProcess($"Send {request.Describe()}{query}, {body}", $"Send {request.Describe()}?", "Invoke-AcefoneRestMethod")) return;
            }

            AcefoneSession session = ResolveSession();
            try
            {
                if (All) WritePages(session, request);
                else WriteAnswer(Wait(session.InvokeRestAsync(request, Observer, StopToken)));
            }
            catch (AcefoneException ex)
            {
                WriteFailure(ex, Path);
            }
        }

        private AcefoneRestRequest BuildRequest()
        {
            var request = new AcefoneRestRequest(Method, Path);
            if (Query != null)
            {
                foreach (DictionaryEntry entry in Query)
                {
                    object? key = entry.Key is PSObject wrapped ? wrapped.BaseObject : entry.Key;
                    request.Query.Add(new KeyValuePair<string, object?>(key?.ToString() ?? string.Empty, PlainValues.FromPowerShell(entry.Value)));
                }
            }
            object? body = Body is PSObject psBody && !(psBody.BaseObject is PSCustomObject) ? psBody.BaseObject : Body;
            if (body is string text) request.SetTextBody(text);
            else if (body != null) request.SetJsonBody(PlainValues.FromPowerShell(Body));
            return request;
        }

        private void WriteAnswer(AcefoneRestResponse response)
        {
            if (Raw)
            {
                WriteObject(response.Text);
                return;
            }
            if (response.IsEmpty) return;
            if (!response.IsJson)
            {
                WriteObject(response.Text);
                return;
            }
            object? json;
            try
            {
                json = response.ReadJson();
            }
            catch (AcefoneException ex)
            {
                // As Invoke-RestMethod does: an answer that says JSON but is not is written as text.
                WriteVerbose(ex.Message + " Written as text.");
                WriteObject(response.Text);
                return;
            }
            object? value = PlainValues.ToPowerShell(json);
            WriteObject(value, enumerateCollection: value is object?[]);
        }

        private void WritePages(AcefoneSession session, AcefoneRestRequest request)
        {
            AcefoneRestPager pager = session.Page(request);
            while (true)
            {
                AcefoneRestPage? page = Wait(pager.NextAsync(Observer, StopToken));
                if (page == null) return;
                foreach (object? item in page.Items) WriteObject(PlainValues.ToPowerShell(item));
                if (page.Style != RestPagingStyle.None) WriteVerbose($"Page {page.Number} ({page.Style} paging): {page.Items.Count} items.");
                if (page.Warning != null) WriteWarning(page.Warning);
                if (page.IsLast) return;
            }
        }
    }
}
