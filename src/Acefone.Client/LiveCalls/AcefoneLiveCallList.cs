using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Acefone.Client
{
    /// <summary>
    /// The live calls of one GET /v1/live_calls answer that could be read, and one InvalidResponse error for each
    /// entry that could not (a call_id that is null, say): one bad entry never hides the good ones.
    /// </summary>
    public sealed class AcefoneLiveCallList : ReadOnlyCollection<AcefoneLiveCall>
    {
        internal AcefoneLiveCallList(IList<AcefoneLiveCall> calls, IReadOnlyList<AcefoneException> skipped)
            : base(calls)
        {
            Skipped = skipped;
        }

        /// <summary>The entries left out, each as an InvalidResponse saying which entry and why.</summary>
        public IReadOnlyList<AcefoneException> Skipped { get; }
    }
}
