using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace Acefone.PowerShell.Tests
{
    /// <summary>
    /// A host that says it is interactive and records what reaches it. It answers a confirmation (PromptForChoice)
    /// only when given an answer to pick; every other prompt fails the test.
    /// </summary>
    internal sealed class RecordingHost : PSHost
    {
        private readonly RecordingUserInterface _ui;

        /// <param name="name">The host's name, as $Host.Name shows it.</param>
        /// <param name="confirmAnswer">The label of the choice to pick at a confirmation, e.g. "&amp;No"; null = never prompt.</param>
        internal RecordingHost(string name, string? confirmAnswer = null)
        {
            Name = name;
            _ui = new RecordingUserInterface(confirmAnswer);
        }

        /// <summary>The messages of the confirmations answered.</summary>
        internal List<string> Confirmations => _ui.Confirmations;

        public override string Name { get; }
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        internal List<ProgressRecord> Progress => _ui.Progress;
        /// <summary>Warning lines written straight to the host (a stopped run's report), not through the warning stream.</summary>
        internal List<string> Warnings => _ui.Warnings;
        internal List<string> Lines => _ui.Lines;

        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }

        private sealed class RecordingUserInterface : PSHostUserInterface
        {
            private readonly string? _confirmAnswer;

            internal RecordingUserInterface(string? confirmAnswer) => _confirmAnswer = confirmAnswer;

            internal List<ProgressRecord> Progress { get; } = new List<ProgressRecord>();
            internal List<string> Confirmations { get; } = new List<string>();
            internal List<string> Warnings { get; } = new List<string>();
            internal List<string> Lines { get; } = new List<string>();
            public override PSHostRawUserInterface? RawUI => null;
            public override string ReadLine() => throw new InvalidOperationException("The module must never prompt.");
            public override SecureString ReadLineAsSecureString() => throw new InvalidOperationException("The module must never prompt.");
            public override void Write(string value) { }
            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
            public override void WriteLine(string value)
            {
                lock (Lines) Lines.Add(value);
            }
            public override void WriteErrorLine(string value) { }
            public override void WriteDebugLine(string message) { }
            public override void WriteVerboseLine(string message) { }
            public override void WriteWarningLine(string message)
            {
                lock (Warnings) Warnings.Add(message);
            }
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
            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
            {
                int answer = _confirmAnswer == null ? -1 : choices.ToList().FindIndex(c => c.Label == _confirmAnswer);
                if (answer < 0) throw new InvalidOperationException("The module must never prompt.");
                Confirmations.Add(message);
                return answer;
            }
        }
    }
}
