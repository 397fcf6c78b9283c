using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>
    /// Turns webhook deliveries into typed events that pipe into the call operations by -CallId. Takes a body (JSON or
    /// form-encoded), Azure Automation's $WebhookData (its RequestBody), or fields already parsed. A delivery seen before
    /// (in this run, or in -SeenListPath) is skipped with a warning, so a runbook started twice by one delivery acts once.
    /// </summary>
    [Cmdlet(VerbsData.ConvertFrom, "AcefoneWebhook")]
    [OutputType(typeof(AcefoneWebhookEvent))]
    public sealed class ConvertFromAcefoneWebhookCommand : AcefoneEngineCmdlet
    {
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private string? _seenListPath;
        private bool _whatIf;

        /// <summary>A body (string), $WebhookData (an object with RequestBody), or a hashtable or object of the fields.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [AllowEmptyString]
        [AllowNull]
        public object? InputObject { get; set; }

        /// <summary>The fields (uuid, call_status) or event properties (CallId) whose values identify a delivery; default: every field.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(WebhookFieldCompleter))]
        public string[]? DeduplicateBy { get; set; }

        /// <summary>A file of the deliveries already acted on; one seen before is skipped. Created when missing.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SeenListPath { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _whatIf = IsSwitchOn("WhatIf", "WhatIfPreference", LanguagePrimitives.IsTrue);
            if (SeenListPath != null) _seenListPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(SeenListPath);
        }

        protected override void ProcessRecord()
        {
            IReadOnlyList<AcefoneWebhookEvent> events;
            try
            {
                events = Read(InputObject);
            }
            catch (FormatException ex)
            {
                WriteError(new ErrorRecord(ex, "WebhookNotRecognized", ErrorCategory.InvalidData, InputObject)
                {
                    ErrorDetails = new ErrorDetails(ex.Message)
                    {
                        RecommendedAction = ex is WebhookKeyException
                            ? "Name in -DeduplicateBy a field every delivery has, or an event property such as CallId or Uuid."
                            : "Pass the delivery's body, or $WebhookData as Azure Automation gives it.",
                    },
                });
                return;
            }
            foreach (AcefoneWebhookEvent e in events)
            {
                if (!_seen.Add(e.DeliveryKey))
                {
                    WriteWarning($"Webhook {e} was delivered again (key {e.DeliveryKey}); the repeat is skipped.");
                    continue;
                }
                if (_seenListPath != null && !IsNew(e)) continue;
                WriteObject(e);
            }
        }

        private bool IsNew(AcefoneWebhookEvent e)
        {
            bool added;
            try
            {
                added = WebhookSeenList.TryAdd(_seenListPath!, e.DeliveryKey, readOnly: _whatIf);
            }
            catch (RunJournalException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.WriteError, _seenListPath));
                throw;
            }
            if (!added) WriteWarning($"Webhook {e} is in the seen list '{_seenListPath}' (key {e.DeliveryKey}): an earlier run acted on this delivery; it is skipped.");
            return added;
        }

        private IReadOnlyList<AcefoneWebhookEvent> Read(object? input)
        {
            object? value = input is PSObject wrapped ? wrapped.BaseObject : input;
            switch (value)
            {
                case null:
                    throw new FormatException("The webhook input is empty: there is no event in it.");
                case string text:
                    return ReadText(text);
                case IDictionary dictionary:
                {
                    object? requestBody = dictionary.Contains("RequestBody") ? dictionary["RequestBody"] : null;
                    if (requestBody != null) return Read(requestBody);
                    return new[] { WebhookReader.FromFields(Fields(dictionary), DeduplicateBy) };
                }
                case PSCustomObject _:
                {
                    var psObject = (PSObject)input!;
                    PSPropertyInfo? body = psObject.Properties["RequestBody"];
                    if (body != null) return Read(body.Value);
                    return new[] { WebhookReader.FromFields(Fields(psObject), DeduplicateBy) };
                }
                default:
                    throw new FormatException($"A {value.GetType().Name} is not a webhook delivery: pass the body as text, $WebhookData, or a hashtable of its fields.");
            }
        }

        /// <summary>A body, or $WebhookData serialised as JSON (as the Automation test pane passes it): its RequestBody is the body.</summary>
        private IReadOnlyList<AcefoneWebhookEvent> ReadText(string text)
        {
            string trimmed = text.Trim();
            if (trimmed.StartsWith("{", StringComparison.Ordinal) && trimmed.IndexOf("\"RequestBody\"", StringComparison.OrdinalIgnoreCase) > 0)
            {
                try
                {
                    using (var document = System.Text.Json.JsonDocument.Parse(trimmed))
                    {
                        foreach (var property in document.RootElement.EnumerateObject())
                        {
                            if (!string.Equals(property.Name, "RequestBody", StringComparison.OrdinalIgnoreCase)) continue;
                            return property.Value.ValueKind == System.Text.Json.JsonValueKind.String
                                ? WebhookReader.Read(property.Value.GetString(), DeduplicateBy)
                                : WebhookReader.Read(property.Value.GetRawText(), DeduplicateBy);
                        }
                    }
                }
                catch (System.Text.Json.JsonException)
                {
                    // Not $WebhookData: read as a body below, which names the problem.
                }
            }
            return WebhookReader.Read(text, DeduplicateBy);
        }

        private static IEnumerable<KeyValuePair<string, object?>> Fields(IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
                yield return new KeyValuePair<string, object?>(entry.Key?.ToString() ?? string.Empty, Plain(entry.Value));
        }

        private static IEnumerable<KeyValuePair<string, object?>> Fields(PSObject psObject) =>
            psObject.Properties.Where(p => p.IsGettable).Select(p => new KeyValuePair<string, object?>(p.Name, Plain(p.Value))).ToList();

        /// <summary>PowerShell values as the reader's plain ones: nested objects become dictionaries, lists arrays.</summary>
        private static object? Plain(object? value)
        {
            object? inner = value is PSObject wrapped ? wrapped.BaseObject : value;
            switch (inner)
            {
                case null: return null;
                case string s: return s;
                case IDictionary dictionary:
                    return Fields(dictionary).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
                case PSCustomObject _:
                    return Fields((PSObject)value!).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
                case IEnumerable items:
                    return items.Cast<object?>().Select(Plain).ToArray();
                default: return inner;
            }
        }
    }
}
