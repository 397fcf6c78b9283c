using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Client
{
    /// <summary>
    /// A journal in an Azure append blob (docs/journal-storage.md), for runs whose disk does not outlive them (the
    /// Automation cloud sandbox). One writer at a time across machines: a blob lease, renewed while the run lasts,
    /// and every append carries it. Every append is also conditional on the blob's length (appendpos), so an append
    /// retried after a lost answer never writes twice. Past <see cref="BlobJournalSettings.MaxAppendsPerBlob"/>
    /// appends the journal continues in &lt;name&gt;.1, &lt;name&gt;.2, ...; reading takes them all.
    /// </summary>
    internal sealed class BlobJournalStore : IJournalStore
    {
        private readonly Uri _blob;
        private readonly BlobJournalSettings _settings;
        private readonly Action<string>? _notice;
        private readonly HttpClient _http;
        private readonly AppendBlobClient _client;
        private readonly string _leaseId = Guid.NewGuid().ToString();
        private readonly object _gate = new object();
        private int _segment;           // 0: the blob itself; n: <name>.n
        private long _length;           // the current segment's length: the next append's position
        private int _blocks;            // the current segment's committed appends
        private bool _baseLeased;
        private bool _segmentLeased;
        private Timer? _renewal;
        private DateTime _renewedAt;
        private volatile Exception? _failure;
        private bool _disposed;

        private BlobJournalStore(Uri blob, string name, BlobJournalAuthorization authorization, BlobJournalSettings settings, Action<string>? notice)
        {
            _blob = blob;
            Name = name;
            Authorization = authorization;
            _settings = settings;
            _notice = notice;
            // The engine's handler: TLS 1.2+ and enough connections on .NET Framework, and no redirects (a bearer token must not follow one).
            _http = new HttpClient(HttpHandlerFactory.CreateHandler(new AcefoneSessionOptions())) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            _client = new AppendBlobClient(_http, authorization, settings.RequestTimeout);
        }

        public string Name { get; }

        internal BlobJournalAuthorization Authorization { get; }

        public bool AppendsQuickly => false;

        public Exception? Failure => _failure;

        /// <summary>Whether -JournalPath names a blob (an http or https URL) rather than a file.</summary>
        internal static bool IsBlobUrl(string path) =>
            path.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// Checks the URL and chooses the authorisation; sends nothing. Throws <see cref="RunJournalException"/>:
        /// JournalUnavailable for a URL that cannot be a blob journal, JournalNotAuthorized when nothing authorises it.
        /// </summary>
        internal static BlobJournalStore Create(string url, SecureString? accessToken, Action<string>? notice, BlobJournalSettings? settings = null)
        {
            settings = settings ?? BlobJournalSettings.Default;
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
                throw new RunJournalException("JournalUnavailable", "The journal URL is not a valid URL.");
            string name = uri.GetLeftPart(UriPartial.Path);
            if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
                throw new RunJournalException("JournalUnavailable",
                    $"The journal '{name}' must use https: plain http is accepted only for a storage emulator on this machine (127.0.0.1, localhost).");
            if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                throw new RunJournalException("JournalUnavailable", $"The journal '{name}' is neither a file path nor an https URL.");
            // https://<account>.blob.core.windows.net/<container>/<blob>, or path-style http://127.0.0.1:<port>/<account>/<container>/<blob>.
            int segments = uri.AbsolutePath.Trim('/').Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries).Length;
            bool pathStyle = uri.HostNameType == UriHostNameType.IPv4 || uri.HostNameType == UriHostNameType.IPv6 || uri.IsLoopback;
            if (segments < (pathStyle ? 3 : 2) || uri.AbsolutePath.EndsWith("/", StringComparison.Ordinal))
                throw new RunJournalException("JournalUnavailable",
                    $"The journal '{name}' does not name a blob: give https://<account>.blob.core.windows.net/<container>/<name>.jsonl" +
                    (pathStyle ? " (or, for an emulator, http://127.0.0.1:<port>/<account>/<container>/<name>.jsonl)" : string.Empty) + ".");
            BlobJournalAuthorization authorization = BlobJournalAuthorization.Choose(uri, name, accessToken, settings.Environment);
            return new BlobJournalStore(new Uri(name), name, authorization, settings, notice);
        }

        private Uri Segment(int index) => index == 0 ? _blob : new Uri(_blob.AbsoluteUri + "." + index.ToString(System.Globalization.CultureInfo.InvariantCulture));

        private T Run<T>(Func<Task<T>> call, string doing)
        {
            try
            {
                return Task.Run(call).GetAwaiter().GetResult();
            }
            catch (BlobJournalException ex)
            {
                throw Unavailable(ex, doing);
            }
        }

        private RunJournalException Unavailable(BlobJournalException ex, string doing) =>
            new RunJournalException(ex.Status == 403 || ex.Status == 401 ? "JournalAccessDenied" : "JournalUnavailable",
                $"The journal '{Name}' cannot be {doing}: {ex.Message}.", ex);

        public void TakeWriterLock()
        {
            Run(() => _client.CreateAsync(_blob), "created");
            AppendBlobClient.Properties? properties = Run(() => _client.GetPropertiesAsync(_blob), "read");
            if (properties == null || !properties.IsAppendBlob)
                throw new RunJournalException("JournalUnavailable", $"The journal '{Name}' is a blob of another type: a journal is an append blob.");

            DateTime deadline = DateTime.UtcNow + _settings.LeaseWait;
            Acquire(_blob, deadline);
            _baseLeased = true;

            // The journal continues in <name>.1, <name>.2, ...: appends go to the last one.
            int last = 0;
            while (Run(() => _client.GetPropertiesAsync(Segment(last + 1)), "read") is AppendBlobClient.Properties next)
            {
                last++;
                properties = next;
            }
            _segment = last;
            if (last > 0)
            {
                Acquire(Segment(last), deadline);
                _segmentLeased = true;
            }
            _length = properties.Length;
            _blocks = properties.CommittedBlocks;
            _renewedAt = DateTime.UtcNow;
            TimeSpan every = TimeSpan.FromSeconds(Math.Max(1, _settings.LeaseSeconds / 4));
            _renewal = new Timer(_ => Renew(), null, every, every);
        }

        /// <summary>Takes the lease; while another holds it, waits (saying so) up to the deadline, then JournalLocked.</summary>
        private void Acquire(Uri blob, DateTime deadline)
        {
            bool told = false;
            while (true)
            {
                try
                {
                    Task.Run(() => _client.LeaseAsync(blob, "acquire", _leaseId, _settings.LeaseSeconds)).GetAwaiter().GetResult();
                    return;
                }
                catch (BlobJournalException ex) when (ex.Status == 409)
                {
                    if (DateTime.UtcNow >= deadline)
                        throw new RunJournalException("JournalLocked",
                            $"The journal '{Name}' is in use by another run: its lease was held for all of {_settings.LeaseWait.TotalSeconds:0} s. " +
                            "Wait for that run to end, or use another -JournalPath.", ex);
                    if (!told)
                    {
                        told = true;
                        _notice?.Invoke($"The journal '{Name}' is leased by another run, or by one that died (a lease runs out at most 60 s after its last renewal). " +
                                        $"Waiting up to {_settings.LeaseWait.TotalSeconds:0} s for the lease before giving up with JournalLocked.");
                    }
                    Thread.Sleep(TimeSpan.FromSeconds(1));
                }
                catch (BlobJournalException ex)
                {
                    throw Unavailable(ex, "leased");
                }
            }
        }

        private void Renew()
        {
            int segment;
            lock (_gate)
            {
                if (_disposed || _failure != null) return;
                segment = _segment;
            }
            try
            {
                Task.Run(() => _client.LeaseAsync(_blob, "renew", _leaseId, 0)).GetAwaiter().GetResult();
                if (segment > 0) Task.Run(() => _client.LeaseAsync(Segment(segment), "renew", _leaseId, 0)).GetAwaiter().GetResult();
                _renewedAt = DateTime.UtcNow;
            }
            catch (BlobJournalException ex)
            {
                // Lost for certain (another run took it), or possibly run out: either way another writer may be in. Stop at once.
                if (!ex.Transient || DateTime.UtcNow - _renewedAt > TimeSpan.FromSeconds(_settings.LeaseSeconds * 3 / 4))
                    _failure = new IOException($"this run lost the journal's lease ({ex.Message})", ex);
            }
        }

        public Stream? OpenRead()
        {
            var all = new MemoryStream();
            for (int index = 0; ; index++)
            {
                int i = index;
                byte[]? bytes = Run(() => _client.DownloadAsync(Segment(i)), "read");
                if (bytes == null)
                {
                    if (index == 0) return null;
                    break;
                }
                all.Write(bytes, 0, bytes.Length);
            }
            all.Position = 0;
            return all;
        }

        public void Append(byte[] buffer, int count)
        {
            if (_failure != null) throw _failure;
            try
            {
                AppendCore(buffer, count);
            }
            catch (BlobJournalException ex)
            {
                _failure = new IOException(ex.Message, ex);
                throw _failure;
            }
        }

        private void AppendCore(byte[] buffer, int count)
        {
            if (_blocks >= _settings.MaxAppendsPerBlob) Continue();
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    int blocks = Task.Run(() => _client.AppendAsync(Segment(_segment), buffer, count, _length, _leaseId)).GetAwaiter().GetResult();
                    Appended(count, blocks);
                    return;
                }
                catch (BlobJournalException ex) when (ex.ErrorCode == "BlockCountExceedsLimit" || ex.ErrorCode == "MaxBlobSizeConditionNotMet")
                {
                    Continue();
                }
                catch (BlobJournalException ex) when (attempt > 1 && ex.ErrorCode == "AppendPositionConditionNotMet")
                {
                    // An earlier attempt may have landed though its answer was lost: if the blob ends with exactly these bytes, it did.
                    if (LandedUnseen(buffer, count)) return;
                    throw;
                }
                catch (BlobJournalException ex) when (ex.Transient && attempt < _settings.AppendAttempts)
                {
                    Thread.Sleep(TimeSpan.FromMilliseconds(200 * attempt));
                }
            }
        }

        private void Appended(int count, int blocks)
        {
            _length += count;
            _blocks = blocks > 0 ? blocks : _blocks + 1;
        }

        private bool LandedUnseen(byte[] buffer, int count)
        {
            AppendBlobClient.Properties? now = Task.Run(() => _client.GetPropertiesAsync(Segment(_segment))).GetAwaiter().GetResult();
            if (now == null || now.Length != _length + count) return false;
            byte[] tail = Task.Run(() => _client.DownloadRangeAsync(Segment(_segment), _length, count)).GetAwaiter().GetResult();
            if (tail.Length != count) return false;
            for (int i = 0; i < count; i++)
                if (tail[i] != buffer[i]) return false;
            Appended(count, now.CommittedBlocks);
            return true;
        }

        /// <summary>Starts the next blob of the journal (&lt;name&gt;.n), leased like the first.</summary>
        private void Continue()
        {
            int next = _segment + 1;
            Uri blob = Segment(next);
            Task.Run(() => _client.CreateAsync(blob)).GetAwaiter().GetResult();
            Task.Run(() => _client.LeaseAsync(blob, "acquire", _leaseId, _settings.LeaseSeconds)).GetAwaiter().GetResult();
            int previous;
            lock (_gate)
            {
                previous = _segment;
                _segment = next;
                _segmentLeased = true;
            }
            _length = 0;
            _blocks = 0;
            if (previous > 0) ReleaseQuietly(Segment(previous));
        }

        public void Sync()
        {
            // An append is durable once the service answered it.
        }

        private void ReleaseQuietly(Uri blob)
        {
            try
            {
                Task.Run(() => _client.LeaseAsync(blob, "release", _leaseId, 0)).Wait(_settings.RequestTimeout);
            }
            catch (AggregateException)
            {
                // Unreleased, it runs out by itself within the lease's length.
            }
        }

        /// <summary>Stops renewing and releases the leases (the end of the run, Ctrl+C), so a re-run need not wait.</summary>
        public void Dispose()
        {
            int segment;
            lock (_gate)
            {
                if (_disposed) return;
                _disposed = true;
                segment = _segment;
            }
            _renewal?.Dispose();
            if (_segmentLeased && segment > 0) ReleaseQuietly(Segment(segment));
            if (_baseLeased) ReleaseQuietly(_blob);
            _http.Dispose();
        }
    }
}
