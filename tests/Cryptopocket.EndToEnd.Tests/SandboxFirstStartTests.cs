using System.Net.Http.Json;
using System.Text.Json;
using Cryptopocket.EndToEnd.Tests.Infrastructure;

namespace Cryptopocket.EndToEnd.Tests;

/// <summary>
/// A new user's very first <c>cryptopocket serve</c>: no options but the port, in an empty folder. On SQLite nothing
/// else is given (the database goes in ./data); the PostgreSQL run adds only --database.
/// </summary>
public sealed class SandboxFirstStartTests
{
    [Fact]
    public async Task TheFirstStartPrintsAndSavesTheSandboxCredentialsAndTheSecondStartCreatesNoOtherIntegration()
    {
        await using var database = await TestDatabase.CreateAsync();
        var folder = database.DataDir;
        var dataDir = Path.Combine(folder, "data");
        var saved = Path.Combine(dataDir, "sandbox-credentials.json");
        string[] options = SandboxServerFixture.IsPostgres ? ["--database", database.ConnectionString] : [];

        (string ApiKey, string ApiSecret) printed;
        await using (var first = await ServerProcess.StartAsync(folder, options))
        {
            printed = first.PrintedCredentials ?? throw new Xunit.Sdk.XunitException($"The first start printed no credentials.\n{first.Output}");
            Assert.True(File.Exists(saved), $"No {saved}.\n{first.Output}");
            using (var file = JsonDocument.Parse(await File.ReadAllTextAsync(saved)))
            {
                Assert.Equal("sandbox", file.RootElement.GetProperty("name").GetString());
                Assert.Equal(printed.ApiKey, file.RootElement.GetProperty("api_key").GetString());
                Assert.Equal(printed.ApiSecret, file.RootElement.GetProperty("api_secret").GetString());
            }
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(saved));
            }
            Assert.Equal("ok", await AuthenticateAsync(first, printed));
        }
        var savedText = await File.ReadAllTextAsync(saved);

        await using (var second = await ServerProcess.StartAsync(folder, options))
        {
            Assert.True(second.PrintedCredentials is null, $"The second start printed credentials again.\n{second.Output}");
            Assert.Equal(savedText, await File.ReadAllTextAsync(saved));
            Assert.Equal("ok", await AuthenticateAsync(second, printed));
        }

        var list = await Cli.RunAsync(folder, ["integrations", "list", "--json", .. options]);
        var only = Assert.Single(list.Json().EnumerateArray());
        Assert.Equal("sandbox", only.GetProperty("name").GetString());
        Assert.Equal(printed.ApiKey, only.GetProperty("api_key").GetString());
        if (!SandboxServerFixture.IsPostgres)
        {
            Assert.True(File.Exists(Path.Combine(dataDir, "cryptopocket.db")), "Without --database the SQLite file lives in ./data.");
        }
    }

    [Fact]
    public async Task HelpListsTheCommands()
    {
        var folder = Directory.CreateTempSubdirectory("cryptopocket-e2e-").FullName;
        try
        {
            var help = await Cli.RunAsync(folder, ["--help"]);

            Assert.True(help.ExitCode == 0, help.ToString());
            foreach (var command in new[] { "serve", "migrate", "integrations", "customers" })
            {
                Assert.Matches($@"(?m)^\s+{command}\s", help.Stdout);
            }
            Assert.False(Directory.Exists(Path.Combine(folder, "data")), "--help must not create a data dir.");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string?> AuthenticateAsync(ServerProcess server, (string ApiKey, string ApiSecret) credentials)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var response = await http.PostAsJsonAsync("/api/authenticate", new { api_key = credentials.ApiKey, api_secret = credentials.ApiSecret });
        return (await response.ReadJsonAsync()).Text("status");
    }
}
