using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Customers.Identity;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Infrastructure;
using Cryptopocket.Server.Infrastructure.Validation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Features.Customers;

public static class CustomersApi
{
    public static IServiceCollection AddCustomers(this IServiceCollection services)
    {
        services.AddSingleton<IPasswordHasher<Customer>, PasswordHasher<Customer>>();
        services.AddScoped<CustomerKycService>();
        return services;
    }

    public static RouteGroupBuilder MapCustomers(this RouteGroupBuilder api)
    {
        api.MapPost("/registerUser", RegisterUserAsync)
            .WithName("RegisterUser").WithSummary("Registers an individual customer and returns the hosted KYC form URL.");
        api.MapGet("/kyc/check", CheckKycAsync)
            .WithName("CheckKyc").WithSummary("The customer's KYC status: unused, processing, valid or fail.");
        return api;
    }

    private static async Task<IResult> RegisterUserAsync(
        HttpContext http, AppDbContext db, IPasswordHasher<Customer> hasher, PublicUrls urls, TimeProvider clock, ILoggerFactory loggers)
    {
        var integration = RequireIntegrationFilter.Get(http);
        var (fields, error) = await RequestFields.FromBodyAsync(http.Request, http.RequestAborted);
        if (error is not null)
        {
            return error;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var validator = new Validator(fields!);
        var form = RegisterUserRules.Validate(validator, DateOnly.FromDateTime(now));
        if (form is null)
        {
            return validator.ToResult();
        }
        if (DisposableEmailDomains.IsDisposable(form.Email))
        {
            return ApiResults.Error(ErrorCodes.EmailNotAllowed);
        }
        var exists = await db.Customers.AnyAsync(
            c => c.IntegrationId == integration.Id
                 && (c.Email == form.Email || (c.IdentificationType == form.IdentificationType && c.IdentificationNumber == form.IdentificationNumber)),
            http.RequestAborted);
        if (exists)
        {
            return ApiResults.Error(ErrorCodes.UserAlreadyExists);
        }

        var customer = new Customer
        {
            IntegrationId = integration.Id,
            Email = form.Email,
            Name = form.Name,
            LastName = form.LastName,
            LastName2 = form.LastName2,
            Phone = form.Phone,
            Country = form.Country,
            CountryCode = form.CountryCode,
            City = form.City,
            Address = form.Address,
            AddressState = form.AddressState,
            Zipcode = form.Zipcode,
            IdentificationType = form.IdentificationType,
            IdentificationNumber = form.IdentificationNumber,
            PasswordHash = "",
            ProfessionalActivity = form.ProfessionalActivity,
            Dob = form.Dob,
            Iban = form.Iban,
            CallbackUrl = form.CallbackUrl?.ToString(),
            KycToken = Secrets.Token(),
            CreatedAt = now,
        };
        customer.PasswordHash = hasher.HashPassword(customer, form.Password);
        db.Customers.Add(customer);
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException exception)
        {
            // Two registrations raced past the check above; the unique indexes let exactly one in.
            loggers.CreateLogger(typeof(CustomersApi)).LogInformation(exception, "Concurrent duplicate registration for integration {IntegrationId}", integration.Id);
            return ApiResults.Error(ErrorCodes.UserAlreadyExists);
        }
        return ApiResults.Ok(new RegisteredUser(customer.Id, customer.Email, customer.Name, customer.LastName,
            customer.IdentificationNumber, customer.Country, customer.KycValid, urls.KycForm(http.Request, customer.KycToken)));
    }

    private static async Task<IResult> CheckKycAsync(HttpContext http, AppDbContext db, PublicUrls urls)
    {
        var integration = RequireIntegrationFilter.Get(http);
        var validator = new Validator(RequestFields.FromQuery(http.Request));
        var userId = validator.WholeNumber("user_id", required: true);
        if (validator.HasErrors)
        {
            return validator.ToResult();
        }
        var customer = await db.Customers.AsNoTracking()
            .SingleOrDefaultAsync(c => c.Id == userId && c.IntegrationId == integration.Id, http.RequestAborted);
        if (customer is null)
        {
            return ApiResults.Error(ErrorCodes.UserNotFound);
        }
        var formUrl = customer.KycValid ? null : urls.KycForm(http.Request, customer.KycToken);
        var data = new KycCheckData(customer.Id, customer.KycStatus, formUrl, customer.KycReason,
            new DateTimeOffset(customer.KycUpdatedAt == default ? customer.CreatedAt : customer.KycUpdatedAt));
        return TypedResults.Json(new KycCheckResponse(Envelope.Ok, customer.KycStatus, data));
    }
}
