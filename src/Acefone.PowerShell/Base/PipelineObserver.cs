using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>
    /// Hears the engine on any thread and keeps what it heard until the pipeline thread writes it: PowerShell
    /// allows Write* only on the pipeline thread. Also counts what the end-of-run summary reports.
    /// </summary>
    internal sealed class PipelineObserver : IAcefoneRequestObserver
    {
        private readonly ConcurrentQueue<string> _verbose = new ConcurrentQueue<string>();
        private readonly ConcurrentQueue<string> _debug = new ConcurrentQueue<string>();
        private readonly bool _keepVerbose;
        private readonly bool _keepDebug;
        private long _requests;
        private long _retries;
        private long _rateLimitWaitTicks;
        private readonly HeldTimeline _rateLimitHeld = new HeldTimeline();

        internal PipelineObserver(bool keepVerbose, bool keepDebug)
        {
            _keepVerbose = keepVerbose;
            _keepDebug = keepDebug;
        }

        public bool WantsDebug => _keepDebug;

        internal bool KeepsVerbose => _keepVerbose;

        internal long Requests => Interlocked.Read(ref _requests);
        internal long Retries => Interlocked.Read(ref _retries);
        internal TimeSpan RateLimitWait => TimeSpan.FromTicks(Interlocked.Read(ref _rateLimitWaitTicks));
        /// <summary>Wall-clock time with at least one request held by the rate limiter (parallel waits count once).</summary>
        internal TimeSpan RateLimitHeld => TimeSpan.FromSeconds((double)_rateLimitHeld.Total / Stopwatch.Frequency);
        /// <summary>How many attempts the rate limiter held.</summary>
        internal long RateLimitedAttempts => _rateLimitHeld.Count;

        public void OnAttempt(AcefoneRequestTrace trace)
        {
            Interlocked.Increment(ref _requests);
            if (trace.Attempt > 1) Interlocked.Increment(ref _retries);
            Interlocked.Add(ref _rateLimitWaitTicks, trace.RateLimitWait.Ticks);
            // Under a millisecond is a permit taken at once, not a hold.
            if (trace.RateLimitWait >= TimeSpan.FromMilliseconds(1))
            {
                // The trace arrives when the attempt ended; its wait ended when the attempt started.
                long waitEnded = Stopwatch.GetTimestamp() - (long)(trace.Elapsed.TotalSeconds * Stopwatch.Frequency);
                _rateLimitHeld.Add(waitEnded - (long)(trace.RateLimitWait.TotalSeconds * Stopwatch.Frequency), waitEnded);
            }
            if (_keepVerbose) _verbose.Enqueue(trace.ToString());
        }

        public void OnDebug(string message)
        {
            if (_keepDebug) _debug.Enqueue(message);
        }

        /// <summary>Pipeline thread only.</summary>
        internal void Flush(System.Management.Automation.Cmdlet cmdlet)
        {
            while (_verbose.TryDequeue(out string? line)) cmdlet.WriteVerbose(line);
            while (_debug.TryDequeue(out string? line)) cmdlet.WriteDebug(line);
        }
    }
}
