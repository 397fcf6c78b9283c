using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// The default session of each runspace. Keyed weakly by the runspace, so Automation jobs sharing one
    /// process never see each other's session, and a closed runspace takes its session with it.
    /// </summary>
    internal static class DefaultSessionStore
    {
        private sealed class Slot
        {
            internal AcefoneSession? Session;
        }

        private static readonly ConditionalWeakTable<Runspace, Slot> Slots = new ConditionalWeakTable<Runspace, Slot>();

        internal static AcefoneSession? Get()
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            if (runspace == null) return null;
            return Slots.TryGetValue(runspace, out Slot? slot) ? slot.Session : null;
        }

        internal static void Set(AcefoneSession? session)
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            if (runspace == null) return;
            Slots.GetOrCreateValue(runspace).Session = session;
        }
    }
}
