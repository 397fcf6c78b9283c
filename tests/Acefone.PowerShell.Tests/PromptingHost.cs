using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace Acefone.PowerShell.Tests
{
    /// <summary>
    /// An interactive host that answers a credential prompt with a given password and records the prompts, the
    /// lines it is asked to print (what a console shows) and progress. Any other prompt fails the test.
    /// </summary>
    internal sealed class PromptingHost : PSHost
    {
        private readonly UserInterface _ui;

        internal PromptingHost(string? password = null) => _ui = new UserInterface(password);

        internal List<string> CredentialPrompts => _ui.CredentialPrompts;
        /// <summary>The lines the host was asked to print, as a console would.</summary>
        internal List<string> Printed => _ui.Printed;
        internal List<ProgressRecord> Progress => _ui.Progress;

        public override string Name => "AcefonePromptingTestHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }

        private sealed class UserInterface : PSHostUserInterface
        {
            private readonly string? _password;

            internal UserInterface(string? password) => _password = password;

            internal List<string> CredentialPrompts { get; } = new List<string>();
            internal List<ProgressRecord> Progress { get; } = new List<ProgressRecord>();

            public override PSHostRawUserInterface? RawUI => null;
            public override string ReadLine() => throw new InvalidOperationException("unexpected prompt");
            public override SecureString ReadLineAsSecureString() => throw new InvalidOperationException("unexpected prompt");
            // What a console would print. (WriteInformation below only hears records, shown or not.)
            internal List<string> Printed { get; } = new List<string>();
            public override void Write(string value) { lock (Printed) Printed.Add(value); }
            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { lock (Printed) Printed.Add(value); }
            public override void WriteLine(string value) { lock (Printed) Printed.Add(value); }
            public override void WriteErrorLine(string value) { }
            public override void WriteDebugLine(string message) { }
            public override void WriteVerboseLine(string message) { }
            public override void WriteWarningLine(string message) { }
            public override void WriteProgress(long sourceId, ProgressRecord record)
            {
                var copy = new ProgressRecord(record.ActivityId, record.Activity, record.StatusDescription)
                {
                    PercentComplete = record.PercentComplete,
                    SecondsRemaining = record.SecondsRemaining,
                    RecordType = record.RecordType,
                };
                lock (Progress) Progress.Add(copy);
            }
            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
                throw new InvalidOperationException("unexpected prompt");
            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
                throw new InvalidOperationException("unexpected prompt");
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
                PromptForCredential(caption, message, userName, targetName, PSCredentialTypes.Default, PSCredentialUIOptions.Default);
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
                PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
            {
                if (_password == null) throw new InvalidOperationException("unexpected prompt");
                CredentialPrompts.Add(userName);
                var secure = new SecureString();
                foreach (char c in _password) secure.AppendChar(c);
                return new PSCredential(userName, secure);
            }
        }
    }
}
