using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Acefone.Simulator.Tests;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long _ticks = new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
    public override long GetTimestamp() => Interlocked.Read(ref _ticks);
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

/// <summary>One simulator + one HttpClient per test.</summary>
internal sealed class Sim : IAsyncDisposable
{
    public const string Console = SeedData.ConsoleToken;

    private Sim(SimulatorHost host)
    {
        Host = host;
        Http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = host.BaseUri,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public SimulatorHost Host { get; }
    public SimulatorState State => Host.State;
    public HttpClient Http { get; }

    public static async Task<Sim> StartAsync(SimulatorOptions? options = null) => new(await SimulatorHost.StartAsync(options));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }

    public Task<Answer> GetAsync(string path, string? token = Console, bool bearer = true) =>
        SendAsync(HttpMethod.Get, path, null, token, bearer);

    public Task<Answer> PostAsync(string path, string? json, string? token = Console, bool bearer = true, string contentType = "application/json") =>
        SendAsync(HttpMethod.Post, path, json, token, bearer, contentType);

    public async Task<Answer> SendAsync(HttpMethod method, string path, string? json, string? token = Console, bool bearer = true, string contentType = "application/json")
    {
        using var req = new HttpRequestMessage(method, path.TrimStart('/'));
        if (token is not null)
        {
            if (bearer) req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            else req.Headers.TryAddWithoutValidation("Authorization", token);
        }
        if (json is not null) req.Content = new StringContent(json, Encoding.UTF8, contentType);
        using var res = await Http.SendAsync(req);
        string body = await res.Content.ReadAsStringAsync();
        return new Answer((int)res.StatusCode, body, res.Content.Headers.ContentType?.MediaType, res);
    }

    public async Task<string> LoginAsync()
    {
        var a = await PostAsync("/v1/auth/login", "{\"email\":\"admin@example.com\",\"password\":\"Simulat0r!Pass\"}", token: null);
        return a.Json.GetProperty("access_token").GetString()!;
    }
}

internal sealed record Answer(int Status, string Body, string? MediaType, HttpResponseMessage Response)
{
    private JsonElement? _json;

    public JsonElement Json => _json ??= JsonDocument.Parse(Body).RootElement.Clone();

    public string? Message => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("message", out var m) ? m.GetString() : null;

    public string? RetryAfter => Response.Headers.TryGetValues("Retry-After", out var v) ? string.Join(",", v) : null;
}
