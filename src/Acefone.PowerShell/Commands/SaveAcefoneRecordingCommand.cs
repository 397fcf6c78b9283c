using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>
    /// Downloads the recordings of call records (from Get-AcefoneCallRecord, or a CSV of them) into a folder, streaming
    /// each to a temporary name renamed when complete. The session's token goes only to the session's API host and to
    /// -TokenHost; the link's own query token is never shown or put in a file name.
    /// </summary>
    [Cmdlet(VerbsData.Save, "AcefoneRecording", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveAcefoneRecordingCommand : AcefoneCmdlet
    {
        internal const string RecordingNotFound = "RecordingNotFound";

        private sealed class Pending
        {
            internal Pending(object? input, string callId, Task<RecordingDownloadResult> task)
            {
                Input = input;
                CallId = callId;
                Task = task;
            }

            internal object? Input { get; }
            internal string CallId { get; }
            internal Task<RecordingDownloadResult> Task { get; }
        }

        private OrderedWorkQueue<Pending>? _queue;
        // The file names of this run: the same record piped twice must not write one file from two downloads.
        private readonly HashSet<string> _names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private AcefoneSession? _session;
        private ProgressReporter? _progress;
        private string? _destination;
        private long _bytes;
        private long _files;
        private long _skipped;
        private long _failed;
        private long _noRecording;

        /// <summary>The recording link (a record's RecordingUrl).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("RecordingUrl", "recording_url")]
        [AllowNull]
        [AllowEmptyString]
        public string? Url { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("call_id")]
        [ValidateNotNullOrEmpty]
        public string CallId { get; set; } = string.Empty;

        /// <summary>The call's start, for the file name.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public DateTimeOffset? StartedAt { get; set; }

        /// <summary>The folder; created when missing. Default: the current folder.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Destination { get; set; }

        /// <summary>Hosts besides the session's API host that get the session's token ("host" or "host:port").</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? TokenHost { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        [ValidateRange(1, 16)]
        public int ThrottleLimit { get; set; } = 2;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _destination = SessionState.Path.GetUnresolvedProviderPathFromPSPath(string.IsNullOrEmpty(Destination) ? "." : Destination);
            bool show = ProgressReporter.ShouldShow(SessionState.PSVariable.GetValue("ProgressPreference"), Host?.Name, Environment.GetCommandLineArgs());
            _progress = show ? new ProgressReporter(this, "Save-AcefoneRecording", true) : ProgressReporter.Disabled(this);
            // Downloads overlap at any -ThrottleLimit: no WaitIfSequential, nothing waits on a person between files.
            _queue = new OrderedWorkQueue<Pending>(ThrottleLimit, pending => pending.Task, WaitAny);
        }

        protected override void ProcessRecord()
        {
            // The call id is the row's identity in errors (TargetObject), for piped records and CSV rows alike.
            object? input = CallId;
            if (string.IsNullOrWhiteSpace(Url))
            {
                _noRecording++;
                WriteNote($"Call {CallId} has no recording; skipped.", "Skipped");
                return;
            }
            if (!Uri.TryCreate(Url!.Trim(), UriKind.Absolute, out Uri? url))
            {
                var error = new AcefoneException(AcefoneErrorKind.InvalidInput, $"The recording link of call '{CallId}' is not an absolute URL; nothing was sent.")
                {
                    CallId = CallId,
                    RecommendedAction = "Give the record's full link (RecordingUrl as Get-AcefoneCallRecord writes it, https://...), not a path or a file name; a CSV edited by hand may have cut it.",
                };
                WriteError(ErrorRecords.From(error, input));
                return;
            }
            if (!_names.Add(RecordingLinks.FileBaseName(CallId, StartedAt)))
            {
                WriteNote($"Call {CallId} was already given in this run; skipped.", "Skipped");
                return;
            }
            string shown = RecordingLinks.Redact(url);
            if (!ShouldProcess($"Download the recording of call {CallId} from {shown} into {_destination}", $"Download the recording of call {CallId}?", "Save-AcefoneRecording"))
                return;
            if (!Directory.Exists(_destination)) Directory.CreateDirectory(_destination!);
            _session ??= ResolveSession();

            while (!_queue!.WaitForRoom()) WriteFinished();
            var request = new RecordingDownloadRequest(url, CallId, StartedAt, _destination!) { Force = Force, TokenHosts = TokenHost };
            Task<RecordingDownloadResult> task = _session.DownloadRecordingAsync(request, read => Interlocked.Add(ref _bytes, read), Observer, StopToken);
            _queue.Add(new Pending(input, CallId, task));
            WriteFinished();
        }

        protected override void EndProcessing()
        {
            while (_queue != null && _queue.WaitForFirst()) WriteFinished();
            _progress?.Complete();
            FlushLog();
            // As the call operations write theirs: a line for more than one row, at the information level.
            if (_files + _skipped + _failed + _noRecording > 1)
                WriteNote($"Save-AcefoneRecording: {_files} downloaded, {_skipped} already complete, {_noRecording} without a recording, {_failed} failed, " +
                    Counted.Of(Interlocked.Read(ref _bytes), "byte", "bytes") + " received.", "Summary");
        }

        /// <summary>
        /// A note the user should see without -Verbose, written as Write-Host writes (tags PSHOST, Acefone and
        /// <paramref name="tag"/>): shown at a prompt, kept by -InformationVariable and a runbook's information stream.
        /// </summary>
        private void WriteNote(string text, string tag) =>
            WriteInformation(new HostInformationMessage { Message = text }, new[] { "PSHOST", "Acefone", tag });

        /// <summary>
        /// The file as the FileSystem provider gives it (as Get-Item does): with PSPath, PSParentPath and PSProvider,
        /// so the default file table groups it under its folder and shows Mode and Length.
        /// </summary>
        private object ProviderFile(string path)
        {
            try
            {
                var items = SessionState.InvokeProvider.Item.Get(new[] { path }, true, true);
                if (items.Count == 1) return items[0];
            }
            catch (Exception ex) when (ex is ProviderInvocationException || ex is ItemNotFoundException || ex is IOException)
            {
                // The plain FileInfo still names the file.
            }
            return new FileInfo(path);
        }

        private void WaitAny(Task[] tasks) => WaitAny(tasks, StopToken, ReportProgress, 200);

        private void WriteFinished()
        {
            FlushLog();
            while (_queue!.TryTake(out Pending? taken))
            {
                Pending done = taken!;
                if (done.Task.Status == TaskStatus.RanToCompletion)
                {
                    RecordingDownloadResult result = done.Task.Result;
                    if (result.Skipped)
                    {
                        _skipped++;
                        WriteVerbose($"Call {done.CallId}: {result.Path} is already complete; skipped (-Force downloads it again).");
                    }
                    else
                    {
                        _files++;
                        WriteVerbose($"Call {done.CallId}: {result.Bytes} bytes to {result.Path}" + (result.Resumed ? " (resumed)" : string.Empty) +
                            (result.SentToken ? "; the session's token was sent (trusted host)." : "; no token was sent."));
                    }
                    WriteObject(ProviderFile(result.Path));
                    continue;
                }
                _failed++;
                Exception error = done.Task.Exception?.GetBaseException() ?? new OperationCanceledException();
                if (error is OperationCanceledException && StopToken.IsCancellationRequested) throw new PipelineStoppedException();
                if (error is AcefoneException acefone)
                {
                    ErrorRecord record = acefone.Kind == AcefoneErrorKind.NotFound
                        ? new ErrorRecord(acefone, RecordingNotFound, ErrorCategory.ObjectNotFound, done.Input)
                        {
                            ErrorDetails = new ErrorDetails(acefone.Message) { RecommendedAction = "The recording has aged out of the plan's retention, or the link is wrong; nothing more can be fetched." },
                        }
                        : ErrorRecords.From(acefone, done.Input);
                    WriteError(record);
                }
                else
                {
                    WriteError(ErrorRecords.Unexpected(error, done.Input));
                }
            }
            ReportProgress();
        }

        private void ReportProgress() =>
            _progress?.ReportFiles(_files + _skipped + _failed, _queue?.Count ?? 0, Interlocked.Read(ref _bytes));
    }
}
