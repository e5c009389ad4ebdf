using System.Data.Common;
using System.Globalization;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cryptopocket.Server.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit.Abstractions;

namespace Cryptopocket.EndToEnd.Tests.Infrastructure;

/// <summary>A transfer purchase as the test created it: what the chain must show for it, and only for it.</summary>
public sealed record TransferPurchase(string PaymentId, long Concept, decimal FiatAmount, string Wallet);

/// <summary>
/// The settlement proof's world, all real processes on loopback: a <see cref="LocalChain"/> the test owns (so it
/// outlives any server), a fresh database, DATA_DIR/cryptopocket.json pointing "polygon" at that chain, and any number
/// of <c>cryptopocket serve</c> processes on it, each of which may be killed with SIGKILL and started again. One
/// customer, KYC-approved by an operator command, buys everything. Every child process dies on dispose.
/// </summary>
public sealed partial class SettlementRig : IAsyncDisposable
{
    /// <summary>The sandbox's collection account (Payments:BankIban): statements are for it.</summary>
    public const string BankIban = "ES6867130002530016234794";

    private readonly List<ServerProcess> _servers = [];
    private readonly List<string> _deadServerOutput = [];
    private readonly HttpClient _api = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ITestOutputHelper _log;
    private TestDatabase? _database;
    private LocalChain? _chain;

    private SettlementRig(ITestOutputHelper log) => _log = log;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");
    public LocalChain Chain => _chain ?? throw new InvalidOperationException("Not initialised.");
    public string DataDir => Database.DataDir;
    public IReadOnlyList<string> DataOptions => ["--data-dir", DataDir, "--database", Database.ConnectionString];
    public long CustomerId { get; private set; }
    public IReadOnlyList<ServerProcess> Servers => _servers;

    /// <summary>How many servers were killed with SIGKILL so far.</summary>
    public int Kills { get; private set; }

