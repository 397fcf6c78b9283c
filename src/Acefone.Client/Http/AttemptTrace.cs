using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>Reports one attempt to the observer: the Verbose line, with the time since the attempt began.</summary>
    internal readonly struct AttemptTrace
    {
        private readonly IAcefoneRequestObserver? _observer;
        private readonly ApiRequest _request;
        private readonly TimeProvider _time;
        private readonly long _started;

        internal AttemptTrace(IAcefoneRequestObserver? observer, ApiRequest request, int attempt, TimeSpan waited, TimeProvider time)
        {
            _observer = observer;
            _request = request;
            Attempt = attempt;
            Waited = waited;
            _time = time;
            _started = time.GetTimestamp();
        }

        internal int Attempt { get; }
        internal TimeSpan Waited { get; }

        internal void Note(int? status, string? note) =>
            _observer?.OnAttempt(new AcefoneRequestTrace(_request.Method.Method, _request.Target, status, _time.GetElapsedTime(_started), Attempt, Waited, note));
    }
}
