using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cryptopocket.EndToEnd.Tests.Infrastructure;
using Cryptopocket.Server.Features.Payments.Wallets;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cryptopocket.EndToEnd.Tests;

/// <summary>
/// The sandbox with its local chain, as a new user meets it: <c>cryptopocket serve</c> brings up a Hardhat node, the
/// signer, the test tokens and funded hot wallets; <c>cryptopocket chain status</c> says where they are; a card
/// purchase paid in Chromium arrives on chain as an ERC-20 transfer to the customer's wallet, checked here with plain
/// JSON-RPC against the node (not the project's client); <c>cryptopocket chain faucet</c> gives test coins to anyone.
/// The fixture stops the server with SIGTERM at the end and fails unless the node and signer stop with it.
/// </summary>
public sealed partial class SandboxChainTests(SandboxChainFixture fixture) : IClassFixture<SandboxChainFixture>
{
    /// <summary>Hardhat's local chain id, which the sandbox keeps.</summary>
    private const long ChainId = 31337;

    private const string TransferTopic = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
    private const string BalanceOfSelector = "0x70a08231";
    private static readonly string[] ChainNames = ["polygon", "ethereum", "bsc"];
    private static readonly Regex StatusPage = new(@"/payment/[A-Za-z0-9]{25}/status(\?|$)", RegexOptions.Compiled);

