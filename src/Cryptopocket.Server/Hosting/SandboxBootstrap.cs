using System.Text.Json;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Hosting;

public static class SandboxBootstrap
{
    public const string IntegrationName = "sandbox";
    public const string CredentialsFile = "sandbox-credentials.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// On a sandbox's first start there is nobody to call the API as: create the 'sandbox' integration, print its
    /// credentials and save them in the data dir (the secret cannot be recovered later; rotate it if lost).
    /// </summary>
    public static async Task EnsureSandboxIntegrationAsync(IServiceProvider services, ServerOptions options, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (await db.Integrations.AnyAsync(cancellationToken))
        {
            return;
        }
        var credentials = await scope.ServiceProvider.GetRequiredService<IntegrationService>().CreateAsync(IntegrationName, cancellationToken);
        Directory.CreateDirectory(options.DataDir);
        var path = Path.Combine(options.DataDir, CredentialsFile);
        var json = JsonSerializer.Serialize(
            new { id = credentials.Id, name = credentials.Name, api_key = credentials.ApiKey, api_secret = credentials.ApiSecret },
            Indented);
        await File.WriteAllTextAsync(path, json, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        Console.WriteLine("Created the 'sandbox' integration (saved in " + path + "):");
        Console.WriteLine($"  api_key:    {credentials.ApiKey}");
        Console.WriteLine($"  api_secret: {credentials.ApiSecret}");
    }
}
