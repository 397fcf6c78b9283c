using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acefone.Simulator;

/// <summary>The simulator as a real HTTP server on 127.0.0.1, in-process.</summary>
/// <example><code>
/// await using var sim = await SimulatorHost.StartAsync();
/// var http = new HttpClient { BaseAddress = sim.BaseUri };
/// sim.State.UpdateConfig(c =&gt; c with { RateLimitPerSecond = 3 });
/// </code></example>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private SimulatorHost(WebApplication app, Uri baseUri, SimulatorState state)
    {
        _app = app;
        BaseUri = baseUri;
        State = state;
    }

    /// <summary>e.g. http://127.0.0.1:54321/ (with the trailing slash).</summary>
    public Uri BaseUri { get; }

    /// <summary>Knobs, data, request log and stats (thread-safe).</summary>
    public SimulatorState State { get; }

    /// <summary>Start on http://127.0.0.1:{options.Port} (0 = a free port).</summary>
    public static async Task<SimulatorHost> StartAsync(SimulatorOptions? options = null)
    {
        options ??= new SimulatorOptions();
        var state = new SimulatorState(options.Config, options.TimeProvider);
        var handler = new ApiHandler(state);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SimulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseKestrelCore();
        if (options.InlineScheduling)
            builder.WebHost.UseSockets(s => s.UnsafePreferInlineScheduling = true);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, options.Port);
        });

        var app = builder.Build();
        app.Run(handler.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no address");
        var uri = new Uri(address.EndsWith('/') ? address : address + "/");
        return new SimulatorHost(app, uri, state);
    }

    /// <summary>Stop the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>No Ctrl+C/SIGTERM handling inside the host: the owner (test or Program) decides when to stop.</summary>
    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
