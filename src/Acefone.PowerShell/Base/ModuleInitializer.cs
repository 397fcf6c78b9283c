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
    /// On .NET Framework the shipped graph's own version mismatches (<see cref="ShippedGraph"/>) fail to bind and
    /// arrive here, often without a requester: those are answered too (build/README.md, "Loading on Windows PowerShell").
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
            Requester who = requester == null ? Requester.Unknown : IsOurs(requester) ? Requester.Ours : Requester.Other;
            AssemblyName? shipped = who == Requester.Unknown ? ShippedName(path) : null;
            if (who == Requester.Unknown && shipped == null) return null;
            if (!ShouldAnswer(name, shipped, who, RuntimeFacts.IsNetFramework)) return null;
            lock (Gate)
            {
                return _loadContext != null ? _loadContext.LoadFromAssemblyPath(path) : Assembly.LoadFrom(path);
            }
        }

        /// <summary>Who asked for a load: one of the module's own assemblies, another assembly, or nobody .NET Framework could name.</summary>
        internal enum Requester
        {
            Ours,
            Other,
            Unknown,
        }

        /// <summary>
        /// The resolver's rule. Our own assemblies get the shipped DLL of that name, whatever version they name (the
        /// graph is ours). Another assembly never does: its module resolves its own copy. A request nobody can be
        /// named for (.NET Framework only; .NET always names the requester) is answered when it is a reference of the
        /// shipped graph: the shipped version exactly, or one of the graph's known mismatches (<see cref="ShippedGraph"/>),
        /// with the shipped public key token. Any other version is another module's own request, left to it.
        /// </summary>
        /// <param name="requested">The name the load asked for.</param>
        /// <param name="shipped">The shipped DLL's name; needed only for <see cref="Requester.Unknown"/>.</param>
        /// <param name="requester">Who asked.</param>
        /// <param name="isNetFramework">Whether this is .NET Framework (Windows PowerShell).</param>
        internal static bool ShouldAnswer(AssemblyName requested, AssemblyName? shipped, Requester requester, bool isNetFramework)
        {
            switch (requester)
            {
                case Requester.Ours: return true;
                case Requester.Other: return false;
            }
            if (!isNetFramework || shipped == null) return false;
            return MatchesShipped(requested, shipped) ||
                   (ShippedGraph.References(requested.Name, requested.Version) && MatchesShipped(requested, shipped, anyVersion: true));
        }

        private static AssemblyName? ShippedName(string path)
        {
            try
            {
                return AssemblyName.GetAssemblyName(path);
            }
            catch (Exception ex) when (ex is IOException || ex is BadImageFormatException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>Same name, the same version exactly (unless <paramref name="anyVersion"/>), and the same public key token when the request names one.</summary>
        internal static bool MatchesShipped(AssemblyName requested, AssemblyName shipped, bool anyVersion = false)
        {
            if (!string.Equals(requested.Name, shipped.Name, StringComparison.OrdinalIgnoreCase)) return false;
            if (requested.Version == null || (!anyVersion && requested.Version != shipped.Version)) return false;
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
