using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cryptopocket.EndToEnd.Tests.Infrastructure;
using Cryptopocket.Server.Tests.Payouts;

namespace Cryptopocket.EndToEnd.Tests;

/// <summary>
/// Selling crypto in the sandbox as a new user would: the customer's own wallet (a development account of the node,
/// which signs eth_sendTransaction itself) is funded with <c>cryptopocket chain faucet</c>, sends USDC to the address
/// createRampoff returned, and getRampoff shows crypto_received and then finished. A second sale is paid the
/// production way: <c>cryptopocket payouts export</c> writes a pain.001 file that validates, and <c>payouts confirm</c>
/// finishes it.
/// </summary>
public sealed partial class SandboxChainTests
{
    [Fact]
    public async Task USDCSentFromTheCustomersOwnWalletIsReceivedSweptAndPaidOutInTheSandbox()
    {
        var status = await ChainStatusAsync();
        var usdc = status.GetProperty("chains").GetProperty("polygon").GetProperty("tokens").GetProperty("USDC").Text("address")!;
        var customerWallet = (await RpcAsync("eth_accounts"))[7].GetString()!;
        var faucet = await fixture.RunAsync("chain", "faucet", "--address", customerWallet, "--symbol", "USDC", "--amount", "500", "--chain", "polygon", "--json");
        Assert.True(faucet.ExitCode == 0, faucet.ToString());

        var sale = await CreateRampoffAsync(120m);
        var id = sale.Text("id")!;
        var depositAddress = sale.Text("wallet")!;
        await SendUsdcAsync(usdc, customerWallet, depositAddress, 120m);

        var received = await WaitForRampoffAsync(id, "crypto_received", TimeSpan.FromSeconds(60));
        Assert.Equal("120000000", received.Text("amount"));
        Assert.Equal(6, received.GetProperty("decimals").GetInt32());
        Assert.Equal("120000000", received.Text("received_amount"));
        // 120 × 0.92 = 110.40; 1 % is 1.10 (1.104), network 0.10: 109.20 to the IBAN.
        Assert.Equal("109.20", received.Text("fiat_amount"));
        var finished = await WaitForRampoffAsync(id, "finished", TimeSpan.FromSeconds(60));
        Assert.Equal("109.20", finished.Text("fiat_amount"));
        // The deposit address was swept to the treasury: nothing is left at it.
        await WaitUntilAsync(async () => await TokenBalanceAsync(usdc, depositAddress) == 0, "the deposit address is swept", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task APayoutExportedAsPain001AndConfirmedFinishesTheSale()
    {
        var status = await ChainStatusAsync();
        var usdc = status.GetProperty("chains").GetProperty("polygon").GetProperty("tokens").GetProperty("USDC").Text("address")!;
        var customerWallet = (await RpcAsync("eth_accounts"))[8].GetString()!;
        Assert.Equal(0, (await fixture.RunAsync("chain", "faucet", "--address", customerWallet, "--symbol", "USDC", "--amount", "500", "--chain", "polygon", "--json")).ExitCode);
        var sale = await CreateRampoffAsync(50m);
        var id = sale.Text("id")!;
        await SendUsdcAsync(usdc, customerWallet, sale.Text("wallet")!, 50m);
        await WaitForRampoffAsync(id, "crypto_received", TimeSpan.FromSeconds(60));

        var file = Path.Combine(fixture.DataDir, $"payouts-{Guid.NewGuid():N}.xml");
        var export = await fixture.RunAsync("payouts", "export", "--out", file, "--json");
        Assert.True(export.ExitCode == 0, export.ToString());
        var batch = export.Json().Text("batch")!;
        var xml = await File.ReadAllTextAsync(file);
        Assert.Empty(Pain001Schema.Errors(xml));
        Assert.Contains($"<EndToEndId>{id}</EndToEndId>", xml, StringComparison.Ordinal);
        Assert.Contains("<IBAN>ES9121000418450200051332</IBAN>", xml, StringComparison.Ordinal);
        Assert.Equal("payout_sent", (await WaitForRampoffAsync(id, "payout_sent", TimeSpan.FromSeconds(5))).Text("status"));

        var confirm = await fixture.RunAsync("payouts", "confirm", "--batch", batch, "--json");
        Assert.True(confirm.ExitCode == 0, confirm.ToString());
        Assert.True(confirm.Json().GetProperty("finished").GetInt32() >= 1, confirm.ToString());
        Assert.Equal("finished", (await WaitForRampoffAsync(id, "finished", TimeSpan.FromSeconds(5))).Text("status"));
        var again = await fixture.RunAsync("payouts", "confirm", "--batch", batch, "--json");
        Assert.Equal(0, again.Json().GetProperty("finished").GetInt32());
    }

    private async Task<JsonElement> CreateRampoffAsync(decimal amount)
    {
        var body = new JsonObject
        {
            ["user_id"] = fixture.CustomerId, ["amount"] = amount, ["blockchain"] = "polygon", ["symbol"] = "USDC", ["iban"] = "ES9121000418450200051332",
        };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await fixture.Partner.PostAsync("/api/createRampoff", content);
        var answer = await response.ReadJsonAsync();
        Assert.True(answer.Text("status") == "ok", $"createRampoff failed: {answer}\n{fixture.Server.Output}");
        Assert.Equal("payment created", answer.GetProperty("data").Text("rampoff"));
        return answer.GetProperty("data");
    }

    /// <summary>ERC-20 transfer(to, amount) signed by the node for the customer's own (unlocked) account.</summary>
    private async Task SendUsdcAsync(string token, string from, string to, decimal amount)
    {
        var data = "0xa9059cbb" + to[2..].ToLowerInvariant().PadLeft(64, '0')
                   + new BigInteger(amount * 1_000_000m).ToString("x", CultureInfo.InvariantCulture).PadLeft(64, '0');
        var hash = (await RpcAsync("eth_sendTransaction", new JsonObject { ["from"] = from, ["to"] = token, ["data"] = data })).GetString()!;
        await WaitUntilAsync(async () => (await RpcAsync("eth_getTransactionReceipt", hash)).ValueKind == JsonValueKind.Object, $"{hash} is mined", TimeSpan.FromSeconds(30));
        Assert.Equal("0x1", (await RpcAsync("eth_getTransactionReceipt", hash)).Text("status"));
    }

    private async Task<JsonElement> WaitForRampoffAsync(string id, string wanted, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        JsonElement detail;
        do
        {
            using var response = await fixture.Partner.GetAsync($"/api/getRampoff?id={id}");
            var answer = await response.ReadJsonAsync();
            Assert.True(answer.Text("status") == "ok", $"getRampoff {id} failed: {answer}");
            detail = answer.GetProperty("data");
            if (detail.Text("status") == wanted)
            {
                return detail;
            }
            await Task.Delay(250);
        }
        while (clock.Elapsed < timeout);
        Assert.Fail($"{id} did not reach {wanted} within {timeout.TotalSeconds:0} s: {detail}\n{fixture.Server.Output}");
        return detail;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < timeout, $"Timed out waiting until {what}.");
            await Task.Delay(250);
        }
    }
}
