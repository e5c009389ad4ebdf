using Cryptopocket.Server.Data;

namespace Cryptopocket.Server.Features.Ledger;

/// <summary>Well-known ledger accounts. Per-integration and per-asset accounts carry the key after a colon.</summary>
public static class LedgerAccounts
{
    /// <summary>Money a payment service provider or bank owes the platform for a collected payment.</summary>
    public static string FiatReceivable(string paymentType) => $"receivable:{paymentType}";

    public const string ProcessingFeeRevenue = "revenue:processing_fee";
    public const string NetworkFeeRevenue = "revenue:network_fee";
    public static string PartnerFeePayable(int integrationId) => $"payable:partner_fee:{integrationId}";

    /// <summary>Trading accounts join the fiat and crypto legs of a conversion (multi-currency bookkeeping).</summary>
    public const string Trading = "trading";

    /// <summary>Crypto the platform owes customers for purchases paid and not yet delivered.</summary>
    public const string CryptoOwedToCustomers = "liability:crypto_owed";

    /// <summary>Crypto in the platform's own wallets on a chain (the hot wallet pays purchases out of it).</summary>
    public static string HotWalletInventory(string chain) => $"inventory:hot_wallet:{chain}";

    /// <summary>A separate treasury, when deposits are swept somewhere other than the hot wallet.</summary>
    public static string TreasuryInventory(string chain) => $"inventory:treasury:{chain}";

    /// <summary>Crypto sitting at off-ramp deposit addresses, not yet swept.</summary>
    public static string DepositInventory(string chain) => $"inventory:deposits:{chain}";

    /// <summary>Native coin the sweeper account holds to pay for sweeps.</summary>
    public static string SweeperInventory(string chain) => $"inventory:sweeper:{chain}";

    public const string NetworkFeeExpense = "expense:network_fee";

    /// <summary>Crypto deposited for an open sale, not converted yet.</summary>
    public const string DepositsPending = "liability:deposits_pending";

    /// <summary>Crypto received but not converted (late, another coin, beyond the amount asked): owed back to customers.</summary>
    public const string DepositsHeld = "liability:deposits_held";

    /// <summary>EUR owed to customers for crypto they sold, until the payout leaves the bank.</summary>
    public const string FiatOwedToCustomers = "liability:fiat_owed";

    /// <summary>The operator's bank account payouts are paid from.</summary>
    public const string PayoutBank = "bank:payouts";
}

/// <summary>
/// Builds one balanced posting and adds it to the context; it commits with whatever else the caller saves, so a
/// state change and its money movement are one transaction.
/// </summary>
public sealed class LedgerPosting(string postingId, string? paymentId, DateTime now)
{
    private readonly List<LedgerEntry> _entries = [];

    public LedgerPosting Debit(string account, string asset, decimal amount) => Add(account, asset, amount);

    public LedgerPosting Credit(string account, string asset, decimal amount) => Add(account, asset, -amount);

    public IReadOnlyList<LedgerEntry> Entries => _entries;

    public void AddTo(AppDbContext db) => db.LedgerEntries.AddRange(Balanced());

    /// <summary>Stages the lines with other rows of the caller's transaction, written together after its save.</summary>
    public void AddTo(AppendOnlyRows rows) => rows.Add(Balanced());

    private List<LedgerEntry> Balanced()
    {
        var unbalanced = _entries.GroupBy(e => e.Asset).Where(g => g.Sum(e => e.Amount) != 0).Select(g => g.Key).ToList();
        if (_entries.Count < 2 || unbalanced.Count > 0)
        {
            throw new InvalidOperationException($"Posting {postingId} does not balance for {string.Join(", ", unbalanced)}.");
        }
        return _entries;
    }

    private LedgerPosting Add(string account, string asset, decimal amount)
    {
        // Zero lines (no partner fee, say) carry no information; leaving them out keeps the ledger readable.
        if (amount != 0)
        {
            _entries.Add(new LedgerEntry { PostingId = postingId, Account = account, Asset = asset, Amount = amount, PaymentId = paymentId, CreatedAt = now });
        }
        return this;
    }
}
