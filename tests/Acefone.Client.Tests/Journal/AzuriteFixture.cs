using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// Azurite's blob service on a free loopback port, in memory, for the blob journal's tests. build.ps1 Test installs
    /// it (npm ci in tests/azurite) and passes ACEFONE_AZURITE_BLOB_URL; without that this starts its own copy from
    /// tests/azurite/node_modules, and stops it by its process id.
    /// </summary>
    public sealed class AzuriteFixture : IDisposable
    {
        internal const string Account = "devstoreaccount1";
        // Azurite's published development key (not a secret: every copy of Azurite has it).
        private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
        private readonly Process? _process;

        public AzuriteFixture()
        {
            string? given = Environment.GetEnvironmentVariable("ACEFONE_AZURITE_BLOB_URL");
            if (!string.IsNullOrEmpty(given))
            {
                AccountUri = new Uri(given!.TrimEnd('/') + "/");
                return;
            }
            string dir = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(dir, "Acefone.PowerShell.sln"))) dir = Path.GetDirectoryName(dir)!;
            string bin = Path.Combine(dir, "tests", "azurite", "node_modules", "azurite", "dist", "src", "blob", "main.js");
            if (!File.Exists(bin))
                throw new InvalidOperationException($"Azurite is not installed ({bin}): run 'npm ci' in tests/azurite, or 'dotnet pwsh ./build.ps1 Test', which does.");
            int port = FreePort();
            var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { bin, "--blobHost", "127.0.0.1", "--blobPort", port.ToString(), "--inMemoryPersistence", "--loose", "--silent" }) start.ArgumentList.Add(a);
            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, __) => { };
            _process.ErrorDataReceived += (_, __) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            AccountUri = new Uri($"http://127.0.0.1:{port}/{Account}/");
            WaitUntilListening(port);
        }

        /// <summary>http://127.0.0.1:port/devstoreaccount1/</summary>
        internal Uri AccountUri { get; }

        internal static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        private void WaitUntilListening(int port)
        {
            DateTime until = DateTime.UtcNow.AddSeconds(180);
            while (DateTime.UtcNow < until)
            {
                if (_process!.HasExited) throw new InvalidOperationException("Azurite ended at start.");
                try
                {
                    using var client = new TcpClient();
                    client.Connect(IPAddress.Loopback, port);
                    return;
                }
                catch (SocketException)
                {
                    Thread.Sleep(200);
                }
            }
            throw new InvalidOperationException("Azurite did not listen within 180 s.");
        }

        /// <summary>An account SAS (read, add, create, write, delete, list) valid for a day, without its '?'.</summary>
        internal static string Sas(string permissions = "racwdl")
        {
            string expiry = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ");
            const string version = "2019-12-12";
            string toSign = string.Join("\n", Account, permissions, "b", "sco", "", expiry, "", "https,http", version) + "\n";
            using var hmac = new HMACSHA256(Convert.FromBase64String(Key));
            string sig = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(toSign)));
            return $"sv={version}&ss=b&srt=sco&sp={permissions}&se={Uri.EscapeDataString(expiry)}&spr=https,http&sig={Uri.EscapeDataString(sig)}";
        }

        /// <summary>Creates a new container and returns its URL (no query) on <paramref name="account"/>.</summary>
        internal string NewContainer(Uri? account = null)
        {
            string name = "j" + Guid.NewGuid().ToString("n");
            string url = new Uri(account ?? AccountUri, name).AbsoluteUri;
            using var http = new HttpClient();
            var request = new HttpRequestMessage(HttpMethod.Put, url + "?restype=container&" + Sas());
            request.Headers.Add("x-ms-version", "2021-12-02");
            HttpResponseMessage response = http.Send(request);
            Assert.True(response.IsSuccessStatusCode, $"create container: {(int)response.StatusCode}");
            return url;
        }

        /// <summary>A lease action on a blob, as another run would take it: "break" at once, or "acquire" for 15 s under a new id.</summary>
        internal static void Lease(string blob, string action)
        {
            using var http = new HttpClient();
            var request = new HttpRequestMessage(HttpMethod.Put, blob + "?comp=lease&" + Sas());
            request.Headers.Add("x-ms-version", "2021-12-02");
            request.Headers.Add("x-ms-lease-action", action);
            if (action == "break") request.Headers.Add("x-ms-lease-break-period", "0");
            if (action == "acquire")
            {
                request.Headers.Add("x-ms-lease-duration", "15");
                request.Headers.Add("x-ms-proposed-lease-id", Guid.NewGuid().ToString());
            }
            HttpResponseMessage response = http.Send(request);
            Assert.True(response.IsSuccessStatusCode, $"{action} lease: {(int)response.StatusCode}");
        }

        /// <summary>The bytes of a blob, or null (404).</summary>
        internal byte[]? Read(string blobUrl)
        {
            using var http = new HttpClient();
            var request = new HttpRequestMessage(HttpMethod.Get, blobUrl + "?" + Sas());
            request.Headers.Add("x-ms-version", "2021-12-02");
            HttpResponseMessage response = http.Send(request);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            Assert.True(response.IsSuccessStatusCode, $"read blob: {(int)response.StatusCode}");
            return response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        }

        public void Dispose()
        {
            if (_process == null) return;
            try
            {
                // Azurite has been seen to ignore SIGTERM: it is killed outright (it keeps nothing: --inMemoryPersistence).
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10000);
            }
            catch (InvalidOperationException)
            {
            }
            _process.Dispose();
        }
    }

    [CollectionDefinition(Name)]
    public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
    {
        internal const string Name = "Azurite";
    }
}
