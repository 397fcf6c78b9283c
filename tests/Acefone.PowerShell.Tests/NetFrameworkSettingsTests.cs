using System.Linq;
using System.Management.Automation;
using System.Reflection;
using Xunit;

namespace Acefone.PowerShell.Tests
{
    /// <summary>What Windows PowerShell 5.1 relies on, checked here on .NET: the resolver's version match and the connection limit.</summary>
    public class NetFrameworkSettingsTests
    {
        private static AssemblyName Name(string fullName) => new AssemblyName(fullName);

        [Fact]
        public void With_no_requesting_assembly_only_the_exact_shipped_version_is_answered()
        {
            AssemblyName shipped = Name("System.Text.Json, Version=8.0.0.5, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51");
            Assert.True(ModuleInitializer.MatchesShipped(Name("System.Text.Json, Version=8.0.0.5, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51"), shipped));
            Assert.True(ModuleInitializer.MatchesShipped(Name("system.text.json, Version=8.0.0.5"), shipped));
            // Another module's own version of the same library is not ours to answer.
            Assert.False(ModuleInitializer.MatchesShipped(Name("System.Text.Json, Version=6.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51"), shipped));
            Assert.False(ModuleInitializer.MatchesShipped(Name("System.Text.Json, Version=9.0.0.0"), shipped));
            // A name with no version at all would be "any version".
            Assert.False(ModuleInitializer.MatchesShipped(Name("System.Text.Json"), shipped));
            Assert.False(ModuleInitializer.MatchesShipped(Name("System.Text.Json, Version=8.0.0.5, PublicKeyToken=0123456789abcdef"), shipped));
            Assert.False(ModuleInitializer.MatchesShipped(Name("System.Memory, Version=8.0.0.5"), shipped));
        }

        [Fact]
        public void The_NET_Framework_connection_limit_is_above_the_largest_ThrottleLimit()
        {
            PropertyInfo throttle = typeof(CallOperationCmdlet).GetProperty(nameof(CallOperationCmdlet.ThrottleLimit))!;
            var range = throttle.GetCustomAttributes<ValidateRangeAttribute>().Single();
            Assert.True(Acefone.Client.HttpHandlerFactory.NetFrameworkConnectionsPerServer >= (int)range.MaxRange);
        }
    }
}