    /// <summary>Chain, database, configuration, <c>migrate</c>, one <c>serve</c>, the partner's token and the approved customer.</summary>
    /// <param name="disperse">Deploy and approve a Disperse contract and configure it: token payouts then go out in batches.</param>
    public static async Task<SettlementRig> CreateAsync(ITestOutputHelper log, decimal hotWalletUsdc, decimal hotWalletEth = 100m, int? batchSize = null,
        bool disperse = false)
    {
        var rig = new SettlementRig(log);
        try
        {
            rig._database = await TestDatabase.CreateAsync();
            rig._chain = await LocalChain.StartAsync(rig.DataDir, hotWalletUsdc, hotWalletEth);
            if (disperse)
            {
                await rig.Chain.EnableDisperseAsync();
            }
            await rig.Chain.WriteServerConfigurationAsync(rig.DataDir, batchSize);
            log.WriteLine($"{TestDatabase.Provider}; node {rig.Chain.RpcUrl}, signer {rig.Chain.SignerUrl}, hot wallet {rig.Chain.HotWallet}, USDC {rig.Chain.Token}");
            (await rig.RunAsync("migrate")).Succeeded();
            var first = await rig.StartServerAsync();
            await rig.AuthenticateAsync(first);
            await rig.RegisterApprovedCustomerAsync(first);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>cryptopocket &lt;arguments&gt; --data-dir … --database …</c>.</summary>
    public Task<CliResult> RunAsync(params string[] arguments) => Cli.RunAsync(DataDir, [.. arguments, .. DataOptions], TimeSpan.FromSeconds(180));

    /// <summary>Another <c>serve</c> on a free port, same data dir, database and settlement configuration.</summary>
    public async Task<ServerProcess> StartServerAsync()
    {
        var server = await ServerProcess.StartAsync(DataDir, DataOptions);
        lock (_servers)
        {
            _servers.Add(server);
        }
        return server;
    }

    /// <summary>
    /// SIGKILL: ServerProcess's dispose is <c>Process.Kill</c>, which on Linux sends SIGKILL (no shutdown hooks, no
    /// flushing, nothing finished). <c>serve --no-chain</c> has no children, so the process tree is just the server.
    /// </summary>
    public async Task KillAsync(ServerProcess server)
    {
        Assert.False(server.HasExited, $"The server died on its own before it was killed.\n{server.Output}");
        await server.DisposeAsync();
        _servers.Remove(server);
        Kills++;
        var output = server.Output;
        CountLogLines(output);
        _deadServerOutput.Add(output.Length <= 6000 ? output : "…" + output[^6000..]);
    }

    /// <summary>Server log lines worth reporting, counted over the whole output of every server, killed ones included.</summary>
    public Dictionary<string, int> LogCounts { get; } = new(StringComparer.Ordinal)
    {
        ["Settlement round on"] = 0, ["Replacing stuck transfer"] = 0, ["Operator alert"] = 0, ["fail:"] = 0,
        // The expected races between instances, as the database reports them (EF Core logs each one it saw as an error).
        ["ix_chain_transfers_payment_id"] = 0, ["ix_chain_transfers_chain_id_from_address_nonce"] = 0, ["DbUpdateConcurrencyException"] = 0,
    };

    /// <summary>Adds the still-running servers' lines to <see cref="LogCounts"/> (call once, at the end).</summary>
    public void CountLiveServerLogs()
    {
        foreach (var server in _servers)
        {
            CountLogLines(server.Output);
        }
    }

    /// <summary>Distinct error and warning log entries (category line and first message line) of every server, with counts.</summary>
    public Dictionary<string, int> ProblemLogEntries { get; } = new(StringComparer.Ordinal);

    private void CountLogLines(string output)
    {
        foreach (var what in LogCounts.Keys.ToList())
        {
            for (var at = output.IndexOf(what, StringComparison.Ordinal); at >= 0; at = output.IndexOf(what, at + what.Length, StringComparison.Ordinal))
            {
                LogCounts[what]++;
            }
        }
        var lines = output.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if ((lines[i].StartsWith("fail:", StringComparison.Ordinal) || lines[i].StartsWith("warn:", StringComparison.Ordinal))
                && !lines[i].Contains("DataProtection", StringComparison.Ordinal))
            {
                var message = i + 1 < lines.Length ? lines[i + 1].Trim() : "";
                // Ids, hashes and numbers vary from entry to entry; the shape is what matters.
                var key = lines[i] + " | " + ProblemDetails().Replace(message.Length <= 200 ? message : message[..200], "#");
                ProblemLogEntries[key] = ProblemLogEntries.GetValueOrDefault(key) + 1;
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"0x[0-9a-fA-F]+|\b[0-9A-Za-z]{25}\b|\d+(\.\d+)?")]
    private static partial System.Text.RegularExpressions.Regex ProblemDetails();

    /// <summary>Every server's output, killed ones included (their last part), for assertion messages and counts.</summary>
    public string AllServerOutput => string.Join("\n", _deadServerOutput.Concat(_servers.Select(s => s.Output)));

    private ServerProcess AnyLiveServer()
    {
        var live = _servers.Where(s => !s.HasExited).ToList();
        Assert.True(live.Count > 0, $"No server is running.\n{AllServerOutput}");
        return live[Random.Shared.Next(live.Count)];
    }

    private async Task AuthenticateAsync(ServerProcess server)
    {
        using var saved = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(DataDir, "sandbox-credentials.json")));
        var body = new { api_key = saved.RootElement.GetProperty("api_key").GetString(), api_secret = saved.RootElement.GetProperty("api_secret").GetString() };
        using var response = await _api.PostAsJsonAsync(new Uri(server.BaseAddress, "/api/authenticate"), body);
        var answer = await response.ReadJsonAsync();
        Assert.True(answer.Text("status") == "ok", $"authenticate: {answer}\n{server.Output}");
        // Tokens live in the database (hashed), so one token serves every server, restarted ones included.
        _api.DefaultRequestHeaders.Add("auth", answer.GetProperty("data").GetProperty("token").GetString());
    }

    private async Task RegisterApprovedCustomerAsync(ServerProcess server)
    {
        using var response = await _api.PostAsJsonAsync(new Uri(server.BaseAddress, "/api/registerUser"), TestCustomers.SpanishBody());
        var answer = await response.ReadJsonAsync();
        Assert.True(answer.Text("status") == "ok", $"registerUser: {answer}");
        CustomerId = answer.GetProperty("data").GetProperty("id").GetInt64();
        var decision = (await RunAsync("customers", "kyc", "--user-id", CustomerId.ToString(CultureInfo.InvariantCulture), "--approve", "--json")).Json();
        Assert.True(decision.Text("kyc_status") == "valid", decision.ToString());
    }

    /// <summary>
    /// <paramref name="count"/> TRANSFER purchases of USDC on polygon through <c>POST /api/createPayment</c>, in parallel
    /// batches, each for 10.00–60.00 EUR and to its own fresh random wallet.
    /// </summary>
    public async Task<IReadOnlyList<TransferPurchase>> CreateTransferPurchasesAsync(int count, Random random, int parallel = 10)
    {
        var amounts = Enumerable.Range(0, count).Select(_ => random.Next(1000, 6001) / 100m).ToList();
        var purchases = new List<TransferPurchase>();
        foreach (var batch in amounts.Chunk(parallel))
        {
            purchases.AddRange(await Task.WhenAll(batch.Select(amount => CreateTransferPurchaseAsync(amount, LocalChain.RandomAddress()))));
        }
        Assert.Equal(count, purchases.Select(p => p.Wallet.ToUpperInvariant()).Distinct().Count());
        Assert.Equal(count, purchases.Select(p => p.Concept).Distinct().Count());
        return purchases;
    }

