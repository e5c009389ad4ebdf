using System.Security.Cryptography;
using System.Text.Json;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Catalogue;
using Cryptopocket.Server.Features.Gateway.Pages;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Features.Payments.Wallets;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Gateway;

/// <summary>
/// The hosted payment gateway at <c>/payment/{payment_id}</c>: review, wallet and method (guided purchases), then the
/// sandbox card, PSD2 or transfer page, then a live status page that returns the customer to the partner. The
/// 25-character payment id is the capability; every form carries an antiforgery token and every action re-checks the
/// purchase's current status, so a replayed or tampered form changes nothing.
/// </summary>
public static class GatewayPages
{
    private const string ChallengePurpose = "Cryptopocket.Gateway.CardChallenge.v1";

    public static IEndpointRouteBuilder MapGatewayPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/gateway/{method}", OpenByTokenAsync).ExcludeFromDescription();
        var pages = app.MapGroup("/payment/{paymentId}").ExcludeFromDescription().DisableAntiforgery();
        pages.MapGet("/", ReviewAsync);
        pages.MapPost("/", ChooseAsync);
        pages.MapGet("/card", CardAsync);
        pages.MapPost("/card", PayByCardAsync);
        pages.MapPost("/card/challenge", AnswerChallengeAsync);
        pages.MapGet("/psd2", Psd2Async);
        pages.MapPost("/psd2", AnswerPsd2Async);
        pages.MapGet("/transfer", TransferAsync);
        pages.MapPost("/transfer", TransferSentAsync);
        pages.MapGet("/status", StatusAsync);
        return app;
    }

    private static async Task<IResult> OpenByTokenAsync(string method, HttpContext http, AppDbContext db)
    {
        var token = http.Request.Query["token"].ToString();
        var payment = token.Length is > 0 and <= 64
            ? await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.GatewayToken == token, http.RequestAborted)
            : null;
        if (payment is null || payment.PaymentType != method)
        {
            return NotFound(TextsFor(http));
        }
        return Results.Redirect($"/payment/{payment.Id}/{payment.PaymentType}{LangQuery(http)}");
    }

    private static async Task<IResult> ReviewAsync(string paymentId, HttpContext http, GatewayContext gateway)
    {
        var (payment, texts) = await gateway.LoadAsync(paymentId, http);
        if (payment is null)
        {
            return NotFound(texts);
        }
        if (payment.Status != PaymentStatuses.Started)
        {
            return ToStatus(payment, http);
        }
        return Page<GatewayReviewPage>(texts, await gateway.ViewAsync(payment, http.RequestAborted), new Dictionary<string, string>());
    }

    private static async Task<IResult> ChooseAsync(string paymentId, HttpContext http, GatewayContext gateway, IAntiforgery antiforgery)
    {
        var (payment, texts) = await gateway.LoadAsync(paymentId, http);
        if (payment is null)
        {
            return NotFound(texts);
        }
        if (payment.Status != PaymentStatuses.Started || !await IsValidFormAsync(http, antiforgery))
        {
            return ToStatus(payment, http);
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var view = await gateway.ViewAsync(payment, http.RequestAborted);
        var errors = new Dictionary<string, string>();
        string? wallet = null;
        if (payment.Guided)
        {
            var check = EvmAddress.Validate(form["wallet"].ToString().Trim());
            if (check.IsValid)
            {
                wallet = check.Normalized;
            }
            else
            {
                errors["wallet"] = texts.ErrorWallet;
            }
        }
        var method = payment.Guided ? form["method"].ToString() : payment.PaymentType;
        if (!view.Methods.Contains(method))
        {
            errors["method"] = texts.ErrorMethod;
        }
        if (errors.Count > 0)
        {
            return Page<GatewayReviewPage>(texts, view, errors, StatusCodes.Status422UnprocessableEntity);
        }
        if (payment.Guided)
        {
            var refused = await gateway.ChooseMethodAsync(payment, method, wallet!, http.RequestAborted);
            if (refused is not null)
            {
                return Page<GatewayReviewPage>(texts, view, new Dictionary<string, string> { ["method"] = refused }, StatusCodes.Status422UnprocessableEntity);
            }
        }
        return Results.Redirect($"/payment/{payment.Id}/{payment.PaymentType}{LangQuery(http)}");
    }

    private static async Task<IResult> CardAsync(string paymentId, HttpContext http, GatewayContext gateway) =>
        await MethodPageAsync<GatewayCardPage>(paymentId, PaymentTypes.Card, http, gateway);

    private static async Task<IResult> PayByCardAsync(
        string paymentId, HttpContext http, GatewayContext gateway, IAntiforgery antiforgery, IDataProtectionProvider protection, TimeProvider clock)
    {
        var (payment, texts, refused) = await ActionableAsync(paymentId, PaymentTypes.Card, http, gateway, antiforgery);
        if (refused is not null)
        {
            return refused;
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var digits = SandboxCards.Digits(form["number"]);
        var holder = form["holder"].ToString().Trim();
        var errors = new Dictionary<string, string>();
        if (!SandboxCards.PassesLuhn(digits))
        {
            errors["number"] = texts.ErrorCard;
        }
        else if (SandboxCards.Outcome(digits) == CardOutcome.Unknown)
        {
            errors["number"] = texts.ErrorUnknownCard;
        }
        if (!SandboxCards.IsValidExpiry(form["expiry"], clock.GetUtcNow().UtcDateTime))
        {
            errors["expiry"] = texts.ErrorExpiry;
        }
        if (SandboxCards.Digits(form["cvc"]) is not { Length: 3 or 4 } || form["cvc"].ToString().Trim().Length > 4)
        {
            errors["cvc"] = texts.ErrorCvc;
        }
        if (holder.Length is 0 or > 100 || holder.Any(char.IsControl))
        {
            errors["holder"] = texts.ErrorHolder;
        }
        if (errors.Count > 0)
        {
            return Page<GatewayCardPage>(texts, await gateway.ViewAsync(payment, http.RequestAborted), errors, StatusCodes.Status422UnprocessableEntity);
        }
        var holderJson = Holder(("method", "card"), ("name", holder.ToUpperInvariant()), ("card_brand", "visa"), ("card_last4", digits[^4..]));
        switch (SandboxCards.Outcome(digits))
        {
            case CardOutcome.Approve:
                await gateway.ReceiveAsync(payment, holderJson, http.RequestAborted);
                break;
            case CardOutcome.Decline:
                await gateway.RejectAsync(payment, "card_declined", http.RequestAborted);
                break;
            default:
                // The challenge step: what was approved so far travels encrypted and expiring, never as plain fields.
                var state = protection.CreateProtector(ChallengePurpose).ToTimeLimitedDataProtector()
                    .Protect($"{payment.Id}\n{holderJson}", TimeSpan.FromMinutes(10));
                return Page<GatewayChallengePage>(texts, await gateway.ViewAsync(payment, http.RequestAborted),
                    new Dictionary<string, string>(), extra: new() { [nameof(GatewayChallengePage.State)] = state });
        }
        return ToStatus(payment, http);
    }

    private static async Task<IResult> AnswerChallengeAsync(
        string paymentId, HttpContext http, GatewayContext gateway, IAntiforgery antiforgery, IDataProtectionProvider protection)
    {
        var (payment, texts, refused) = await ActionableAsync(paymentId, PaymentTypes.Card, http, gateway, antiforgery);
        if (refused is not null)
        {
            return refused;
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        string holderJson;
        try
        {
            var state = protection.CreateProtector(ChallengePurpose).ToTimeLimitedDataProtector().Unprotect(form["state"].ToString());
            var parts = state.Split('\n', 2);
            if (parts.Length != 2 || parts[0] != payment.Id)
            {
                return Results.Redirect($"/payment/{payment.Id}/card{LangQuery(http)}");
            }
            holderJson = parts[1];
        }
        catch (CryptographicException)
        {
            // Tampered, expired or from another purchase: start the card step again.
            return Results.Redirect($"/payment/{payment.Id}/card{LangQuery(http)}");
        }
        if (form["action"] == "cancel" || form["code"].ToString().Trim() != SandboxCards.ChallengeCode)
        {
            await gateway.RejectAsync(payment, form["action"] == "cancel" ? "card_challenge_cancelled" : "card_challenge_failed", http.RequestAborted);
        }
        else
        {
            await gateway.ReceiveAsync(payment, holderJson, http.RequestAborted);
        }
        return ToStatus(payment, http);
    }

    private static async Task<IResult> Psd2Async(string paymentId, HttpContext http, GatewayContext gateway) =>
        await MethodPageAsync<GatewayPsd2Page>(paymentId, PaymentTypes.Psd2, http, gateway);

    private static async Task<IResult> AnswerPsd2Async(
        string paymentId, HttpContext http, GatewayContext gateway, IAntiforgery antiforgery, IOptionsMonitor<PaymentOptions> options)
    {
        var (payment, texts, refused) = await ActionableAsync(paymentId, PaymentTypes.Psd2, http, gateway, antiforgery);
        if (refused is not null)
        {
            return refused;
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (form["action"] == "cancel")
        {
            await gateway.RejectAsync(payment, "psd2_cancelled", http.RequestAborted);
            return ToStatus(payment, http);
        }
        var bank = form["bank"].ToString();
        if (!options.CurrentValue.SandboxBanks.Contains(bank))
        {
            return Page<GatewayPsd2Page>(texts, await gateway.ViewAsync(payment, http.RequestAborted),
                new Dictionary<string, string> { ["bank"] = texts.ErrorBank }, StatusCodes.Status422UnprocessableEntity);
        }
        var customer = await gateway.CustomerNameAsync(payment, http.RequestAborted);
        await gateway.ReceiveAsync(payment, Holder(("method", "psd2"), ("name", customer), ("bank", bank)), http.RequestAborted);
        return ToStatus(payment, http);
    }

    private static async Task<IResult> TransferAsync(string paymentId, HttpContext http, GatewayContext gateway) =>
        await MethodPageAsync<GatewayTransferPage>(paymentId, PaymentTypes.Transfer, http, gateway);

    private static async Task<IResult> TransferSentAsync(string paymentId, HttpContext http, GatewayContext gateway, IAntiforgery antiforgery)
    {
        var (payment, texts) = await gateway.LoadAsync(paymentId, http);
        if (payment is null)
        {
            return NotFound(texts);
        }
        if (IsActionable(payment, PaymentTypes.Transfer) && await IsValidFormAsync(http, antiforgery))
        {
            await gateway.MarkSentAsync(payment, http.RequestAborted);
        }
        return ToStatus(payment, http);
    }

    private static async Task<IResult> StatusAsync(string paymentId, HttpContext http, GatewayContext gateway)
    {
        var (payment, texts) = await gateway.LoadAsync(paymentId, http);
        if (payment is null)
        {
            return NotFound(texts);
        }
        var view = await gateway.ViewAsync(payment, http.RequestAborted);
        return Page<GatewayStatusPage>(texts, view, new Dictionary<string, string>(),
            extra: new() { [nameof(GatewayStatusPage.ReturnUrl)] = ReturnUrl(payment) });
    }

    /// <summary>
    /// The purchase behind a form post, or the answer to give instead: not found, or — when it no longer awaits this
    /// method's payment or the form's antiforgery token is wrong — its status page, so a replay changes nothing.
    /// </summary>
    private static async Task<(Payment Payment, GatewayTexts Texts, IResult? Refused)> ActionableAsync(
        string paymentId, string method, HttpContext http, GatewayContext gateway, IAntiforgery antiforgery)
    {
        var (payment, texts) = await gateway.LoadAsync(paymentId, http);
        if (payment is null)
        {
            return (null!, texts, NotFound(texts));
        }
        if (!IsActionable(payment, method) || !await IsValidFormAsync(http, antiforgery))
        {
            return (payment, texts, ToStatus(payment, http));
        }
        return (payment, texts, null);
    }

    private static async Task<IResult> MethodPageAsync<TPage>(string paymentId, string method, HttpContext http, GatewayContext gateway)
        where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        var (payment, texts) = await gateway.LoadAsync(paymentId, http);
        if (payment is null)
        {
            return NotFound(texts);
        }
        if (payment.Status == PaymentStatuses.Started && payment.PaymentType == method && payment.Wallet is null)
        {
            return Results.Redirect($"/payment/{payment.Id}{LangQuery(http)}");
        }
        if (!IsActionable(payment, method))
        {
            return ToStatus(payment, http);
        }
        return Page<TPage>(texts, await gateway.ViewAsync(payment, http.RequestAborted), new Dictionary<string, string>());
    }

    /// <summary>The partner's callback_url with the outcome appended, once the customer is done with the gateway.</summary>
    internal static string? ReturnUrl(Payment payment) =>
        payment.CallbackUrl is null || payment.Status == PaymentStatuses.Started
            ? null
            : QueryHelpers.AddQueryString(payment.CallbackUrl, new Dictionary<string, string?> { ["payment_id"] = payment.Id, ["status"] = payment.Status });

    private static bool IsActionable(Payment payment, string method) =>
        payment.Status == PaymentStatuses.Started && payment.PaymentType == method && payment.Wallet is not null;

    private static async Task<bool> IsValidFormAsync(HttpContext http, IAntiforgery antiforgery) =>
        http.Request.HasFormContentType && await antiforgery.IsRequestValidAsync(http);

    private static string Holder(params (string Key, string Value)[] fields) =>
        JsonSerializer.Serialize(fields.ToDictionary(f => f.Key, f => f.Value));

    private static RedirectHttpResult ToStatus(Payment payment, HttpContext http) =>
        TypedResults.Redirect($"/payment/{payment.Id}/status{LangQuery(http)}");

    private static string LangQuery(HttpContext http) => $"?lang={TextsFor(http).Lang}";

    internal static GatewayTexts TextsFor(HttpContext http) =>
        GatewayTexts.For(GatewayTexts.Pick(http.Request.Query["lang"], http.Request.Headers.AcceptLanguage));

    private static RazorComponentResult<TPage> Page<TPage>(
        GatewayTexts texts, GatewayView view, IReadOnlyDictionary<string, string> errors, int statusCode = StatusCodes.Status200OK,
        Dictionary<string, object?>? extra = null)
        where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        var parameters = new Dictionary<string, object?> { ["Texts"] = texts, ["View"] = view, ["Errors"] = errors };
        foreach (var (key, value) in extra ?? [])
        {
            parameters[key] = value;
        }
        return new RazorComponentResult<TPage>(parameters) { StatusCode = statusCode };
    }

    private static RazorComponentResult<GatewayNotFoundPage> NotFound(GatewayTexts texts) =>
        new(new Dictionary<string, object?> { ["Texts"] = texts }) { StatusCode = StatusCodes.Status404NotFound };
}
