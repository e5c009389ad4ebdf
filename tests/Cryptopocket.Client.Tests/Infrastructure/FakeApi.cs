using System.Globalization;

namespace Cryptopocket.Client.Tests.Infrastructure;

/// <summary>
/// A stand-in for the server: <c>api/authenticate</c> issues <c>token-1</c>, <c>token-2</c>, … and every other path
/// answers with <see cref="Endpoint"/>.
/// </summary>
public sealed class FakeApi : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 6, 26, 10, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _http;
    private int _issued;

    public FakeApi()
    {
        Authenticate = _ => Task.FromResult(IssueToken());
        Handler = new StubHandler(request => request.Path == "/api/authenticate" ? Authenticate(request) : Endpoint(request));
        _http = new HttpClient(Handler) { BaseAddress = new Uri("http://cp.test/") };
    }

    public ManualTimeProvider Clock { get; } = new(Start);

    public StubHandler Handler { get; }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How the server's own clock differs from <see cref="Clock"/>.</summary>
    public TimeSpan ServerClockOffset { get; set; } = TimeSpan.Zero;

    public Func<RecordedRequest, Task<HttpResponseMessage>> Authenticate { get; set; }

    public Func<RecordedRequest, Task<HttpResponseMessage>> Endpoint { get; set; } =
        _ => Task.FromResult(Respond.Ok("[]"));

    public IReadOnlyList<RecordedRequest> Authentications => [.. Handler.Requests.Where(r => r.Path == "/api/authenticate")];

    public IReadOnlyList<RecordedRequest> Calls => [.. Handler.Requests.Where(r => r.Path != "/api/authenticate")];

    public CryptopocketClient CreateClient(TimeSpan? refreshBeforeExpiry = null) =>
        new(_http,
            new CryptopocketClientOptions
            {
                ApiKey = "key-1",
                ApiSecret = "secret-1",
                RefreshBeforeExpiry = refreshBeforeExpiry ?? TimeSpan.FromSeconds(60),
            },
            Clock);

    public HttpResponseMessage IssueToken()
    {
        var number = Interlocked.Increment(ref _issued);
        var expiresAt = (Clock.GetUtcNow() + ServerClockOffset + TokenLifetime).UtcDateTime
            .ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        var seconds = (int)TokenLifetime.TotalSeconds;
        return Respond.Ok($$"""{"token":"token-{{number}}","expires_at":"{{expiresAt}}","expires_in":{{seconds}}}""");
    }

    public void Dispose() => _http.Dispose();
}
