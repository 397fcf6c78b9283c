using System;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// Holds the session's token. One renewal (login or refresh) at a time however many requests are in flight
    /// (repeated logins can lock an account), and every request that needs it waits for that one and shares its
    /// outcome; refreshes before expiry; on a refused refresh, logs in again with the kept credential. A login the
    /// API refuses ends the session's renewals for good (never a second try with the same credential); a throttled
    /// one is not tried again before the API's time. This part is the renewal core; the requests it sends are in
    /// TokenManager.Requests.cs, how their answers and a JWT's expiry are read in TokenManager.Answers.cs. Its clock
    /// is a <see cref="TimeProvider"/>, as the retry policy's and the limiter's are.
    /// </summary>
    internal sealed partial class TokenManager : ISessionTokens, IDisposable
    {
        private static readonly TimeSpan MaxRefreshMargin = TimeSpan.FromMinutes(5);
        /// <summary>Resends of a login or refresh that timed out or lost its answer: one.</summary>
        internal const int LoginTimeoutRetries = 1;
        // Longer than any token a console issues; beyond it expires_in is nonsense and the expiry is unknown.
        private static readonly long MaxLifetimeSeconds = (long)TimeSpan.FromDays(36600).TotalSeconds;
        // A throttled login that named no time waits this long before the session tries again.
        private static readonly TimeSpan ThrottledWithoutTime = TimeSpan.FromSeconds(30);

        private readonly AcefoneCredential _credential;
        // Its own sender, which knows nothing of tokens: login, refresh and logout never come back here.
        private readonly RequestSender _sender;
        private readonly AcefoneRegion? _region;
        private readonly TimeProvider _time;
        private readonly object _lock = new object();
        private TokenLease? _current;
        private Task<TokenLease>? _renewal;
        private AcefoneException? _failure;
        private DateTimeOffset? _failureUntil;
        private int _logins;
        private int _refreshes;

        internal TokenManager(AcefoneCredential credential, RequestSender sender, AcefoneRegion? region, TimeProvider time)
        {
            _credential = credential;
            _sender = sender;
            _region = region;
            _time = time;
            if (credential is AccessTokenCredential access)
            {
                string token = NormalizeAccessToken(AcefoneCredential.Reveal(access.Token));
                sender.Secrets.AddToken(token);
                _current = new TokenLease(token, time.GetUtcNow(), ReadJwtExpiry(token));
            }
            else if (credential is LoginCredential login)
            {
                sender.Secrets.SetPassword(AcefoneCredential.Reveal(login.Password));
            }
        }

        public bool CanRenew => _credential is LoginCredential;

        Task<TokenLease> ISessionTokens.GetAsync(IAcefoneRequestObserver? observer, CancellationToken cancellationToken) => GetAsync(observer, cancellationToken);

        Task ISessionTokens.RenewAfterUnauthorizedAsync(TokenLease used, IAcefoneRequestObserver? observer, CancellationToken cancellationToken) =>
            RenewAfterUnauthorizedAsync(used, observer, cancellationToken);

        internal DateTimeOffset? ExpiresAt => Volatile.Read(ref _current)?.ExpiresAt;
        internal bool HasToken => Volatile.Read(ref _current) != null;
        internal int Logins => Volatile.Read(ref _logins);
        internal int Refreshes => Volatile.Read(ref _refreshes);
        /// <summary>A console token session's token (it never changes), for the journal's non-secret fingerprint; null for a login.</summary>
        internal string? FixedAccessToken => _credential is AccessTokenCredential ? Volatile.Read(ref _current)?.Value : null;

        /// <summary>
        /// A pasted console token as it goes in the header: trimmed, without a pasted "Bearer " in front, and refused
        /// (InvalidInput, naming the position, never the token) when it holds anything but printable ASCII.
        /// </summary>
        internal static string NormalizeAccessToken(string raw)
        {
            string token = raw.Trim();
            if (token.Length > 7 && token.StartsWith("Bearer", StringComparison.OrdinalIgnoreCase) && char.IsWhiteSpace(token[6]))
                token = token.Substring(7).TrimStart();
            int bad = TokenText.FindNonHeaderCharacter(token);
            if (token.Length == 0 || bad >= 0)
                throw new AcefoneException(AcefoneErrorKind.InvalidInput, token.Length == 0
                    ? "The access token is empty. Nothing was sent."
                    : $"The access token has {TokenText.DescribeCharacter(token[bad])} at position {bad + 1} of {token.Length}: a token is printable ASCII only, so it cannot go in a request header. Copy it again from API Connect without it. Nothing was sent.");
            return token;
        }

        internal async Task<TokenLease> GetAsync(IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            TokenLease? current = Volatile.Read(ref _current);
            if (current != null && !NeedsRefresh(current) && Volatile.Read(ref _renewal) == null && Volatile.Read(ref _failure) == null) return current;
            Task<TokenLease> renewal;
            lock (_lock)
            {
                ThrowIfFailed();
                if (_renewal != null && _renewal.IsCompleted) _renewal = null;
                current = _current;
                if (_renewal == null)
                {
                    if (current != null && !NeedsRefresh(current)) return current;
                    _renewal = StartRenewal(current, observer);
                }
                renewal = _renewal;
            }
            return await AwaitShared(renewal, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>After a 401 on <paramref name="used"/>: renew it (or wait for the renewal under way), unless another request already has.</summary>
        internal async Task RenewAfterUnauthorizedAsync(TokenLease used, IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            Task<TokenLease> renewal;
            lock (_lock)
            {
                ThrowIfFailed();
                if (_renewal != null && _renewal.IsCompleted) _renewal = null;
                if (_renewal == null)
                {
                    if (!ReferenceEquals(_current, used)) return;
                    _renewal = StartRenewal(used, observer);
                }
                renewal = _renewal;
            }
            await AwaitShared(renewal, cancellationToken).ConfigureAwait(false);
        }

        private Task<TokenLease> StartRenewal(TokenLease? used, IAcefoneRequestObserver? observer) =>
            // Not tied to the first caller's cancellation: the others wait on it too. The pipeline's timeout bounds it.
            Task.Run(() => RenewAsync(used, observer));

        private async Task<TokenLease> RenewAsync(TokenLease? used, IAcefoneRequestObserver? observer)
        {
            try
            {
                TokenLease next = used == null
                    ? await LoginAsync(observer, CancellationToken.None).ConfigureAwait(false)
                    : await RefreshOrLoginAsync(used, observer, CancellationToken.None).ConfigureAwait(false);
                _sender.Secrets.AddToken(next.Value);
                Volatile.Write(ref _current, next);
                return next;
            }
            catch (AcefoneException ex) when (CanRenew && (ex.Kind == AcefoneErrorKind.AuthenticationFailed || ex.Kind == AcefoneErrorKind.RateLimited))
            {
                AcefoneException shared = _sender.Secrets.Scrub(ex);
                lock (_lock)
                {
                    _failure = shared;
                    _failureUntil = ex.Kind == AcefoneErrorKind.RateLimited ? _time.GetUtcNow() + (ex.RetryAfter ?? ThrottledWithoutTime) : (DateTimeOffset?)null;
                }
                throw shared;
            }
        }

        /// <summary>The renewal's own failure, as a copy per waiter, so concurrent rethrows never share one exception object.</summary>
        private static async Task<TokenLease> AwaitShared(Task<TokenLease> renewal, CancellationToken cancellationToken)
        {
            if (cancellationToken.CanBeCanceled && !renewal.IsCompleted)
            {
                var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
                {
                    if (await Task.WhenAny(renewal, cancelled.Task).ConfigureAwait(false) != renewal)
                        throw new OperationCanceledException(cancellationToken);
                }
            }
            try
            {
                return await renewal.ConfigureAwait(false);
            }
            catch (AcefoneException ex)
            {
                throw ex.Copy();
            }
        }

        /// <summary>A refused login stays refused for the session; a throttled one until the time the API gave.</summary>
        private void ThrowIfFailed()
        {
            if (_failure == null) return;
            if (_failureUntil.HasValue && _time.GetUtcNow() >= _failureUntil.Value)
            {
                _failure = null;
                _failureUntil = null;
                return;
            }
            throw _failure.Copy();
        }

        private bool NeedsRefresh(TokenLease lease)
        {
            if (!CanRenew || !lease.ExpiresAt.HasValue) return false;
            TimeSpan lifetime = lease.ExpiresAt.Value - lease.IssuedAt;
            TimeSpan margin = TimeSpan.FromTicks(Math.Min(MaxRefreshMargin.Ticks, Math.Max(0, lifetime.Ticks / 10)));
            return _time.GetUtcNow() >= lease.ExpiresAt.Value - margin;
        }

        private async Task<TokenLease> RefreshOrLoginAsync(TokenLease current, IAcefoneRequestObserver? observer, CancellationToken cancellationToken)
        {
            try
            {
                return await RefreshAsync(current, observer, cancellationToken).ConfigureAwait(false);
            }
            catch (AcefoneException ex) when (ex.Kind != AcefoneErrorKind.NetworkError)
            {
                observer?.OnDebug($"Token refresh failed ({ex.Kind}); logging in again with the kept credential.");
                return await LoginAsync(observer, cancellationToken).ConfigureAwait(false);
            }
        }





        public void Dispose()
        {
        }
    }
}
