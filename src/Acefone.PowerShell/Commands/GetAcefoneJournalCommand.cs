using System.Management.Automation;
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
        /// <summary>The journal file, as given to -JournalPath.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "JournalPath")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        protected override void ProcessRecord()
        {
            string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            JournalContents contents;
            try
            {
                contents = JournalReader.ReadFile(path);
            }
            catch (RunJournalException ex)
            {
                // One journal that cannot be read does not stop the others piped in.
                WriteError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.ReadError, Path));
                return;
            }
            foreach (string warning in contents.Warnings) WriteWarning(warning);
            foreach (JournalRecord row in contents.Rows) WriteObject(row);
        }
    }
}
