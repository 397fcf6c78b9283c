using System.Net;
#pragma warning disable SYSLIB0014 // ServicePointManager is read only to prove nothing changed it
using System.Security.Authentication;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// Windows PowerShell 5.1 (.NET Framework) may default to TLS 1.0: the module asks for 1.2+ on its own
    /// handler and never changes ServicePointManager, which belongs to every script in the process. The
    /// .NET Framework branch is exercised here on .NET through the handler factory's parameter; it cannot run
    /// on .NET Framework in this environment.
    /// </summary>
    public class TlsTests
    {
        [Fact]
        public void The_NET_Framework_handler_asks_for_TLS_1_2_or_later_only()
        {
            SecurityProtocolType before = ServicePointManager.SecurityProtocol;
#pragma warning disable SYSLIB0039 // naming the old protocols to prove they are not asked for
            using var handler = HttpPipeline.CreateHandler(new AcefoneSessionOptions(), netFramework: true);
            Assert.True(handler.SslProtocols.HasFlag(SslProtocols.Tls12));
            Assert.False(handler.SslProtocols.HasFlag(SslProtocols.Tls));
            Assert.False(handler.SslProtocols.HasFlag(SslProtocols.Tls11));
#pragma warning restore SYSLIB0039
            Assert.Equal(before, ServicePointManager.SecurityProtocol);
        }

        [Fact]
        public void On_NET_the_operating_system_chooses_the_protocols()
        {
            SecurityProtocolType before = ServicePointManager.SecurityProtocol;
            using var handler = HttpPipeline.CreateHandler(new AcefoneSessionOptions(), netFramework: false);
            Assert.Equal(SslProtocols.None, handler.SslProtocols);
            Assert.Equal(before, ServicePointManager.SecurityProtocol);
        }
    }
}
