using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;
using Acefone.Simulator;
using Xunit;

namespace Acefone.PowerShell.Tests
{
    /// <summary>
    /// Runs a command line connected to a fresh simulator on an interactive host that answers every confirmation
    /// "No", and reports what was asked, what came out and how many requests reached a route.
    /// </summary>
    internal static class AnsweredNoRun
    {
        internal static async Task<(RecordingHost Host, int Results, int Sent)> RunAsync(string commandLine, string sentPath,
            Func<SimulatorHost, IDictionary<string, object>>? variables = null)
        {
            await using SimulatorHost simulator = await SimulatorHost.StartAsync();
            var host = new RecordingHost("AcefoneInteractiveTestHost", confirmAnswer: "&No");
            using Runspace runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
            runspace.Open();
            if (variables != null)
            {
                foreach (KeyValuePair<string, object> variable in variables(simulator)) runspace.SessionStateProxy.SetVariable(variable.Key, variable.Value);
            }
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript(@"param($ModulePath, $BaseUri, $Token)
                Import-Module $ModulePath
                Connect-Acefone -BaseUri $BaseUri -AccessToken $Token
                " + commandLine)
              .AddArgument(ModulePaths.Module).AddArgument(simulator.BaseUri).AddArgument(SeedData.ConsoleToken);
            var output = ps.Invoke();
            Assert.False(ps.HadErrors, string.Join("; ", ps.Streams.Error.Select(e => e.ToString())));
            return (host, output.Count, simulator.State.GetRequests(sentPath).Count);
        }
    }
}
