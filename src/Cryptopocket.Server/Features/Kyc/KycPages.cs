using System.Globalization;
using System.Security.Cryptography;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Features.Kyc.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Kyc;

/// <summary>What the form shows of the customer: enough to recognise the data, not enough to leak it.</summary>
public sealed record KycCustomerView(string FullName, string Document, string Dob, string Country)
{
    public static KycCustomerView From(Customer c) => new(
        string.Join(' ', new[] { c.Name, c.LastName, c.LastName2 }.Where(s => !string.IsNullOrEmpty(s))),
        $"{c.IdentificationType} ••••{c.IdentificationNumber[^Math.Min(4, c.IdentificationNumber.Length)..]}",
        c.Dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        c.Country);
}

/// <summary>The hosted KYC form at <c>/kyc/{token}</c>, where the token is the customer's unguessable KYC token.</summary>
public static class KycPages
{
    public static IServiceCollection AddKyc(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<KycOptions>(configuration.GetSection("Kyc"));
        services.AddSingleton<IKycProvider, SandboxKycProvider>();
        return services;
    }

    public static IEndpointRouteBuilder MapKycPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/kyc/{token}").ExcludeFromDescription();
        pages.MapGet("/", ShowAsync).WithName("KycForm");
        pages.MapPost("/", SubmitAsync).WithName("KycSubmit").DisableAntiforgery();
        pages.MapGet("/status", StatusAsync).WithName("KycStatus");
        return app;
    }

    private static async Task<IResult> ShowAsync(string token, HttpContext http, AppDbContext db)
    {
        var texts = TextsFor(http);
        var customer = await FindAsync(db, token, http.RequestAborted);
        if (customer is null)
        {
            return NotFound(texts, token);
        }
        if (customer.KycStatus is not KycStatuses.Unused)
        {
            return Results.Redirect($"/kyc/{token}/status?lang={texts.Lang}");
        }
        return Form(texts, token, customer, new Dictionary<string, string>(), StatusCodes.Status200OK);
    }

    private static async Task<IResult> SubmitAsync(
        string token, HttpContext http, AppDbContext db, IAntiforgery antiforgery, IKycProvider provider,
        IOptionsMonitor<KycOptions> options, TimeProvider clock)
    {
        var texts = TextsFor(http);
        var customer = await FindAsync(db, token, http.RequestAborted);
        if (customer is null)
        {
            return NotFound(texts, token);
        }
        if (customer.KycStatus is not KycStatuses.Unused)
        {
            // A replayed or double-clicked submission: the case already exists; show where it stands.
            return Results.Redirect($"/kyc/{token}/status?lang={texts.Lang}", permanent: false, preserveMethod: false);
        }
        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Redirect($"/kyc/{token}?lang={texts.Lang}");
        }

        var maxFile = options.CurrentValue.MaxFileBytes;
        var form = await http.Request.ReadFormAsync(
            new FormOptions { MultipartBodyLengthLimit = 3L * maxFile + 64 * 1024, ValueCountLimit = 16 }, http.RequestAborted);
        var errors = new Dictionary<string, string>();
        var documents = new List<KycDocument>();
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var kind in KycUpload.Kinds)
        {
            var file = form.Files.GetFile(kind);
            if (file is null || file.Length == 0)
            {
                errors[kind] = texts.Required;
                continue;
            }
            if (file.Length > maxFile)
            {
                errors[kind] = texts.TooLarge;
                continue;
            }
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, http.RequestAborted);
            var bytes = buffer.ToArray();
            var contentType = KycUpload.SniffContentType(bytes, kind);
            if (contentType is null)
            {
                errors[kind] = texts.BadType;
                continue;
            }
            documents.Add(new KycDocument
            {
                CustomerId = customer.Id, Kind = kind, ContentType = contentType, Content = bytes,
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), UploadedAt = now,
            });
        }
        if (form["confirm"] != "yes")
        {
            errors["confirm"] = texts.MustConfirm;
        }
        if (errors.Count > 0)
        {
            return Form(texts, token, customer, errors, StatusCodes.Status422UnprocessableEntity);
        }

        var decision = await provider.SubmitAsync(customer, documents, http.RequestAborted);
        await using (var transaction = await db.Database.BeginTransactionAsync(http.RequestAborted))
        {
            db.KycDocuments.AddRange(documents);
            customer.SubmitKyc(now);
            if (decision.Approved is bool approved)
            {
                customer.DecideKyc(approved, decision.Reason, now);
            }
            CustomerKycService.RecordStatusChange(db, customer, now);
            await db.SaveChangesAsync(http.RequestAborted);
            await transaction.CommitAsync(http.RequestAborted);
        }
        return Results.Redirect($"/kyc/{token}/status?lang={texts.Lang}");
    }

    private static async Task<IResult> StatusAsync(string token, HttpContext http, AppDbContext db)
    {
        var texts = TextsFor(http);
        var customer = await FindAsync(db, token, http.RequestAborted);
        if (customer is null)
        {
            return NotFound(texts, token);
        }
        if (customer.KycStatus == KycStatuses.Unused)
        {
            return Results.Redirect($"/kyc/{token}?lang={texts.Lang}");
        }
        return new RazorComponentResult<KycStatusPage>(new Dictionary<string, object?>
        {
            [nameof(KycStatusPage.Texts)] = texts,
            [nameof(KycStatusPage.StatusPath)] = $"/kyc/{token}/status",
            [nameof(KycStatusPage.Status)] = customer.KycStatus,
            [nameof(KycStatusPage.ContinueUrl)] = ContinueUrl(customer),
        });
    }

    /// <summary>The partner's callback_url with the outcome appended, so their page need not poll to know it.</summary>
    internal static string? ContinueUrl(Customer customer) =>
        customer.CallbackUrl is null
            ? null
            : QueryHelpers.AddQueryString(customer.CallbackUrl, new Dictionary<string, string?>
            {
                ["user_id"] = customer.Id.ToString(CultureInfo.InvariantCulture),
                ["kyc_status"] = customer.KycStatus,
            });

    private static RazorComponentResult<KycFormPage> Form(
        KycTexts texts, string token, Customer customer, IReadOnlyDictionary<string, string> errors, int statusCode) =>
        new(new Dictionary<string, object?>
        {
            [nameof(KycFormPage.Texts)] = texts,
            [nameof(KycFormPage.BasePath)] = $"/kyc/{token}",
            [nameof(KycFormPage.Customer)] = KycCustomerView.From(customer),
            [nameof(KycFormPage.Errors)] = errors,
        })
        { StatusCode = statusCode };

    private static IResult NotFound(KycTexts texts, string token) =>
        new RazorComponentResult<KycStatusPage>(new Dictionary<string, object?>
        {
            [nameof(KycStatusPage.Texts)] = texts with { ProcessingTitle = texts.Expired, ProcessingBody = texts.Expired },
            [nameof(KycStatusPage.StatusPath)] = $"/kyc/{Uri.EscapeDataString(token)}/status",
            [nameof(KycStatusPage.Status)] = "not_found",
        })
        { StatusCode = StatusCodes.Status404NotFound };

    private static Task<Customer?> FindAsync(AppDbContext db, string token, CancellationToken cancellationToken) =>
        token.Length is < 20 or > 64
            ? Task.FromResult<Customer?>(null)
            : db.Customers.SingleOrDefaultAsync(c => c.KycToken == token, cancellationToken);

    private static KycTexts TextsFor(HttpContext http) =>
        KycTexts.For(KycTexts.Pick(http.Request.Query["lang"], http.Request.Headers.AcceptLanguage));
}
