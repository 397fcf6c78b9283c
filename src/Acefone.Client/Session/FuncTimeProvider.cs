using System;

namespace Acefone.Client
{
    /// <summary>A test's clock (a function) as the <see cref="TimeProvider"/> the token manager reads.</summary>
    internal sealed class FuncTimeProvider : TimeProvider
    {
        private readonly Func<DateTimeOffset> _now;

        internal FuncTimeProvider(Func<DateTimeOffset> now) => _now = now;

        public override DateTimeOffset GetUtcNow() => _now();
    }
}
