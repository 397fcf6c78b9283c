using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// Loads the third-party DLLs the module ships from its private dependencies/ folder, and only when one of
    /// the module's own assemblies (or one of those dependencies) asks, so no other module's copy of a shared
    /// library is ever replaced or hijacked. PowerShell 7 loads them into a private AssemblyLoadContext,
    /// reached by reflection because the module targets netstandard2.0; Windows PowerShell 5.1 has no load
    /// contexts, so LoadFrom. The hook is AppDomain.AssemblyResolve on both: on .NET it fires only after the
    /// default context failed, so where the runtime has its own copy (System.Text.Json on 7.4+) that copy wins
    /// and this code is never asked. Import does no file access: paths are only looked at when a load is asked.
    /// Model: PowerShell/PSResourceGet src/code/ModuleInitAndCleanup.cs.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly object Gate = new object();
        private static readonly Assembly Self = typeof(ModuleInitializer).Assembly;
        private static readonly string ModuleFolder = Path.GetDirectoryName(Self.Location) ?? ".";
        private static readonly string DependencyFolder = Path.Combine(ModuleFolder, "dependencies");
        // Created once per process: assemblies cannot be unloaded, so Remove-Module / Import-Module reuse it.
        private static LoadContextProxy? _loadContext;
        private static bool _hooked;

        /// <summary>A problem found at import, reported once at first use by ImportProblems.</summary>
        internal static string? ImportProblem { get; private set; }

        public void OnImport()
        {
            lock (Gate)
            {
                if (_hooked) return;
                try
                {
                    if (!RuntimeFacts.IsNetFramework) _loadContext ??= LoadContextProxy.Create("Acefone");
                    AppDomain.CurrentDomain.AssemblyResolve += Resolve;
                    _hooked = true;
                }
                catch (Exception ex)
                {
                    ImportProblem = $"The Acefone module could not set up its dependency loader ({ex.GetType().Name}: {ex.Message}). Commands may fail to load System.Text.Json or Microsoft.Bcl.TimeProvider.";
                }
            }
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            lock (Gate)
            {
                if (!_hooked) return;
                AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
                _hooked = false;
            }
        }

        internal static string DependencyFolderPath => DependencyFolder;

        /// <summary>The context the dependencies load into on PowerShell 7 (null on Windows PowerShell).</summary>
        internal static object? LoadContext => _loadContext?.Context;

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            string? path = PathFor(name);
            if (path == null) return null;
            Assembly? requester = args.RequestingAssembly;
            // .NET always names the requester; .NET Framework may not, and then only the exact version we ship is
            // ours to answer: another module asking for its own version of a shared library must not get ours.
            if (requester != null ? !IsOurs(requester) : !RuntimeFacts.IsNetFramework || !IsShippedVersion(name, path)) return null;
            lock (Gate)
            {
                return _loadContext != null ? _loadContext.LoadFromAssemblyPath(path) : Assembly.LoadFrom(path);
            }
        }

        private static bool IsShippedVersion(AssemblyName requested, string path)
        {
            AssemblyName shipped;
            try
            {
                shipped = AssemblyName.GetAssemblyName(path);
            }
            catch (Exception ex) when (ex is IOException || ex is BadImageFormatException || ex is UnauthorizedAccessException)
            {
                return false;
            }
            return MatchesShipped(requested, shipped);
        }

        /// <summary>Same name, the same version exactly, and the same public key token when the request names one.</summary>
        internal static bool MatchesShipped(AssemblyName requested, AssemblyName shipped)
        {
            if (!string.Equals(requested.Name, shipped.Name, StringComparison.OrdinalIgnoreCase)) return false;
            if (requested.Version == null || requested.Version != shipped.Version) return false;
            byte[]? token = requested.GetPublicKeyToken();
            if (token == null || token.Length == 0) return true;
            byte[]? own = shipped.GetPublicKeyToken();
            // No Span here: System.Memory is one of the DLLs this resolver loads.
            if (own == null || own.Length != token.Length) return false;
            for (int i = 0; i < token.Length; i++)
            {
                if (own[i] != token[i]) return false;
            }
            return true;
        }

        /// <summary>The module's own DLLs, and the dependencies this resolver loaded (their own references).</summary>
        private static bool IsOurs(Assembly assembly)
        {
            if (assembly == Self) return true;
            string location;
            try
            {
                location = assembly.Location;
            }
            catch (NotSupportedException)
            {
                return false;
            }
            if (string.IsNullOrEmpty(location)) return false;
            string folder = Path.GetDirectoryName(location) ?? string.Empty;
            return string.Equals(folder, ModuleFolder, StringComparison.OrdinalIgnoreCase) ||
                   string.Equals(folder, DependencyFolder, StringComparison.OrdinalIgnoreCase);
        }

        private static string? PathFor(AssemblyName name)
        {
            string? simple = name.Name;
            if (string.IsNullOrEmpty(simple) || simple!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || simple.Contains("..")) return null;
            string path = Path.Combine(DependencyFolder, simple + ".dll");
            return File.Exists(path) ? path : null;
        }

        /// <summary>new AssemblyLoadContext(name, isCollectible: false) and its LoadFromAssemblyPath, by reflection.</summary>
        private sealed class LoadContextProxy
        {
            private readonly MethodInfo _loadFromAssemblyPath;

            private LoadContextProxy(object context, MethodInfo loadFromAssemblyPath)
            {
                Context = context;
                _loadFromAssemblyPath = loadFromAssemblyPath;
            }

            internal object Context { get; }

            internal Assembly LoadFromAssemblyPath(string path) => (Assembly)_loadFromAssemblyPath.Invoke(Context, new object[] { path });

            internal static LoadContextProxy Create(string name)
            {
                Type type = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext", throwOnError: true)!;
                ConstructorInfo constructor = type.GetConstructor(new[] { typeof(string), typeof(bool) })
                    ?? throw new PlatformNotSupportedException("AssemblyLoadContext(string, bool) is missing.");
                MethodInfo load = type.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })
                    ?? throw new PlatformNotSupportedException("AssemblyLoadContext.LoadFromAssemblyPath is missing.");
                return new LoadContextProxy(constructor.Invoke(new object[] { name, false }), load);
            }
        }
    }
}
