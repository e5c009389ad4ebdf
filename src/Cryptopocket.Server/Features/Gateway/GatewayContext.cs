using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Catalogue;
using Cryptopocket.Server.Features.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Gateway;

/// <summary>The gateway's reads and actions on one purchase, with the customer's double clicks and races handled.</summary>
public sealed class GatewayContext(
    AppDbContext db, PaymentLifecycle lifecycle, IOptionsMonitor<CatalogueOptions> catalogue, IOptionsMonitor<PaymentOptions> options,
    TimeProvider clock, ILogger<GatewayContext> logger)
{
    /// <summary>The purchase (expired on the spot if its quote ran out) and the page language.</summary>
    public async Task<(Payment? Payment, GatewayTexts Texts)> LoadAsync(string paymentId, HttpContext http)
    {
        var texts = GatewayPages.TextsFor(http);
        if (paymentId.Length != 25 || !paymentId.All(char.IsAsciiLetterOrDigit))
        {
            return (null, texts);
        }
        var payment = await db.Payments.SingleOrDefaultAsync(p => p.Id == paymentId, http.RequestAborted);
        if (payment is { Status: PaymentStatuses.Started } && payment.ExpiresAt <= clock.GetUtcNow().UtcDateTime)
        {
            await TryAsync(payment, () => lifecycle.ExpireAsync(payment, http.RequestAborted));
        }
        return (payment, texts);
    }

    public async Task<GatewayView> ViewAsync(Payment payment, CancellationToken cancellationToken)
    {
        var allowed = await db.Integrations.AsNoTracking().Where(i => i.Id == payment.IntegrationId)
            .Select(i => i.AllowedPaymentMethods).SingleAsync(cancellationToken);
        var methods = catalogue.CurrentValue.PaymentMethods.Select(m => m.Code)
            .Where(Integrations.Integration.ParseMethods(allowed).Contains).ToList();
        return GatewayView.From(payment, methods);
    }

    /// <summary>
    /// A guided purchase's customer picked the method and wallet. The rate stays as locked at creation; the fees are
    /// the chosen method's. Switching to card counts against the quarterly card limit like a new card purchase.
    /// Answers an error message for the page, or null.
    /// </summary>
    public async Task<string?> ChooseMethodAsync(Payment payment, string method, string wallet, CancellationToken cancellationToken)
    {
        var listing = catalogue.CurrentValue.FindListing(payment.CoinSymbol, payment.Chain);
        var methodOptions = catalogue.CurrentValue.FindPaymentMethod(method);
        if (listing is not { } found || methodOptions is null)
        {
            return GatewayTexts.English.ErrorMethod;
        }
        var partnerFee = await db.Integrations.AsNoTracking().Where(i => i.Id == payment.IntegrationId).Select(i => i.PartnerFeePercent).SingleAsync(cancellationToken);
        var quote = QuoteCalculator.Calculate(payment.FiatAmount, found.Asset, found.Chain, methodOptions, partnerFee, payment.Rate);
        if (quote.CoinAmount <= 0)
        {
            return "The amount does not cover this method's fees.";
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.BeginOrJoinAsync(cancellationToken);
        if (method == PaymentTypes.Card && payment.PaymentType != PaymentTypes.Card)
        {
            var customer = (await db.ReadCustomerAsync(payment.CustomerId, payment.IntegrationId, forUpdate: true, cancellationToken))!;
            if (!await CardLimit.TryAddAsync(db, customer, payment, options.CurrentValue.QuarterlyCardLimit, now, cancellationToken))
            {
                return "The quarterly card limit would be exceeded; choose another method.";
            }
        }
        else if (method != PaymentTypes.Card && CardLimit.Counts(payment))
        {
            await CardLimit.ReleaseAsync(db, payment, cancellationToken);
        }
        payment.ChooseMethod(method, (long)(quote.ProcessingFee * 100), (long)(quote.PartnerFee * 100), quote.CoinAmount, now);
        payment.SetWallet(wallet, now);
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return null;
    }

    public Task ReceiveAsync(Payment payment, string holderJson, CancellationToken cancellationToken) =>
        TryAsync(payment, () => lifecycle.RecordPaymentReceivedAsync(payment, holderJson, cancellationToken));

    public Task RejectAsync(Payment payment, string reason, CancellationToken cancellationToken) =>
        TryAsync(payment, () => lifecycle.RejectAsync(payment, reason, cancellationToken));

    public Task MarkSentAsync(Payment payment, CancellationToken cancellationToken) =>
        TryAsync(payment, () => lifecycle.MarkPendingBankAsync(payment, cancellationToken));

    public async Task<string> CustomerNameAsync(Payment payment, CancellationToken cancellationToken) =>
        (await db.Customers.AsNoTracking().Where(c => c.Id == payment.CustomerId)
            .Select(c => c.Name + " " + c.LastName).SingleAsync(cancellationToken)).ToUpperInvariant();

    /// <summary>
    /// Runs a transition; if another request changed the purchase first (a double submit, the expiry job), that
    /// change stands and the page simply shows the purchase as it now is.
    /// </summary>
    private async Task TryAsync(Payment payment, Func<Task> transition)
    {
        try
        {
            await transition();
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogInformation("Purchase {PaymentId} changed concurrently; keeping the other change", payment.Id);
            db.ChangeTracker.Clear();
            await db.Entry(payment).ReloadAsync();
        }
    }
}
