using System;

namespace Acefone.Simulator;

/// <summary>Options for <see cref="SimulatorHost.StartAsync"/>.</summary>
public sealed class SimulatorOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 (default) picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Initial knobs; also what a reset returns to. Null = <see cref="SimulatorConfig.Default"/>.</summary>
    public SimulatorConfig? Config { get; set; }

    /// <summary>Clock for token expiry, call times and the rate limiter (not for the latency knob). Null = system clock.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>
    /// Run the handler on the socket's I/O thread instead of hopping to the thread pool (<c>--inline</c>; with
    /// DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 the runtime inlines too). For the benchmarks: the simulator
    /// shares two cores with the client under test, while a real API costs the client no CPU at all, so every
    /// thread hop spent here is measured against the client. Off for tests: with one I/O thread on a small machine,
    /// requests that never await would be served one at a time, and the tests want real overlap.
    /// </summary>
    public bool InlineScheduling { get; set; }
}