    public async Task<TransferPurchase> CreateTransferPurchaseAsync(decimal fiatAmount, string wallet)
    {
        var server = AnyLiveServer();
        var body = new JsonObject
        {
            ["user_id"] = CustomerId,
            ["payment_type"] = "TRANSFER",
            ["fiat_symbol"] = "EUR",
            ["fiat_amount"] = fiatAmount,
            ["coin_symbol"] = "USDC",
            ["coin_chain"] = "polygon",
            ["wallet"] = wallet,
        };
        using var response = await _api.PostAsJsonAsync(new Uri(server.BaseAddress, "/api/createPayment"), body);
        var answer = await response.ReadJsonAsync();
        Assert.True(answer.Text("status") == "sucess" && answer.Text("message") == "payment_created", $"createPayment {body.ToJsonString()}: {answer}");
        var data = answer.GetProperty("data");
        return new TransferPurchase(data.Text("payment_id")!, data.GetProperty("concept").GetInt64(), fiatAmount, wallet);
    }

    /// <summary>
    /// One camt.053 statement with a booked credit per purchase (its concept in the remittance, its exact amount),
    /// imported with <c>cryptopocket bank import FILE --json</c>; asserts that every line paid its purchase.
    /// </summary>
    public async Task PayByBankStatementAsync(IReadOnlyList<TransferPurchase> purchases)
    {
        var credits = purchases.Select((p, i) => new Camt053.Credit(p.FiatAmount, $"COMPRA CRIPTO {p.Concept}", $"E2E-{i}-{Guid.NewGuid():N}")).ToArray();
        var path = Path.Combine(DataDir, $"statement-{Guid.NewGuid():N}.xml");
        await using (var xml = Camt053.Statement(BankIban, credits))
        {
            await File.WriteAllBytesAsync(path, xml.ToArray());
        }
        var import = await RunAsync("bank", "import", path, "--json");
        var summary = import.Json();
        Assert.True(summary.GetProperty("matched").GetInt32() == purchases.Count && summary.GetProperty("lines").GetInt32() == purchases.Count, import.ToString());
    }

    /// <summary>How many of the customer's purchases have this status (GET /api/payments, the pagination total).</summary>
    public async Task<int> CountAsync(string status)
    {
        var server = AnyLiveServer();
        using var response = await _api.GetAsync(new Uri(server.BaseAddress, $"/api/payments?status={status}&user_id={CustomerId}&per_page=1"));
        var answer = await response.ReadJsonAsync();
        Assert.True(answer.Text("status") == "ok", $"payments list: {answer}");
        return answer.GetProperty("pagination").GetProperty("total").GetInt32();
    }

