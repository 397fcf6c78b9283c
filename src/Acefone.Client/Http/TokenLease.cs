using System;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>A token in use. Compared by reference: a 401 renews only if nobody has renewed the token it was sent with.</summary>
    internal sealed class TokenLease
    {
        internal TokenLease(string value, DateTimeOffset issuedAt, DateTimeOffset? expiresAt)
        {
            Value = value;
            IssuedAt = issuedAt;
            ExpiresAt = expiresAt;
        }

        internal string Value { get; }
        internal DateTimeOffset IssuedAt { get; }
        internal DateTimeOffset? ExpiresAt { get; }

        public override string ToString() => "token (hidden)";
    }
}
