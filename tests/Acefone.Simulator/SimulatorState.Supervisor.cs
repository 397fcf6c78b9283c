using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Simulator;

/// <summary>Knobs of the click-to-call and agent block routes (POST /_sim/supervisor; back to these defaults on reset).</summary>
public sealed record SupervisorKnobs
{
    public static readonly SupervisorKnobs Default = new();

    /// <summary>Whether a placed call's live record carries its custom_identifier (undocumented: off by default).</summary>
    public bool LiveCallsCarryCustomIdentifier { get; init; }
    /// <summary>False: an accepted click-to-call never shows up among the live calls (the agent did not answer).</summary>
    public bool PlaceCalls { get; init; } = true;
    /// <summary>How long after the answer the placed call shows up among the live calls.</summary>
    public int PlacedCallDelayMs { get; init; }
}

internal enum ClickToCallStatus { Ok, InvalidAgent, AgentNotAvailable }

internal enum AgentBlockStatus { Ok, AlreadyInState, InvalidAgent }

/// <summary>Click-to-call and agent block state.</summary>
public sealed partial class SimulatorState
{
    private SupervisorKnobs _supervisor = SupervisorKnobs.Default;
    private long _placedCalls;

    public SupervisorKnobs Supervisor
    {
        get => Volatile.Read(ref _supervisor);
        set => Volatile.Write(ref _supervisor, value ?? SupervisorKnobs.Default);
    }

    /// <summary>
    /// An accepted originate: the agent is found by agent id, follow-me number, intercom or extension, must be
    /// available, and the call shows up as a live outbound call (Ringing) carrying the agent's follow-me number, not
    /// what was given. No call id is returned to the client.
    /// </summary>
    internal ClickToCallStatus PlaceCall(string agentNumber, string destination, string? callerId, string? customIdentifier)
    {
        SimUser user;
        lock (_gate)
        {
            int index = -1;
            for (int i = 0; i < _users.Length; i++)
            {
                var a = _users[i].Agent;
                if (a is null) continue;
                if (a.Id == agentNumber || a.FollowMeNumber == agentNumber || a.Intercom == agentNumber || _users[i].Extension == agentNumber)
                {
                    index = i;
                    break;
                }
            }
            if (index < 0) return ClickToCallStatus.InvalidAgent;
            user = _users[index];
            if (user.Agent!.Status != 0) return ClickToCallStatus.AgentNotAvailable;
        }
        var knobs = Supervisor;
        if (!knobs.PlaceCalls) return ClickToCallStatus.Ok;
        long n = Interlocked.Increment(ref _placedCalls);
        var call = new LiveCall
        {
            CallId = "C2C-" + _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "." + n.ToString(CultureInfo.InvariantCulture),
            Direction = "2",
            Source = user.Agent.FollowMeNumber,
            Did = callerId ?? "918069123400",
            Destination = destination,
            CustomerNumber = destination,
            State = "Ringing",
            AgentName = user.Name,
            AgentNumber = user.Agent.FollowMeNumber,
            Extension = user.Extension,
            CustomIdentifier = knobs.LiveCallsCarryCustomIdentifier ? customIdentifier : null,
        };
        if (knobs.PlacedCallDelayMs <= 0) AddCall(call);
        else _ = Task.Delay(knobs.PlacedCallDelayMs).ContinueWith(_ => AddCall(call), TaskScheduler.Default);
        return ClickToCallStatus.Ok;
    }

    /// <summary>Block (status 1) or unblock (status 0) an agent by agent id; blocking twice is not an error.</summary>
    internal AgentBlockStatus SetBlocked(string agentId, bool blocked)
    {
        lock (_gate)
        {
            if (!_userIndexByAgentId.TryGetValue(agentId, out int i)) return AgentBlockStatus.InvalidAgent;
            var u = _users[i];
            int status = u.Agent!.Status;
            if (blocked ? status == 1 : status != 1) return AgentBlockStatus.AlreadyInState;
            _users[i] = u with { Agent = u.Agent with { Status = blocked ? 1 : 0 } };
            return AgentBlockStatus.Ok;
        }
    }
}
