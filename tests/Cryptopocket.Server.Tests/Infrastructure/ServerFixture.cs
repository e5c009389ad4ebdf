using System.Net.Http.Json;
using Cryptopocket.Client;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Hosting;
using Cryptopocket.Server.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cryptopocket.Server.Tests.Infrastructure;

/// <summary>
/// The real server (Kestrel, real HTTP on a loopback port) over its own fresh database, shared by one test class.
/// Tests reach it through the SDK, or raw HTTP where the exact wire bytes are the point.
/// </summary>
public class ServerFixture : IAsyncLifetime
{
    private TestDatabase? _database;
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;
    public IServiceProvider Services => _app!.Services;
    public ServerOptions Options { get; private set; } = null!;

    /// <summary>Configuration a test class needs changed; the default raises the auth rate limit out of the way.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Overrides =>
    [
        new("Auth:AuthenticatePermitLimit", "100000"),
        new("Logging:LogLevel:Default", "Warning"),
    ];

    public virtual async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Options = new ServerOptions
        {
            DataDir = _database.DataDir,
            Database = _database.ConnectionString,
            Urls = "http://127.0.0.1:0",
        };
        _app = ServerApp.Build(Options, Overrides);
        await DatabaseSetup.MigrateAsync(_app.Services, CancellationToken.None);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    public virtual async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    public async Task<IntegrationCredentials> CreateIntegrationAsync(string? name = null)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IntegrationService>()
            .CreateAsync(name ?? "it-" + Guid.NewGuid().ToString("N")[..12], CancellationToken.None);
    }

    public async Task<T> WithServiceAsync<T, TService>(Func<TService, Task<T>> action)
        where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress };

    public CryptopocketClient CreateClient(IntegrationCredentials credentials) =>
        new(new HttpClient { BaseAddress = BaseAddress }, new CryptopocketClientOptions { ApiKey = credentials.ApiKey, ApiSecret = credentials.ApiSecret });

    /// <summary>A raw HTTP client that already carries a valid <c>auth</c> header for the integration.</summary>
    public async Task<HttpClient> CreateAuthenticatedHttpClientAsync(IntegrationCredentials credentials)
    {
        var http = CreateHttpClient();
        var response = await http.PostAsJsonAsync("/api/authenticate", new { api_key = credentials.ApiKey, api_secret = credentials.ApiSecret });
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        http.DefaultRequestHeaders.Add("auth", body.GetProperty("data").GetProperty("token").GetString());
        return http;
    }

    public Task<int> CountAsync<TEntity>()
        where TEntity : class =>
        QueryAsync(db => db.Set<TEntity>().CountAsync());
}
