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
}
