using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Acefone.PowerShell
{
    /// <summary>
    /// Loads the third-party DLLs the module ships from its private dependencies/ folder, answering only for
    /// those names (and, on Windows PowerShell, only when the module's own assemblies ask), so no other
    /// module's copy of a shared library is ever replaced. PowerShell 7 loads them into a private
    /// AssemblyLoadContext, reached by reflection because the module targets netstandard2.0; Windows
    /// PowerShell 5.1 has no load contexts, so LoadFrom. Where the runtime already has a copy (System.Text.Json
    /// on 7.x), the framework's copy wins and this code is never asked.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly object Gate = new object();
        private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";
        private static readonly string DependencyFolder = Path.Combine(ModuleFolder, "dependencies");
        private static Dictionary<string, string>? _dependencies;
        private static object? _loadContext;
        private static MethodInfo? _loadFromPath;
        private static Delegate? _resolvingHandler;
        private static EventInfo? _resolvingEvent;
        private static object? _defaultContext;
        private static bool _hooked;

        /// <summary>Problems found at import, reported at first use rather than thrown at import.</summary>
        internal static string? ImportProblem { get; private set; }

        public void OnImport()
        {
            lock (Gate)
            {
                if (_hooked) return;
                try
                {
                    _dependencies = Directory.Exists(DependencyFolder)
                        ? Directory.GetFiles(DependencyFolder, "*.dll").ToDictionary(p => Path.GetFileNameWithoutExtension(p), p => p, StringComparer.OrdinalIgnoreCase)
                        : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    if (IsNetFramework) AppDomain.CurrentDomain.AssemblyResolve += ResolveForWindowsPowerShell;
                    else HookLoadContext();
                    _hooked = true;
                }
                catch (Exception ex)
                {
                    ImportProblem = $"The Acefone module could not set up its dependency loader ({ex.GetType().Name}: {ex.Message}).";
                }
            }
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            lock (Gate)
            {
                if (!_hooked) return;
                if (IsNetFramework) AppDomain.CurrentDomain.AssemblyResolve -= ResolveForWindowsPowerShell;
                else _resolvingEvent?.RemoveEventHandler(_defaultContext, _resolvingHandler);
                _hooked = false;
            }
        }

        internal static bool IsNetFramework =>
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        /// <summary>The names this module answers for: the DLLs in its dependencies/ folder.</summary>
        internal static IReadOnlyCollection<string> DependencyNames => (IReadOnlyCollection<string>?)_dependencies?.Keys ?? Array.Empty<string>();

        private static void HookLoadContext()
        {
            Type contextType = Type.GetType("System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader", throwOnError: true)!;
            // new AssemblyLoadContext("Acefone", isCollectible: false): one private context for the module's dependencies.
            ConstructorInfo constructor = contextType.GetConstructor(new[] { typeof(string), typeof(bool) })
                ?? throw new PlatformNotSupportedException("AssemblyLoadContext(string, bool) is missing.");
            _loadContext ??= constructor.Invoke(new object[] { "Acefone", false });
            _loadFromPath = contextType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) });
            _defaultContext = contextType.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)!.GetValue(null);
            _resolvingEvent = contextType.GetEvent("Resolving")!;
            MethodInfo handler = typeof(ModuleInitializer).GetMethod(nameof(ResolveForPowerShell7), BindingFlags.NonPublic | BindingFlags.Static)!;
            // Func<AssemblyLoadContext, AssemblyName, Assembly?> bound to a method taking object: contravariant binding.
            _resolvingHandler = Delegate.CreateDelegate(_resolvingEvent.EventHandlerType!, handler);
            _resolvingEvent.AddEventHandler(_defaultContext, _resolvingHandler);
        }

        private static Assembly? ResolveForPowerShell7(object context, AssemblyName name)
        {
            string? path = PathFor(name);
            if (path == null || _loadContext == null || _loadFromPath == null) return null;
            lock (Gate)
            {
                return (Assembly?)_loadFromPath.Invoke(_loadContext, new object[] { path });
            }
        }

        private static Assembly? ResolveForWindowsPowerShell(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            string? path = PathFor(name);
            if (path == null) return null;
            Assembly? requester = args.RequestingAssembly;
            if (requester != null && !IsOurs(requester)) return null;
            return Assembly.LoadFrom(path);
        }

        private static bool IsOurs(Assembly assembly)
        {
            string? location = null;
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
            if (name.Name == null || _dependencies == null) return null;
            return _dependencies.TryGetValue(name.Name, out string? path) ? path : null;
        }
    }
}
