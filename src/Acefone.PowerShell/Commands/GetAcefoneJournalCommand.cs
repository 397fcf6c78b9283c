using System.Management.Automation;
using System.Security;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>
    /// Reads a run journal into one record per row (its last state), so "what did the run do, and which calls must I
    /// check" is a Where-Object, not JSON parsing. Reads only: never takes the writer's lock, so a running job is not disturbed.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AcefoneJournal")]
    [OutputType(typeof(JournalRecord))]
    public sealed class GetAcefoneJournalCommand : PSCmdlet
    {
        /// <summary>The journal, as given to -JournalPath: a file, or an append blob's URL (https, or http for an emulator on this machine).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "JournalPath")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>For a blob URL without a SAS: an access token for https://storage.azure.com/, as -JournalAccessToken of the run.</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? JournalAccessToken { get; set; }

        protected override void ProcessRecord()
        {
            bool blob = BlobJournalStore.IsBlobUrl(Path);
            JournalContents contents;
            try
            {
                contents = blob ? JournalReader.ReadBlob(Path, JournalAccessToken)
                    : JournalReader.ReadFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path));
            }
            catch (RunJournalException ex)
            {
                // One journal that cannot be read does not stop the others piped in. A URL's target drops its query (a SAS is a secret).
                WriteError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.ReadError, blob ? RunJournal.DisplayName(Path) : Path));
                return;
            }
            foreach (string warning in contents.Warnings) WriteWarning(warning);
            foreach (JournalRecord row in contents.Rows) WriteObject(row);
        }
    }
}
