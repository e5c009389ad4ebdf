using System.Globalization;
using System.Text.Json;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Integrations;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Features.Customers;

/// <summary>KYC decisions, whoever takes them: the sandbox provider after the hosted form, or an operator.</summary>
public sealed class CustomerKycService(AppDbContext db, TimeProvider clock)
{
    public async Task<Customer> UpdateAsync(long customerId, Action<Customer> change, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == customerId, cancellationToken)
            ?? throw new OperatorException($"No customer with id {customerId}.");
        change(customer);
        await db.SaveChangesAsync(cancellationToken);
        return customer;
    }

    public async Task<Customer> DecideAsync(long customerId, bool approved, string? reason, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == customerId, cancellationToken)
            ?? throw new OperatorException($"No customer with id {customerId}.");
        if (reason is { Length: > 500 })
        {
            throw new OperatorException("The reason must be at most 500 characters.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        customer.DecideKyc(approved, reason, now);
        RecordStatusChange(db, customer, now);
        await db.SaveChangesAsync(cancellationToken);
        return customer;
    }

    /// <summary>Queues the KYC_STATUS_CHANGED event; it commits with the caller's save of the status itself.</summary>
    public static void RecordStatusChange(AppDbContext db, Customer customer, DateTime now)
    {
        var data = new KycCheckData(customer.Id, customer.KycStatus, null, customer.KycReason, new DateTimeOffset(now));
        var payload = JsonSerializer.Serialize(data, CryptopocketJson.Options.GetTypeInfo(typeof(KycCheckData)));
        Outbox.Add(db, customer.IntegrationId, EventTypes.KycStatusChanged, customer.Id.ToString(CultureInfo.InvariantCulture), payload, now);
    }
}
