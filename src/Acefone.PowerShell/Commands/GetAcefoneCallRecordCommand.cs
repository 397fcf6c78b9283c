using System;
using System.Collections.Generic;
using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell.Commands
{
    /// <summary>
    /// Lists call records (GET /v1/call/records) between two times, a day at a time and page by page, writing each
    /// page as it arrives. A record the API lists twice (pages shifting under a busy account) is written once; a
    /// record that cannot be read is one InvalidResponse error, and the listing goes on.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AcefoneCallRecord")]
    [OutputType(typeof(AcefoneCallRecord))]
    public sealed class GetAcefoneCallRecordCommand : AcefoneCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public DateTime From { get; set; }

        /// <summary>Default: now.</summary>
        [Parameter(Position = 1)]
        public DateTime? To { get; set; }

        /// <summary>The account's time zone (Windows or IANA id). Default: India Standard Time for India-hosted accounts, UK time for UK ones.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TimeZoneCompleter))]
        public string? TimeZone { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? AgentNumber { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Department { get; set; }

        [Parameter]
        public CallDirection? Direction { get; set; }

        [Parameter]
        public CallRecordStatus? Status { get; set; }

        [Parameter]
        [Alias("call_id")]
        [ValidateNotNullOrEmpty]
        public string? CallId { get; set; }

        [Parameter]
        [Alias("Did")]
        [ValidateNotNullOrEmpty]
        public string? DidNumber { get; set; }

        [Parameter]
        public TimeSpan? MinimumDuration { get; set; }

        [Parameter]
        [ValidateRange(1, 1000)]
        public int PageSize { get; set; } = CallRecordQuery.DefaultPageSize;

        /// <summary>Writes each page as it arrives, in the API's order, instead of holding a day to write it oldest first.</summary>
        [Parameter]
        public SwitchParameter ApiOrder { get; set; }

        protected override void EndProcessing()
        {
            AcefoneSession session = ResolveSession();
            CallRecordReader reader;
            try
            {
                var query = new CallRecordQuery(From, To ?? DateTime.Now)
                {
                    TimeZone = TimeZone == null ? null : AccountTimeZone.Find(TimeZone),
                    AgentNumber = AgentNumber,
                    Department = Department,
                    Direction = Direction,
                    Status = Status,
                    CallId = CallId,
                    DidNumber = DidNumber,
                    MinimumDuration = MinimumDuration,
                    PageSize = PageSize,
                };
                reader = session.ListCallRecords(query);
            }
            catch (AcefoneException ex)
            {
                WriteError(ErrorRecords.From(ex, TimeZone ?? (object)From));
                return;
            }
            WriteVerbose($"Call records from {AccountTimeZone.Format(reader.From)} to {AccountTimeZone.Format(reader.To)} in {reader.TimeZone.Id} (the account's time zone), a day at a time.");
            // Oldest first unless -ApiOrder: one day (chunk) is held and sorted, since the API pages a day newest first.
            ChronologicalRecords? order = ApiOrder ? null : new ChronologicalRecords();
            try
            {
                while (true)
                {
                    CallRecordBatch? batch = Wait(reader.NextAsync(Observer, StopToken));
                    if (batch == null)
                    {
                        if (order != null) WriteRecords(order.Flush(), reader);
                        return;
                    }
                    WriteRecords(order == null ? batch.Records : order.Add(batch), reader);
                    foreach (AcefoneException error in batch.Errors) WriteError(ErrorRecords.From(error, error.CallId));
                    if (batch.Duplicates > 0)
                        WriteVerbose($"Page {batch.Page} from {AccountTimeZone.Format(batch.ChunkStart)} repeated {batch.Duplicates} records already written (the listing shifted, or a record sits on a chunk boundary); each was written once.");
                }
            }
            catch (AcefoneException ex)
            {
                // What was read before the failure is written first, as -ApiOrder would have.
                if (order != null) WriteRecords(order.Flush(), reader);
                WriteFailure(ex, From);
            }
        }

        private void WriteRecords(IReadOnlyList<AcefoneCallRecord> records, CallRecordReader reader)
        {
            foreach (AcefoneCallRecord record in records)
            {
                if (record.AmbiguousTime)
                    WriteWarning($"Record '{record.CallId}' started or ended in the hour the clocks went back in {reader.TimeZone.Id}, and nothing in it tells which of the two it was: its times carry the standard offset and may be an hour off (AmbiguousTime is true).");
                WriteObject(record);
            }
        }
    }
}
