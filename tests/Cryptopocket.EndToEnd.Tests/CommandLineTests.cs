using System.Globalization;
using System.Text.Json;
using Cryptopocket.EndToEnd.Tests.Infrastructure;

namespace Cryptopocket.EndToEnd.Tests;

/// <summary>
/// The operator command line as scripts use it (README, "Command line"): names, options, exit codes and JSON shapes,
/// run as the real executable against the same data as a running server.
/// </summary>
public sealed class CommandLineTests(SandboxServerFixture sandbox) : IClassFixture<SandboxServerFixture>
{
    [Fact]
    public async Task IntegrationsCreatePrintsExactlyOneJsonObjectWithTheNewCredentials()
    {
        var name = NewName();

        var run = await sandbox.RunAsync("integrations", "create", "--name", name, "--json");

        var created = run.Json();
        Assert.Equal(JsonValueKind.Object, created.ValueKind);
        Assert.Equal(["api_key", "api_secret", "id", "name"], created.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.True(created.GetProperty("id").TryGetInt32(out var id) && id > 0, run.ToString());
        Assert.Equal(name, created.GetProperty("name").GetString());
        Assert.False(string.IsNullOrWhiteSpace(created.GetProperty("api_key").GetString()), run.ToString());
        Assert.False(string.IsNullOrWhiteSpace(created.GetProperty("api_secret").GetString()), run.ToString());
        Assert.True(run.Stderr.Length == 0, run.ToString());
        var authenticated = await sandbox.AuthenticateAsync(created.Text("api_key")!, created.Text("api_secret")!);
        Assert.Equal("ok", authenticated.Text("status"));
    }

    [Fact]
    public async Task CreatingAnIntegrationWithATakenNameExitsOneWithAMessageOnStderr()
    {
        var name = NewName();
        (await sandbox.RunAsync("integrations", "create", "--name", name, "--json")).Succeeded();

        var again = await sandbox.RunAsync("integrations", "create", "--name", name, "--json");

        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.Contains(name, again.Stderr, StringComparison.Ordinal);
        Assert.True(again.Stdout.Trim().Length == 0, $"Nothing may be printed on stdout when nothing was created.\n{again}");
        var list = (await sandbox.RunAsync("integrations", "list", "--json")).Json();
        Assert.Single(list.EnumerateArray(), i => i.Text("name") == name);
    }

    [Fact]
    public async Task IntegrationsListShowsTheIntegrationButNeverItsSecret()
    {
        var name = NewName();
        var created = (await sandbox.RunAsync("integrations", "create", "--name", name, "--json")).Json();
        var secret = created.Text("api_secret")!;

        var json = await sandbox.RunAsync("integrations", "list", "--json");
        var table = await sandbox.RunAsync("integrations", "list");

        var listed = Assert.Single(json.Json().EnumerateArray(), i => i.Text("name") == name);
        Assert.Equal(created.GetProperty("id").GetInt32(), listed.GetProperty("id").GetInt32());
        Assert.Equal(created.Text("api_key"), listed.Text("api_key"));
        Assert.DoesNotContain(listed.EnumerateObject(), p => p.Name.Contains("secret", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(secret, json.Stdout, StringComparison.Ordinal);
        Assert.Contains(name, table.Succeeded().Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateSecretGivesANewSecretAndTheOldOneNoLongerAuthenticates()
    {
        var name = NewName();
        var created = (await sandbox.RunAsync("integrations", "create", "--name", name, "--json")).Json();
        var apiKey = created.Text("api_key")!;
        var oldSecret = created.Text("api_secret")!;
        using var oldClient = await sandbox.CreateAuthenticatedClientAsync(apiKey, oldSecret);
        // Used once, so the server has it in its token cache: the revocation must reach past that too.
        Assert.Equal("ok", (await (await oldClient.GetAsync("/api/available-assets")).ReadJsonAsync()).Text("status"));

        var rotated = (await sandbox.RunAsync("integrations", "rotate-secret", "--name", name, "--json")).Json();

        Assert.Equal(created.GetProperty("id").GetInt32(), rotated.GetProperty("id").GetInt32());
        Assert.Equal(apiKey, rotated.Text("api_key"));
        var newSecret = rotated.Text("api_secret")!;
        Assert.False(string.IsNullOrWhiteSpace(newSecret));
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal("ok", (await sandbox.AuthenticateAsync(apiKey, newSecret)).Text("status"));
        var withOld = await sandbox.AuthenticateAsync(apiKey, oldSecret);
        Assert.Equal("error", withOld.Text("status"));
        Assert.Equal("authorization_incorrect", withOld.Text("error"));
        // Tokens issued under the old secret are revoked too, within the server's token cache duration (1 s).
        await AssertRevokedSoonAsync(oldClient);
    }

    [Fact]
    public async Task DisableMakesAuthenticateAnswerAuthorizationIncorrectAndEnableUndoesIt()
    {
        var name = NewName();
        var created = (await sandbox.RunAsync("integrations", "create", "--name", name, "--json")).Json();
        var (apiKey, apiSecret) = (created.Text("api_key")!, created.Text("api_secret")!);
        using var client = await sandbox.CreateAuthenticatedClientAsync(apiKey, apiSecret);
        Assert.Equal("ok", (await (await client.GetAsync("/api/available-assets")).ReadJsonAsync()).Text("status"));

        var disable = await sandbox.RunAsync("integrations", "disable", "--name", name);

        Assert.True(disable.ExitCode == 0, disable.ToString());
        Assert.Contains("disabled", disable.Stdout, StringComparison.Ordinal);
        var refused = await sandbox.AuthenticateAsync(apiKey, apiSecret);
        Assert.Equal("error", refused.Text("status"));
        Assert.Equal("authorization_incorrect", refused.Text("error"));
        await AssertRevokedSoonAsync(client);
        var listed = Assert.Single((await sandbox.RunAsync("integrations", "list", "--json")).Json().EnumerateArray(), i => i.Text("name") == name);
        Assert.True(listed.GetProperty("disabled").GetBoolean());

        (await sandbox.RunAsync("integrations", "enable", "--name", name)).Succeeded();
        Assert.Equal("ok", (await sandbox.AuthenticateAsync(apiKey, apiSecret)).Text("status"));
    }

    /// <summary>
    /// A revocation made by another process (this command line) reaches the server within its token cache duration,
    /// Auth:TokenCacheDuration (1 s, docs/api.md): allowed three, never longer.
    /// </summary>
    private static async Task AssertRevokedSoonAsync(HttpClient client)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync("/api/available-assets");
            if ((await response.ReadJsonAsync()).Text("error") == "authorization_incorrect")
            {
                return;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), "A revoked token still worked 3 s after the revocation.");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task CustomersKycApproveAndRejectDecideWhatKycCheckAnswers()
    {
        var partner = sandbox.Partner;
        var userId = (await SandboxServerFixture.RegisterCustomerAsync(partner, TestCustomers.SpanishBody())).GetProperty("id").GetInt64();
        Assert.Equal("unused", (await SandboxServerFixture.CheckKycAsync(partner, userId)).Text("kyc_status"));

        var approve = await sandbox.RunAsync("customers", "kyc", "--user-id", Invariant(userId), "--approve");

        Assert.True(approve.ExitCode == 0, approve.ToString());
        var valid = await SandboxServerFixture.CheckKycAsync(partner, userId);
        Assert.Equal("valid", valid.Text("kyc_status"));
        Assert.Equal("valid", valid.GetProperty("data").Text("kyc_status"));

        const string reason = "document photo is blurred";
        var reject = await sandbox.RunAsync("customers", "kyc", "--user-id", Invariant(userId), "--reject", "--reason", reason, "--json");

        var decision = reject.Json();
        Assert.Equal(userId, decision.GetProperty("user_id").GetInt64());
        Assert.Equal("fail", decision.Text("kyc_status"));
        Assert.Equal(reason, decision.Text("reason"));
        var failed = await SandboxServerFixture.CheckKycAsync(partner, userId);
        Assert.Equal("fail", failed.Text("kyc_status"));
        Assert.Equal(reason, failed.GetProperty("data").Text("reason"));
    }

    [Fact]
    public async Task CustomersKycRefusesBothOrNeitherDecisionAndUnknownCustomers()
    {
        var partner = sandbox.Partner;
        var userId = (await SandboxServerFixture.RegisterCustomerAsync(partner, TestCustomers.SpanishBody())).GetProperty("id").GetInt64();

        var both = await sandbox.RunAsync("customers", "kyc", "--user-id", Invariant(userId), "--approve", "--reject");
        var neither = await sandbox.RunAsync("customers", "kyc", "--user-id", Invariant(userId));
        var unknown = await sandbox.RunAsync("customers", "kyc", "--user-id", Invariant(userId + 1_000_000), "--approve");

        foreach (var refused in new[] { both, neither })
        {
            Assert.True(refused.ExitCode != 0, refused.ToString());
            Assert.Contains("--approve", refused.Stderr, StringComparison.Ordinal);
        }
        Assert.True(unknown.ExitCode == 1, unknown.ToString());
        Assert.Contains(Invariant(userId + 1_000_000), unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal("unused", (await SandboxServerFixture.CheckKycAsync(partner, userId)).Text("kyc_status"));
    }

    [Fact]
    public async Task MigratePrintsWhatItDidExitsZeroAndIsIdempotent()
    {
        await using var fresh = await TestDatabase.CreateAsync();
        string[] options = ["--data-dir", fresh.DataDir, "--database", fresh.ConnectionString];
        if (SandboxServerFixture.IsPostgres)
        {
            // A production database is migrated deliberately: other commands refuse to work on an unmigrated one.
            var early = await Cli.RunAsync(fresh.DataDir, ["integrations", "list", "--json", .. options]);
            Assert.True(early.ExitCode == 1, early.ToString());
            Assert.Contains("cryptopocket migrate", early.Stderr, StringComparison.Ordinal);
        }

        var first = await Cli.RunAsync(fresh.DataDir, ["migrate", .. options]);
        var second = await Cli.RunAsync(fresh.DataDir, ["migrate", .. options]);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Matches(@"^Applied [1-9][0-9]* migration\(s\): \S", first.Stdout);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("Database is up to date.", second.Stdout.Trim());
        var list = await Cli.RunAsync(fresh.DataDir, ["integrations", "list", "--json", .. options]);
        Assert.Equal(0, list.Json().GetArrayLength());
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("migrate")]
    [InlineData("integrations create")]
    [InlineData("integrations list")]
    [InlineData("integrations rotate-secret")]
    [InlineData("integrations disable")]
    [InlineData("integrations enable")]
    [InlineData("integrations set-ips")]
    [InlineData("integrations set-methods")]
    [InlineData("customers kyc")]
    public async Task EveryCommandDocumentsDataDirAndDatabase(string command)
    {
        var help = await Cli.RunAsync(sandbox.DataDir, [.. command.Split(' '), "--help"]);

        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("--data-dir", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--database", help.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataDirAndDatabaseDecideWhichDataACommandSeesWhereverTheyAreWritten()
    {
        var name = NewName();
        (await sandbox.RunAsync("integrations", "create", "--name", name, "--json")).Succeeded();
        var elsewhere = Path.Combine(sandbox.DataDir, "elsewhere");

        var before = await Cli.RunAsync(sandbox.DataDir, ["--data-dir", sandbox.DataDir, "--database", sandbox.Database.ConnectionString, "integrations", "list", "--json"]);
        var empty = await Cli.RunAsync(sandbox.DataDir, ["integrations", "list", "--json", "--data-dir", elsewhere]);

        Assert.Single(before.Json().EnumerateArray(), i => i.Text("name") == name);
        Assert.Equal(0, empty.Json().GetArrayLength());
        Assert.True(File.Exists(Path.Combine(elsewhere, "cryptopocket.db")), "Without --database the data dir's SQLite file is used.");
    }

    private static string Invariant(long number) => number.ToString(CultureInfo.InvariantCulture);

    private static string NewName() => "e2e-" + Guid.NewGuid().ToString("N")[..12];
}
