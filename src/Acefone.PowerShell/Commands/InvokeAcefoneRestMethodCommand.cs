using System;
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

        /// <summary>Request headers; the session's own (Authorization) and those HTTP sets (Host, Content-Length, ...) are refused.</summary>
        [Parameter]
        public IDictionary? Headers { get; set; }

        /// <summary>A variable (in the caller's scope) set to the answer's HTTP status; $null when no answer arrived.</summary>
        [Parameter]
        [Alias("SCV")]
        [ValidateNotNullOrEmpty]
        public string? StatusCodeVariable { get; set; }

        /// <summary>A variable (in the caller's scope) set to the answer's headers, a dictionary of name to values.</summary>
        [Parameter]
        [Alias("RHV")]
        [ValidateNotNullOrEmpty]
        public string? ResponseHeadersVariable { get; set; }

        /// <summary>Writes the body to this file (as the API sent it) instead of the pipeline.</summary>
        [Parameter(ParameterSetName = OneAnswer)]
        [ValidateNotNullOrEmpty]
        public string? OutFile { get; set; }

        /// <summary>With -OutFile, writes the answer to the pipeline too.</summary>
        [Parameter(ParameterSetName = OneAnswer)]
        public SwitchParameter PassThru { get; set; }

        /// <summary>A 4xx or 5xx answer is written like a 2xx one instead of becoming an error.</summary>
        [Parameter(ParameterSetName = OneAnswer)]
        public SwitchParameter SkipHttpErrorCheck { get; set; }

        protected override void EndProcessing()
        {
            // A variable named here never keeps an earlier call's value when this one gets no answer.
            SetCallerVariable(StatusCodeVariable, null);
            SetCallerVariable(ResponseHeadersVariable, null);

            AcefoneRestRequest request;
            string? outPath;
            try
            {
                request = BuildRequest();
                outPath = ResolveOutFile();
            }
            catch (AcefoneException ex)
            {
                WriteError(ErrorRecords.From(ex, Path));
                return;
            }

            string file = outPath == null ? string.Empty : $", answer written to {outPath}";
            if (!request.IsIdempotent)
            {
                string body = request.BodyText == null ? "no body" : "body " + SecretRedactor.Redact(request.BodyText);
                string query = request.QueryText == null ? string.Empty : " with query " + SecretRedactor.Redact(request.QueryText);
                string headers = request.DescribeHeaders() is string names ? $" with headers {names}" : string.Empty;
                if (!ShouldProcess($"Send {request.Describe()}{query}{headers}, {body}{file}", $"Send {request.Describe()}?", "Invoke-AcefoneRestMethod")) return;
            }
            // A read changes nothing, but a file written does: -WhatIf sends nothing then, and writes nothing.
            else if (outPath != null && !ShouldProcess($"Send {request.Describe()}{file}", $"Write the answer to {outPath}?", "Invoke-AcefoneRestMethod")) return;
            if (request.DescribeHeaders() is string sent) WriteVerbose($"{request.Describe()} with headers {sent} (values not shown).");

            AcefoneSession session = ResolveSession();
            try
            {
                if (All)
                {
                    WritePages(session, request);
                    return;
                }
                // The answer comes back whatever its status, so the variables hold it; the error check follows.
                request.SkipHttpErrorCheck = true;
                AcefoneRestResponse response = Wait(session.InvokeRestAsync(request, Observer, StopToken));
                SetAnswerVariables(response);
                if (!SkipHttpErrorCheck) response.EnsureSuccessStatus();
                else if (!response.IsSuccessStatus) WriteVerbose($"{request.Describe()} answered {response.StatusCode}; written as the answer (-SkipHttpErrorCheck).");
                if (outPath != null)
                {
                    if (!WriteOutFile(outPath, response)) return;
                    if (!PassThru) return;
                }
                WriteAnswer(response);
            }
            catch (AcefoneException ex)
            {
                // A page that failed with an answer: the variables tell its status, not the last good page's.
                if (All && ex.StatusCode.HasValue)
                {
                    SetCallerVariable(StatusCodeVariable, ex.StatusCode.Value);
                    SetCallerVariable(ResponseHeadersVariable, null);
                }
                WriteFailure(ex, Path);
            }
        }

        /// <summary>-OutFile as a file-system path, checked before anything is sent; null without -OutFile.</summary>
        private string? ResolveOutFile()
        {
            if (PassThru && OutFile == null)
                throw new AcefoneException(AcefoneErrorKind.InvalidInput, "-PassThru writes the answer to the pipeline as well as to -OutFile; give -OutFile too. Nothing was sent.");
            if (OutFile == null) return null;
            string path;
            try
            {
                path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile);
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is ProviderNotFoundException || ex is DriveNotFoundException || ex is NotSupportedException || ex is PSInvalidOperationException)
            {
                throw new AcefoneException(AcefoneErrorKind.InvalidInput, $"-OutFile '{OutFile}' is not a file-system path ({ex.Message}). Nothing was sent.");
            }
            if (System.IO.Directory.Exists(path))
                throw new AcefoneException(AcefoneErrorKind.InvalidInput, $"-OutFile '{OutFile}' is a folder; give a file name in it (e.g. {System.IO.Path.Combine(OutFile, "answer.json")}). Nothing was sent.");
            string? folder = System.IO.Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder) && !System.IO.Directory.Exists(folder))
                throw new AcefoneException(AcefoneErrorKind.InvalidInput, $"-OutFile '{OutFile}': the folder '{folder}' does not exist. Nothing was sent.");
            return path;
        }

        /// <summary>The body exactly as the API sent it; false (with an error) when the file cannot be written.</summary>
        private bool WriteOutFile(string path, AcefoneRestResponse response)
        {
            try
            {
                System.IO.File.WriteAllBytes(path, response.Body);
                WriteVerbose($"Wrote {response.Body.Length} bytes to {path}.");
                return true;
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException || ex is System.Security.SecurityException)
            {
                WriteError(new ErrorRecord(ex, "OutFileNotWritten", ErrorCategory.WriteError, path)
                {
                    ErrorDetails = new ErrorDetails($"The answer ({response.StatusCode}) arrived but could not be written to '{path}': {ex.Message} The request is not sent again by this error; re-run it to read the answer again."),
                });
                return false;
            }
        }

        private void SetAnswerVariables(AcefoneRestResponse response)
        {
            SetCallerVariable(StatusCodeVariable, response.StatusCode);
            if (ResponseHeadersVariable == null) return;
            // As Invoke-RestMethod's: name to values, names in any case.
            var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, string[]> header in response.Headers) headers[header.Key] = header.Value;
            SetCallerVariable(ResponseHeadersVariable, headers);
        }

        /// <summary>From a cmdlet, SessionState.PSVariable sets the variable in the caller's scope.</summary>
        private void SetCallerVariable(string? name, object? value)
        {
            if (name != null) SessionState.PSVariable.Set(name, value);
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
            if (Headers != null)
            {
                foreach (DictionaryEntry entry in Headers)
                {
                    object? key = entry.Key is PSObject wrappedKey ? wrappedKey.BaseObject : entry.Key;
                    string name = key?.ToString() ?? string.Empty;
                    object? value = entry.Value is PSObject wrappedValue ? wrappedValue.BaseObject : entry.Value;
                    if (value is IEnumerable values && !(value is string))
                    {
                        foreach (object? item in values) request.AddHeader(name, HeaderText(item));
                    }
                    else
                    {
                        request.AddHeader(name, HeaderText(value));
                    }
                }
            }
            object? body = Body is PSObject psBody && !(psBody.BaseObject is PSCustomObject) ? psBody.BaseObject : Body;
            if (body is string text) request.SetTextBody(text);
            else if (body != null) request.SetJsonBody(PlainValues.FromPowerShell(Body));
            return request;
        }

        private static string? HeaderText(object? value)
        {
            object? plain = value is PSObject wrapped ? wrapped.BaseObject : value;
            return plain is IFormattable formattable ? formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture) : plain?.ToString();
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
                if (page.Response != null) SetAnswerVariables(page.Response);
                foreach (object? item in page.Items) WriteObject(PlainValues.ToPowerShell(item));
                if (page.Style != RestPagingStyle.None) WriteVerbose($"Page {page.Number} ({page.Style} paging): {page.Items.Count} items.");
                if (page.Warning != null) WriteWarning(page.Warning);
                if (page.IsLast) return;
            }
        }
    }
}
