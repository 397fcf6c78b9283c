using System;
using System.IO;

namespace Acefone.Client.Tests
{
    /// <summary>Where the repository is, for the tests that read the source (structure, one writer of a rule).</summary>
    internal static class TestPaths
    {
        internal static string RepoRoot { get; } = FindRoot();

        internal static string EngineSource => Path.Combine(RepoRoot, "src", "Acefone.Client");

        private static string FindRoot()
        {
            for (DirectoryInfo? dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Acefone.PowerShell.sln"))) return dir.FullName;
            throw new InvalidOperationException("The repository (Acefone.PowerShell.sln) is not above " + AppContext.BaseDirectory);
        }
    }
}
