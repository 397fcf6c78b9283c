using System;
using System.Collections.Generic;
using System.Globalization;

namespace Acefone.Simulator;

/// <summary>A change to a live call: each non-null field is set; an empty <see cref="QueueState"/> removes queue_state.</summary>
public sealed record LiveCallChange
{
    public required string CallId { get; init; }
    public string? State { get; init; }
    public string? QueueState { get; init; }
    public string? AgentName { get; init; }
    public string? AgentNumber { get; init; }
    public string? Extension { get; init; }
    public string? Destination { get; init; }

    internal LiveCall ApplyTo(LiveCall call) => call with
    {
        State = State ?? call.State,
        QueueState = QueueState is null ? call.QueueState : QueueState.Length == 0 ? null : QueueState,
        AgentName = AgentName ?? call.AgentName,
        AgentNumber = AgentNumber ?? call.AgentNumber,
        Extension = Extension ?? call.Extension,
        Destination = Destination ?? call.Destination,
    };
}

/// <summary>
/// One step of a scripted live-call scenario: add, change or end a call once it is due, by time
/// (<see cref="AtSeconds"/> after the scenario started, on the simulator's clock) or by listing (<see cref="AtListing"/>:
/// just before the Nth GET /v1/live_calls answer since the start is built, 1 = the first). Exactly one action.
/// </summary>
public sealed record LiveCallStep
{
    public double? AtSeconds { get; init; }
    public int? AtListing { get; init; }
    public LiveCall? Add { get; init; }
    public LiveCallChange? Change { get; init; }
    public string? End { get; init; }
    /// <summary>The next /v1 requests after this step answer these statuses (429, 503, 401, 500), unprocessed, one each.</summary>
    public IReadOnlyList<int>? Fail { get; init; }
}

public sealed partial class SimulatorState
{
    private readonly List<LiveCallStep> _scenario = new();
    private int _scenarioNext;
    private long _scenarioStarted;
    private int _scenarioListings;
    private readonly Queue<int> _forcedFailures = new();

    /// <summary>The next /v1 requests answer these statuses, one each, before anything is processed (after the rate limit).</summary>
    public void FailNextRequests(IEnumerable<int> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var list = new List<int>(statuses);
        CheckFailures(list);
        lock (_gate) foreach (int status in list) _forcedFailures.Enqueue(status);
    }

    private static void CheckFailures(IEnumerable<int> statuses)
    {
        foreach (int status in statuses)
            if (status is not (401 or 429 or 500 or 502 or 503 or 504)) throw new ArgumentException("fail statuses must be 401, 429, 500, 502, 503 or 504");
    }

    internal int? TakeForcedFailure()
    {
        lock (_gate) return _forcedFailures.Count > 0 ? _forcedFailures.Dequeue() : null;
    }

    /// <summary>
    /// Starts a scripted scenario (replacing any other). Steps apply in the order given, each once it is due and
    /// never before the step before it; they are applied whenever live calls are read (listings, call operations, hangups).
    /// </summary>
    public void StartScenario(IEnumerable<LiveCallStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var list = new List<LiveCallStep>(steps);
        foreach (var step in list)
        {
            int actions = (step.Add is null ? 0 : 1) + (step.Change is null ? 0 : 1) + (step.End is null ? 0 : 1) + (step.Fail is null ? 0 : 1);
            if (actions != 1) throw new ArgumentException("each step needs exactly one of add, change, end or fail");
            if (step.Fail is { } fail) CheckFailures(fail);
            if (step.AtSeconds is null == step.AtListing is null) throw new ArgumentException("each step needs exactly one of at (seconds) or listing");
            if (step.Add is { } add && string.IsNullOrEmpty(add.CallId)) throw new ArgumentException("an added call needs a call_id");
        }
        lock (_gate)
        {
            _scenario.Clear();
            _scenario.AddRange(list);
            _scenarioNext = 0;
            _scenarioListings = 0;
            _scenarioStarted = _time.GetTimestamp();
        }
    }

