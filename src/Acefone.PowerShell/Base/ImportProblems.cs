using System.IO;
using System.Management.Automation;
using System.Threading;

namespace Acefone.PowerShell
{
    /// <summary>
    /// Import must stay silent and do no I/O, so what could go wrong there is reported here instead: once per
    /// process, as a warning from the first Acefone command that runs (as Az.Accounts does).
    /// </summary>
    internal static class ImportProblems
    {
        private static int _reported;

        internal static void ReportOnce(Cmdlet cmdlet)
        {
            if (Interlocked.Exchange(ref _reported, 1) != 0) return;
            string? problem = ModuleInitializer.ImportProblem;
            if (problem != null) cmdlet.WriteWarning(problem);
            // A copy of the module without its dependencies/ folder (e.g. only the DLLs were copied) fails
            // later with a bare FileNotFoundException; name the cause up front.
            string folder = ModuleInitializer.DependencyFolderPath;
            if (!Directory.Exists(folder))
                cmdlet.WriteWarning($"The Acefone module's dependencies folder is missing ({folder}). Reinstall the module (Install-PSResource Acefone -Reinstall) or copy the whole module folder.");
        }
    }
}