    [Fact]
    public async Task ChainStatusListsEveryChainWithItsHotWalletTokensAndFundedBalances()
    {
        var status = await ChainStatusAsync();

        Assert.Equal(ChainId, status.GetProperty("chain_id").GetInt64());
        AssertLoopback(status.Text("rpc_url"), fixture.RpcPort);
        AssertLoopback(status.Text("signer_url"), fixture.SignerPort);
        var chains = status.GetProperty("chains");
        Assert.Equal(ChainNames.Order(), chains.EnumerateObject().Select(c => c.Name).Order());
        var hotWallets = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var tokenAddresses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in ChainNames)
        {
            var chain = chains.GetProperty(name);
            var context = $"{name}: {chain}";
            Assert.True(chain.GetProperty("chain_id").GetInt64() == ChainId, context);
            AssertLoopback(chain.Text("rpc_url"), fixture.RpcPort);
            var hotWallet = chain.Text("hot_wallet");
            AssertChecksummed(hotWallet, context);
            Assert.True(hotWallets.Add(hotWallet!), $"The hot wallet of {name} is shared with another chain.\n{status}");
            var native = chain.Text("native_symbol");
            Assert.False(string.IsNullOrEmpty(native), context);
            var balances = chain.GetProperty("hot_wallet_balances");
            Assert.True(Amount(balances, native!) > 0, $"{name}'s hot wallet has no {native} for gas.\n{context}");
            foreach (var symbol in new[] { "USDC", "USDT" })
            {
                var token = chain.GetProperty("tokens").GetProperty(symbol);
                var address = token.Text("address");
                AssertChecksummed(address, context);
                Assert.True(tokenAddresses.Add(address!), $"{symbol} on {name} shares its contract with another token.\n{status}");
                Assert.Equal(6, token.GetProperty("decimals").GetInt32());
                Assert.True(Amount(balances, symbol) > 0, $"{name}'s hot wallet holds no {symbol}.\n{context}");
                // A contract really is there, and it agrees about the balance.
                var code = (await RpcAsync("eth_getCode", address!, "latest")).GetString();
                Assert.True(code is { Length: > 2 }, $"No contract at {address} ({symbol} on {name}).");
                Assert.Equal(Amount(balances, symbol) * 1_000_000m, (decimal)await TokenBalanceAsync(address!, hotWallet!));
            }
        }
    }

    [Fact]
    public async Task AGuidedCardPurchaseArrivesOnChainAsAUsdcTransferToTheCustomersWallet()
    {
        // Webhooks as the guide suggests instead of polling: subscribed with form posts, exactly as curl would.
        await using var receiver = await Cryptopocket.Server.Tests.Infrastructure.WebhookReceiver.StartAsync();
        foreach (var type in new[] { "PAY_IN", "COINS_SENT" })
        {
            using var subscribe = await fixture.Partner.PostAsync("/api/subscribeToWebhook",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["type"] = type, ["url"] = new Uri(receiver.BaseAddress, "/hooks").ToString() }));
            Assert.Contains("subscription_created", await subscribe.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var wallet = NewWallet();
        var status = await ChainStatusAsync();
        var polygon = status.GetProperty("chains").GetProperty("polygon");
        var usdc = polygon.GetProperty("tokens").GetProperty("USDC").Text("address")!;
        var hotWallet = polygon.Text("hot_wallet")!;
        var created = await CreateGuidedPaymentAsync(100m);
        var paymentId = created.Text("payment_id")!;

        await using (var context = await fixture.NewPhoneContextAsync())
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(created.Text("gateway_url")!);
            await Expect(page.Locator("h1")).ToHaveTextAsync("Review your purchase");
            await page.Locator("#wallet").PressSequentiallyAsync(wallet);
            await page.GetByRole(AriaRole.Radio, new() { Name = "Card", Exact = true }).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await page.WaitForPageAsync(new Regex($"/payment/{paymentId}/card(\\?|$)"));
            await Expect(page.Locator("td#wallet")).ToHaveTextAsync(wallet);
            await page.Locator("#number").PressSequentiallyAsync("4242 4242 4242 4242");
            await page.Locator("#expiry").PressSequentiallyAsync("12/34");
            await page.Locator("#cvc").PressSequentiallyAsync("123");
            await page.Locator("#holder").PressSequentiallyAsync("Lucía García");
            await page.GetByRole(AriaRole.Button, new() { Name = "Pay 100.00 EUR" }).ClickAsync();
            await page.WaitForPageAsync(StatusPage);
        }

        var sent = await WaitForStatusAsync(paymentId, "coins_sent", TimeSpan.FromSeconds(60));
        Assert.Equal(wallet, sent.Text("wallet"));
        Assert.Equal("USDC", sent.Text("coin_symbol"));
        Assert.Equal("polygon", sent.Text("coin_chain"));
        var txid = sent.Text("txid");
        Assert.True(txid is not null && Regex.IsMatch(txid, "^0x[0-9a-f]{64}$"), $"Expected a transaction hash in txid.\n{sent}");
        var coinAmount = sent.GetProperty("coin_amount").GetDecimal();
        Assert.True(coinAmount > 0, sent.ToString());
        var baseUnits = coinAmount * 1_000_000m;
        Assert.True(baseUnits == decimal.Truncate(baseUnits), $"coin_amount {coinAmount} has more than USDC's 6 decimals.");

        var receipt = await RpcAsync("eth_getTransactionReceipt", txid);
        Assert.True(receipt.ValueKind == JsonValueKind.Object, $"No receipt for {txid}.");
        Assert.Equal("0x1", receipt.Text("status"));
        Assert.Equal(usdc, receipt.Text("to"), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(hotWallet, receipt.Text("from"), StringComparer.OrdinalIgnoreCase);
        var log = Assert.Single(receipt.GetProperty("logs").EnumerateArray());
        Assert.Equal(usdc, log.Text("address"), StringComparer.OrdinalIgnoreCase);
        var topics = log.GetProperty("topics").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Equal(3, topics.Count);
        Assert.Equal(TransferTopic, topics[0], StringComparer.OrdinalIgnoreCase);
        Assert.Equal(Topic(hotWallet), topics[1], StringComparer.OrdinalIgnoreCase);
        Assert.Equal(Topic(wallet), topics[2], StringComparer.OrdinalIgnoreCase);
        Assert.Equal(new BigInteger(baseUnits), Quantity(log.Text("data")!));
        // And the wallet now holds exactly that.
        Assert.Equal(new BigInteger(baseUnits), await TokenBalanceAsync(usdc, wallet));

        // PAY_IN then COINS_SENT reached the receiver, signed as documented (checked here with independent code).
        var hooks = await receiver.WaitForAsync(r => r.Path == "/hooks", 2, TimeSpan.FromSeconds(30));
        Assert.Equal(["PAY_IN", "COINS_SENT"], hooks.Select(h => JsonDocument.Parse(h.Body).RootElement.GetProperty("type").GetString()!).ToArray());
        var secret = fixture.SandboxApiSecret;
        foreach (var hook in hooks)
        {
            var signed = hook.Body.Concat(Encoding.ASCII.GetBytes(hook.Headers["X-Timestamp"])).ToArray();
            Assert.Equal(Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)).ToLowerInvariant(), hook.Headers["X-Signature"]);
            Assert.Equal(paymentId, JsonDocument.Parse(hook.Body).RootElement.GetProperty("data").GetProperty("id").GetString());
        }
        Assert.Equal(txid, JsonDocument.Parse(hooks[1].Body).RootElement.GetProperty("data").GetProperty("txid").GetString());
        using var deliveryLog = JsonDocument.Parse(await fixture.Partner.GetStringAsync("/api/webhooks/deliveries"));
        var delivered = deliveryLog.RootElement.GetProperty("data").EnumerateArray()
            .Where(d => d.GetProperty("event_type").GetString() is "PAY_IN" or "COINS_SENT").ToList();
        Assert.Equal(2, delivered.Count);
        Assert.All(delivered, d =>
        {
            Assert.Equal("delivered", d.GetProperty("status").GetString());
            Assert.Equal(200, d.GetProperty("attempt_log")[0].GetProperty("status_code").GetInt32());
        });
    }

    [Fact]
    public async Task TheFaucetGivesTokensAndNativeCoinToANewAddress()
    {
        var address = NewWallet();
        var status = await ChainStatusAsync();
        var usdt = status.GetProperty("chains").GetProperty("ethereum").GetProperty("tokens").GetProperty("USDT").Text("address")!;

        var tokens = (await fixture.RunAsync("chain", "faucet", "--address", address, "--symbol", "USDT", "--amount", "250.5", "--chain", "ethereum", "--json")).Json();
        var coins = (await fixture.RunAsync("chain", "faucet", "--address", address, "--symbol", "ETH", "--amount", "1.5", "--chain", "ethereum", "--json")).Json();

        Assert.Equal(address, tokens.Text("address"));
        Assert.Equal("USDT", tokens.Text("symbol"));
        Assert.Equal(250.5m, tokens.GetProperty("amount").GetDecimal());
        Assert.Equal("ETH", coins.Text("symbol"));
        foreach (var hash in new[] { tokens.Text("tx_hash"), coins.Text("tx_hash") })
        {
            var receipt = await RpcAsync("eth_getTransactionReceipt", hash);
            Assert.True(receipt.ValueKind == JsonValueKind.Object && receipt.Text("status") == "0x1", $"Faucet transaction {hash}: {receipt}");
        }
        Assert.Equal(new BigInteger(250_500_000), await TokenBalanceAsync(usdt, address));
        Assert.Equal(BigInteger.Parse("1500000000000000000", CultureInfo.InvariantCulture), Quantity((await RpcAsync("eth_getBalance", address, "latest")).GetString()!));
        // Only ethereum's USDT moved: the same symbol on polygon is another contract.
        var polygonUsdt = status.GetProperty("chains").GetProperty("polygon").GetProperty("tokens").GetProperty("USDT").Text("address")!;
        Assert.Equal(BigInteger.Zero, await TokenBalanceAsync(polygonUsdt, address));
    }

    [Fact]
    public async Task TheFaucetRefusesABadAddressAndAnUnknownSymbol()
    {
        var badAddress = await fixture.RunAsync("chain", "faucet", "--address", "0x1234", "--symbol", "USDT", "--amount", "1", "--json");
        var unknownSymbol = await fixture.RunAsync("chain", "faucet", "--address", NewWallet(), "--symbol", "DOGE", "--amount", "1", "--chain", "ethereum", "--json");

        Assert.True(badAddress.ExitCode == 1, $"Expected exit code 1.\n{badAddress}");
        Assert.True(badAddress.Stdout.Trim().Length == 0, $"Expected nothing on stdout.\n{badAddress}");
        Assert.Contains(EvmAddress.FormatError, badAddress.Stderr, StringComparison.Ordinal);
        Assert.True(unknownSymbol.ExitCode == 1, $"Expected exit code 1.\n{unknownSymbol}");
        Assert.True(unknownSymbol.Stdout.Trim().Length == 0, $"Expected nothing on stdout.\n{unknownSymbol}");
        Assert.Contains("DOGE", unknownSymbol.Stderr, StringComparison.Ordinal);
        Assert.Contains("USDT", unknownSymbol.Stderr, StringComparison.Ordinal);
    }

    private async Task<JsonElement> ChainStatusAsync() => (await fixture.RunAsync("chain", "status", "--json")).Json();

    /// <summary><c>POST /api/createGuidedPayment</c> as the guide's curl sends it.</summary>
    private async Task<JsonElement> CreateGuidedPaymentAsync(decimal fiatAmount)
    {
        var body = new JsonObject
        {
            ["user_id"] = fixture.CustomerId,
            ["coin_symbol"] = "USDC",
            ["coin_chain"] = "polygon",
            ["fiat_amount"] = fiatAmount,
            ["fiat_symbol"] = "EUR",
            ["external_id"] = $"e2e-{Guid.NewGuid():N}",
        };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await fixture.Partner.PostAsync("/api/createGuidedPayment", content);
        var answer = await response.ReadJsonAsync();
        Assert.True(answer.Text("status") == "success" && answer.Text("message") == "guided_payment_created",
            $"createGuidedPayment failed: {answer}\n{fixture.Server.Output}");
        return answer.GetProperty("data");
    }

    /// <summary>Polls <c>GET /api/payment/{id}</c> until the purchase reaches <paramref name="wanted"/>.</summary>
    private async Task<JsonElement> WaitForStatusAsync(string paymentId, string wanted, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        JsonElement detail;
        do
        {
            using var response = await fixture.Partner.GetAsync($"/api/payment/{paymentId}");
            var answer = await response.ReadJsonAsync();
            Assert.True(answer.Text("status") == "ok", $"GET /api/payment/{paymentId} failed: {answer}");
            detail = answer.GetProperty("data");
            if (detail.Text("status") == wanted)
            {
                return detail;
            }
            await Task.Delay(250);
        }
        while (clock.Elapsed < timeout);
        Assert.Fail($"{paymentId} did not reach {wanted} within {timeout.TotalSeconds:0} s: {detail}\n{fixture.Server.Output}");
        return detail;
    }

    /// <summary>eth_call balanceOf(owner) on <paramref name="token"/>.</summary>
    private async Task<BigInteger> TokenBalanceAsync(string token, string owner)
    {
        var data = BalanceOfSelector + owner[2..].ToLowerInvariant().PadLeft(64, '0');
        var result = await RpcAsync("eth_call", new JsonObject { ["to"] = token, ["data"] = data }, "latest");
        return Quantity(result.GetString()!);
    }

    private string? _rpcUrl;

    /// <summary>One JSON-RPC call with a plain HttpClient against the rpc_url <c>chain status</c> printed.</summary>
    private async Task<JsonElement> RpcAsync(string method, params JsonNode?[] parameters)
    {
        _rpcUrl ??= (await ChainStatusAsync()).Text("rpc_url")!;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = new JsonArray(parameters) };
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(_rpcUrl, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method}: HTTP {(int)response.StatusCode} {text}");
        using var document = JsonDocument.Parse(text);
        Assert.False(document.RootElement.TryGetProperty("error", out var error), $"{method}: {error}");
        return document.RootElement.GetProperty("result").Clone();
    }

    /// <summary>A hex quantity or 32-byte word as a non-negative integer.</summary>
    private static BigInteger Quantity(string hex)
    {
        Assert.StartsWith("0x", hex, StringComparison.Ordinal);
        var digits = hex[2..];
        return digits.Length == 0 ? BigInteger.Zero : BigInteger.Parse("0" + digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    /// <summary>An address as an indexed event topic: left-padded to 32 bytes.</summary>
    private static string Topic(string address) => "0x" + address[2..].ToLowerInvariant().PadLeft(64, '0');

    /// <summary>A wallet nobody has used: 20 random bytes, written with its EIP-55 checksum.</summary>
    private static string NewWallet() => EvmAddress.ToChecksum(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)));

    private static decimal Amount(JsonElement balances, string symbol)
    {
        Assert.True(balances.TryGetProperty(symbol, out var value), $"No {symbol} balance in {balances}.");
        // Printed as a string so that 18-decimal amounts survive JSON readers that use doubles.
        return value.ValueKind == JsonValueKind.String
            ? decimal.Parse(value.GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture)
            : value.GetDecimal();
    }

    private static void AssertLoopback(string? url, int port)
    {
        Assert.True(Uri.TryCreate(url, UriKind.Absolute, out var uri), $"Not a URL: {url}");
        Assert.Equal("http", uri.Scheme);
        Assert.Equal("127.0.0.1", uri.Host);
        Assert.Equal(port, uri.Port);
    }

    private static void AssertChecksummed(string? address, string context)
    {
        Assert.True(address is not null && EvmAddress.Validate(address).IsValid && address == EvmAddress.ToChecksum(address),
            $"Expected an EIP-55 address, got {address}.\n{context}");
    }
}
