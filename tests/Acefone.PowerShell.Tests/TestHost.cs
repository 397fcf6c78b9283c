using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace Acefone.PowerShell.Tests
{
    /// <summary>A host that says it is interactive and records what reaches it; it never prompts.</summary>
    internal sealed class RecordingHost : PSHost
    {
        private readonly RecordingUserInterface _ui = new RecordingUserInterface();

        internal RecordingHost(string name) => Name = name;

        public override string Name { get; }
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        internal List<ProgressRecord> Progress => _ui.Progress;

        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }

        private sealed class RecordingUserInterface : PSHostUserInterface
        {
            internal List<ProgressRecord> Progress { get; } = new List<ProgressRecord>();
            public override PSHostRawUserInterface? RawUI => null;
            public override string ReadLine() => throw new InvalidOperationException("The module must never prompt.");
            public override SecureString ReadLineAsSecureString() => throw new InvalidOperationException("The module must never prompt.");
            public override void Write(string value) { }
            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
            public override void WriteLine(string value) { }
            public override void WriteErrorLine(string value) { }
            public override void WriteDebugLine(string message) { }
            public override void WriteVerboseLine(string message) { }
            public override void WriteWarningLine(string message) { }
            public override void WriteProgress(long sourceId, ProgressRecord record)
            {
                // The module reuses one record and changes it, so keep a copy of what arrived.
                var copy = new ProgressRecord(record.ActivityId, record.Activity, record.StatusDescription)
                {
                    CurrentOperation = record.CurrentOperation,
                    PercentComplete = record.PercentComplete,
                    RecordType = record.RecordType,
                };
                lock (Progress) Progress.Add(copy);
            }
            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
                throw new InvalidOperationException("The module must never prompt.");
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
                throw new InvalidOperationException("The module must never prompt.");
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
                PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
                throw new InvalidOperationException("The module must never prompt.");
            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
                throw new InvalidOperationException("The module must never prompt.");
        }
    }
}