    /// <summary>Steps of the scenario not applied yet.</summary>
    public int PendingScenarioSteps
    {
        get { lock (_gate) return _scenario.Count - _scenarioNext; }
    }

    /// <summary>Changes a live call now. False when it is not live.</summary>
    public bool ChangeCall(LiveCallChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            ApplyScenarioLocked(listing: false);
            return ChangeCallLocked(change);
        }
    }

    /// <summary>
    /// A scenario of <paramref name="calls"/> calls over <paramref name="seconds"/>: call k starts Ringing and
    /// Waiting in the queue at k/calls of the first half, is Answered (queue state gone) a fifth of the time later,
    /// and ends half the time after it started. Call ids are prefix+1..prefix+calls.
    /// </summary>
    public static IReadOnlyList<LiveCallStep> GenerateScenario(int calls, double seconds, string prefix)
    {
        if (calls < 0) throw new ArgumentOutOfRangeException(nameof(calls));
        if (!(seconds > 0)) throw new ArgumentOutOfRangeException(nameof(seconds));
        var timed = new List<(double At, int Order, LiveCallStep Step)>();
        for (int k = 0; k < calls; k++)
        {
            string id = prefix + (k + 1).ToString(CultureInfo.InvariantCulture);
            string agent = "Agent " + (4 + k % 200).ToString("000", CultureInfo.InvariantCulture);
            string number = SeedData.FollowMeNumber(4 + k % 200);
            double start = seconds * 0.5 * k / Math.Max(1, calls);
            timed.Add((start, 3 * k, new LiveCallStep
            {
                AtSeconds = start,
                Add = new LiveCall { CallId = id, State = "Ringing", QueueState = "Waiting", AgentName = agent, AgentNumber = number, Destination = number, Did = "918069123400" },
            }));
            timed.Add((start + seconds * 0.2, 3 * k + 1, new LiveCallStep { AtSeconds = start + seconds * 0.2, Change = new LiveCallChange { CallId = id, State = "Answered", QueueState = "" } }));
            timed.Add((start + seconds * 0.5, 3 * k + 2, new LiveCallStep { AtSeconds = start + seconds * 0.5, End = id }));
        }
        timed.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Order.CompareTo(b.Order));
        return timed.ConvertAll(t => t.Step);
    }

    private void ResetLiveScenarioLocked()
    {
        ClearScenarioLocked();
        _forcedFailures.Clear();
    }

    private void ClearScenarioLocked()
    {
        _scenario.Clear();
        _scenarioNext = 0;
        _scenarioListings = 0;
    }

    private bool ChangeCallLocked(LiveCallChange change)
    {
        if (!_callsById.TryGetValue(change.CallId, out var call)) return false;
        var changed = change.ApplyTo(call);
        _callsById[call.CallId] = changed;
        _callsByRow[call.Id] = changed;
        return true;
    }

    private void ApplyScenarioLocked(bool listing)
    {
        if (_scenarioNext >= _scenario.Count) return;
        if (listing) _scenarioListings++;
        double elapsed = _time.GetElapsedTime(_scenarioStarted).TotalSeconds;
        var now = _time.GetUtcNow();
        while (_scenarioNext < _scenario.Count)
        {
            var step = _scenario[_scenarioNext];
            bool due = step.AtListing is { } n ? n <= _scenarioListings : step.AtSeconds <= elapsed;
            if (!due) break;
            _scenarioNext++;
            if (step.Add is { } add)
            {
                var c = add;
                if (c.Id <= 0 || _callsByRow.ContainsKey(c.Id)) c = c with { Id = _nextRowId++ };
                if (c.CreatedAt == default) c = c with { CreatedAt = now };
                AddCallLocked(c);
            }
            else if (step.Change is { } change) ChangeCallLocked(change);
            else if (step.End is { } end) EndCallLocked(end);
            else if (step.Fail is { } fail) foreach (int status in fail) _forcedFailures.Enqueue(status);
        }
        if (_scenarioNext >= _scenario.Count) ClearScenarioLocked();
    }
}
