using System;
using System.IO;

namespace Acefone.PowerShell.Tests
{
    internal static class ModulePaths
    {
        /// <summary>The module under test: ACEFONE_TEST_MODULE_PATH from build.ps1, else out/Acefone of this checkout.</summary>
        internal static string Module
        {
            get
            {
                string? fromBuild = Environment.GetEnvironmentVariable("ACEFONE_TEST_MODULE_PATH");
                if (!string.IsNullOrEmpty(fromBuild)) return fromBuild;
                string dir = AppContext.BaseDirectory;
                while (!File.Exists(Path.Combine(dir, "Acefone.PowerShell.sln"))) dir = Path.GetDirectoryName(dir)!;
                return Path.Combine(dir, "out", "Acefone");
            }
        }
    }
}