    /// <summary>Every purchase of the customer, as GET /api/payments pages (100 each) show them, by id.</summary>
    public async Task<Dictionary<string, JsonElement>> ListAllAsync()
    {
        var server = AnyLiveServer();
        var all = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            using var response = await _api.GetAsync(new Uri(server.BaseAddress, $"/api/payments?user_id={CustomerId}&per_page=100&page={page}"));
            var answer = await response.ReadJsonAsync();
            Assert.True(answer.Text("status") == "ok", $"payments list: {answer}");
            foreach (var payment in answer.GetProperty("data").EnumerateArray())
            {
                Assert.True(all.TryAdd(payment.Text("id")!, payment), $"Listed twice: {payment}");
            }
            if (page >= answer.GetProperty("pagination").GetProperty("last_page").GetInt32())
            {
                return all;
            }
        }
    }

    public async Task<JsonElement> DetailAsync(string paymentId)
    {
        var server = AnyLiveServer();
        using var response = await _api.GetAsync(new Uri(server.BaseAddress, $"/api/payment/{paymentId}"));
        var answer = await response.ReadJsonAsync();
        Assert.True(answer.Text("status") == "ok", $"payment {paymentId}: {answer}");
        return answer.GetProperty("data");
    }

    /// <summary>
    /// The proof, from the chain alone: the hot wallet's token Transfer logs since block 0 are exactly one per
    /// purchase, to its wallet, for its coin_amount in base units; nobody else received anything; the API's txid of each
    /// purchase is the hash of its log's transaction, whose receipt says success; the hot wallet sent exactly that many
    /// transactions, none still pending. The project's own tables are not consulted.
    /// </summary>
    public async Task VerifyExactlyOnceOnChainAsync(IReadOnlyList<TransferPurchase> purchases)
    {
        var listed = await ListAllAsync();
        var logs = await Chain.TransfersFromAsync(Chain.HotWallet);
        var context = $"{logs.Count} Transfer log(s) from the hot wallet for {purchases.Count} purchase(s).";
        Assert.True(logs.Count == purchases.Count, context);
        var byRecipient = logs.GroupBy(l => l.To, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var duplicates = byRecipient.Where(g => g.Value.Count > 1).Select(g => $"{g.Key} ×{g.Value.Count}").ToList();
        Assert.True(duplicates.Count == 0, $"Recipients paid more than once: {string.Join(", ", duplicates)}. {context}");
        var strangers = byRecipient.Keys.Except(purchases.Select(p => p.Wallet), StringComparer.OrdinalIgnoreCase).ToList();
        Assert.True(strangers.Count == 0, $"Transfers to addresses no purchase names: {string.Join(", ", strangers)}");

        foreach (var purchase in purchases)
        {
            Assert.True(listed.TryGetValue(purchase.PaymentId, out var detail), $"{purchase.PaymentId} is not listed.");
            Assert.True(detail.Text("status") == "coins_sent", $"{purchase.PaymentId}: {detail}");
            Assert.True(string.Equals(detail.Text("wallet"), purchase.Wallet, StringComparison.OrdinalIgnoreCase), $"{purchase.PaymentId}: {detail}");
            Assert.Equal(checked((long)(purchase.FiatAmount * 100)), detail.GetProperty("fiat_amount").GetInt64());
            var expected = BaseUnitsOf(detail.GetProperty("coin_amount").GetDecimal());
            Assert.True(byRecipient.TryGetValue(purchase.Wallet, out var received), $"Nothing reached {purchase.Wallet} for {purchase.PaymentId}.");
            var log = Assert.Single(received);
            Assert.True(log.Amount == expected, $"{purchase.PaymentId} to {purchase.Wallet}: {log.Amount} base units on chain, {expected} expected ({detail}).");
            var txid = detail.Text("txid");
            Assert.True(string.Equals(txid, log.TransactionHash, StringComparison.OrdinalIgnoreCase),
                $"{purchase.PaymentId}: the API says txid {txid}, the chain's Transfer to {purchase.Wallet} is in {log.TransactionHash}.");
            var receipt = await Chain.RawReceiptAsync(txid!);
            Assert.True(receipt.ValueKind == JsonValueKind.Object && receipt.Text("status") == "0x1", $"{txid}: receipt {receipt}");
            Assert.Equal(expected, await Chain.TokenBalanceAsync(purchase.Wallet));
        }
        Assert.Equal(purchases.Count, listed.Count);
        var sent = await Chain.TransactionCountAsync(Chain.HotWallet, "latest");
        var pending = await Chain.TransactionCountAsync(Chain.HotWallet, "pending");
        // One transaction per purchase; with Disperse, one per batch (the distinct hashes of the Transfer logs), plus
        // the approval sent before settlement began.
        var transactions = (Chain.Disperse.Length == 0 ? purchases.Count : logs.Select(l => l.TransactionHash).Distinct(StringComparer.OrdinalIgnoreCase).Count())
            + Chain.SetUpTransactions;
        if (Chain.Disperse.Length > 0)
        {
            // Batching must really have happened: fewer transactions than purchases.
            Assert.True(transactions - Chain.SetUpTransactions < purchases.Count, $"{transactions} transaction(s) for {purchases.Count} purchase(s): nothing was batched.");
        }
        Assert.True(sent == transactions && pending == sent,
            $"The hot wallet sent {sent} transaction(s) ({pending} counting pending) for {purchases.Count} purchase(s); {transactions} expected.");
    }

    /// <summary>An asset amount (6 decimals) as an exact integer of base units; a fractional remainder fails.</summary>
    public static BigInteger BaseUnitsOf(decimal coinAmount)
    {
        var scaled = coinAmount * 1_000_000m;
        Assert.True(decimal.Truncate(scaled) == scaled, $"{coinAmount} has more than {LocalChain.TokenDecimals} decimals.");
        return new BigInteger(scaled);
    }

    /// <summary>Open (unresolved) and resolved operator alerts with this key, read straight from the database.</summary>
    public async Task<(long Open, long Resolved)> AlertsAsync(string key)
    {
        await using DbConnection connection = TestDatabase.Provider == DatabaseProvider.Postgres
            ? new NpgsqlConnection(Database.ConnectionString)
            : new SqliteConnection(Database.ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FILTER (WHERE resolved_at IS NULL), COUNT(*) FILTER (WHERE resolved_at IS NOT NULL) FROM operator_alerts WHERE key = @key";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@key";
        parameter.Value = key;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
        _servers.Clear();
        if (_chain is not null)
        {
            await _chain.DisposeAsync();
        }
        _api.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
