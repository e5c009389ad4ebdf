using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Catalogue;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Ledger;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Rampoffs;

/// <summary>A confirmed transfer into a deposit address, in the asset's units.</summary>
public sealed record ConfirmedDeposit(
    string Chain, string TxHash, int LogIndex, long BlockNumber, string From, string To, string Asset, string? TokenContract,
    string AmountBaseUnits, decimal Amount);

/// <summary>
/// The money-moving transitions of a sale. Each adds the status change, its ledger posting and its event to the
/// context; the caller saves them in one transaction, and the operation's version makes a concurrent second attempt
/// fail instead of counting or paying twice.
/// </summary>
public sealed class RampoffLifecycle(AppDbContext db, IOptionsMonitor<CatalogueOptions> catalogue, IOptionsMonitor<RampoffOptions> options, TimeProvider clock)
{
    /// <summary>
    /// Records a deposit and decides what it is: counted towards an open operation of that coin, or held for the
    /// customer (late, another coin). Reaching the amount asked converts at the locked quote straight away; anything
    /// beyond it is held.
    /// </summary>
    public RampoffDeposit ApplyDeposit(Rampoff rampoff, ConfirmedDeposit deposit)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var credited = rampoff.IsOpen && string.Equals(deposit.Asset, rampoff.CoinSymbol, StringComparison.OrdinalIgnoreCase);
        var heldReason = credited ? null : rampoff.IsOpen ? "wrong_asset" : "late";
        var row = new RampoffDeposit
        {
            RampoffId = rampoff.Id, Chain = deposit.Chain, TxHash = deposit.TxHash, LogIndex = deposit.LogIndex, BlockNumber = deposit.BlockNumber,
            FromAddress = deposit.From, ToAddress = deposit.To, Asset = deposit.Asset, TokenContract = deposit.TokenContract,
            AmountBaseUnits = deposit.AmountBaseUnits, Amount = deposit.Amount,
            Disposition = credited ? DepositDispositions.Credited : DepositDispositions.Held, HeldReason = heldReason, DetectedAt = now,
        };
        db.RampoffDeposits.Add(row);
        new LedgerPosting($"deposit:{deposit.TxHash}:{deposit.LogIndex}", rampoff.Id, now)
            .Debit(LedgerAccounts.DepositInventory(deposit.Chain), deposit.Asset, deposit.Amount)
            .Credit(credited ? LedgerAccounts.DepositsPending : LedgerAccounts.DepositsHeld, deposit.Asset, deposit.Amount)
            .AddTo(db);
        if (credited)
        {
            rampoff.Credit(deposit.Amount, now);
            if (rampoff.IsFullyFunded)
            {
                Convert(rampoff, Requote(rampoff, rampoff.Amount), now);
            }
        }
        return row;
    }

    /// <summary>
    /// The deposit window closed (plus grace). Nothing arrived: expired. Less than asked arrived: it is converted at
    /// the locked rate if it is still worth the minimum after fees; otherwise rejected, and the crypto is held.
    /// </summary>
    public void Close(Rampoff rampoff)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (rampoff.ReceivedAmount == 0)
        {
            rampoff.Expire(now);
            Outbox.Add(db, rampoff.IntegrationId, EventTypes.RampoffFailed, rampoff.Id, rampoff.ToEventPayload(), now);
            return;
        }
        var quote = Requote(rampoff, rampoff.ReceivedAmount);
        var minimum = catalogue.CurrentValue.FindAsset(rampoff.CoinSymbol)?.MinPurchase ?? 0m;
        if (quote.GrossFiat < minimum || quote.FiatAmountCents <= 0)
        {
            rampoff.Reject("deposit_below_minimum", now);
            new LedgerPosting($"rampoff:{rampoff.Id}:rejected", rampoff.Id, now)
                .Debit(LedgerAccounts.DepositsPending, rampoff.CoinSymbol, rampoff.ReceivedAmount)
                .Credit(LedgerAccounts.DepositsHeld, rampoff.CoinSymbol, rampoff.ReceivedAmount)
                .AddTo(db);
            Outbox.Add(db, rampoff.IntegrationId, EventTypes.RampoffFailed, rampoff.Id, rampoff.ToEventPayload(), now);
            return;
        }
        Convert(rampoff, quote, now);
    }

    /// <summary>The payout reached the customer's bank: the operation is finished.</summary>
    public void Finish(Rampoff rampoff)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        rampoff.MarkFinished(now);
        new LedgerPosting($"rampoff:{rampoff.Id}:paid", rampoff.Id, now)
            .Debit(LedgerAccounts.FiatOwedToCustomers, rampoff.FiatSymbol, rampoff.FiatAmount)
            .Credit(LedgerAccounts.PayoutBank, rampoff.FiatSymbol, rampoff.FiatAmount)
            .AddTo(db);
        Outbox.Add(db, rampoff.IntegrationId, EventTypes.TransferRampoffFinished, rampoff.Id, rampoff.ToEventPayload(), now);
    }

    /// <summary>
    /// Converts at the locked rate: the crypto leaves "pending" for trading (and any excess for "held"), the EUR owed
    /// to the customer and the fees are booked, and CRYPTO_RECEIVED is emitted.
    /// </summary>
    private void Convert(Rampoff rampoff, RampoffQuoteBreakdown quote, DateTime now)
    {
        rampoff.MarkCryptoReceived(quote, now);
        var excess = rampoff.ReceivedAmount - quote.Amount;
        new LedgerPosting($"rampoff:{rampoff.Id}:received", rampoff.Id, now)
            .Debit(LedgerAccounts.DepositsPending, rampoff.CoinSymbol, rampoff.ReceivedAmount)
            .Credit(LedgerAccounts.Trading, rampoff.CoinSymbol, quote.Amount)
            .Credit(LedgerAccounts.DepositsHeld, rampoff.CoinSymbol, excess)
            .Debit(LedgerAccounts.Trading, rampoff.FiatSymbol, quote.GrossFiat)
            .Credit(LedgerAccounts.FiatOwedToCustomers, rampoff.FiatSymbol, quote.FiatAmountCents / 100m)
            .Credit(LedgerAccounts.ProcessingFeeRevenue, rampoff.FiatSymbol, quote.ProcessingFeeCents / 100m)
            .Credit(LedgerAccounts.NetworkFeeRevenue, rampoff.FiatSymbol, quote.NetworkFeeCents / 100m)
            .Credit(LedgerAccounts.PartnerFeePayable(rampoff.IntegrationId), rampoff.FiatSymbol, quote.PartnerFeeCents / 100m)
            .AddTo(db);
        Outbox.Add(db, rampoff.IntegrationId, EventTypes.CryptoReceived, rampoff.Id, rampoff.ToEventPayload(), now);
    }

    /// <summary>The locked rate applied to <paramref name="amount"/> with the fee rules; the full amount gives the creation quote back.</summary>
    private RampoffQuoteBreakdown Requote(Rampoff rampoff, decimal amount)
    {
        var chain = catalogue.CurrentValue.FindChain(rampoff.Chain) ?? new ChainOptions { Name = rampoff.Chain };
        return amount == rampoff.Amount
            ? new RampoffQuoteBreakdown(rampoff.Amount, rampoff.Rate, rampoff.GrossFiatCents, rampoff.ProcessingFeeCents, rampoff.NetworkFeeCents, rampoff.PartnerFeeCents)
            : RampoffQuoteCalculator.Calculate(amount, rampoff.Rate, chain, options.CurrentValue, rampoff.PartnerFeePercent);
    }
}
