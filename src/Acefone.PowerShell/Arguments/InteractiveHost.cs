using System;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace Acefone.PowerShell
{
    /// <summary>Whether a person can answer a prompt here: not the default host of a hosted runspace (Automation), not remoting, not -NonInteractive.</summary>
    internal static class InteractiveHost
    {
        internal static bool CanPrompt(string? hostName, string[] commandLine)
        {
            if (hostName == null || hostName == "Default Host" || hostName == "ServerRemoteHost") return false;
            foreach (string argument in commandLine)
            {
                // -NonInteractive may be abbreviated down to -noni.
                if (argument.Length >= 5 && argument.StartsWith("-noni", StringComparison.OrdinalIgnoreCase)
                    && "-noninteractive".StartsWith(argument, StringComparison.OrdinalIgnoreCase))
                    return false;
            }
            return true;
        }
    }
}
